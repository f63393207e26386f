/**
 * One-shot worker of HiGHS: solves one LP off the caller's thread (a solve is synchronous and takes
 * up to seconds). Started before its LP is written, so that its modules load meanwhile; it compiles
 * HiGHS as its first message says (a small LP without V8's optimising tier: solver/off-thread.ts),
 * solves the LP that message brings, posts exactly one reply and ends.
 */
import { parentPort } from 'node:worker_threads';
import { type OneShotReply, toErrorData } from '../src/common/index.js';
import { type HighsTask, type LpSolution, solveLpText } from '../src/solver/index.js';

parentPort?.once('message', async ({ lpText, options }: HighsTask) => {
  let reply: OneShotReply<LpSolution>;
  try {
    reply = { ok: true, result: await solveLpText(lpText, options) };
  } catch (error) {
    reply = { ok: false, error: toErrorData(error) };
  }
  parentPort?.postMessage(reply);
});
