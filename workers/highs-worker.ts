/**
 * One-shot worker of HiGHS: solves one LP off the caller's thread (a solve is synchronous and takes
 * up to seconds). Started before its LP is written: it loads HiGHS meanwhile, then solves the LP its
 * first message brings, posts exactly one reply and ends. One cold solve, so HiGHS is compiled
 * without V8's optimising tier, whose recompiling would cost more CPU than it saves (baseline-wasm.ts).
 */
import { parentPort } from 'node:worker_threads';
import { type OneShotReply, toErrorData } from '../src/common/index.js';
import { type HighsTask, type LpSolution, preloadHighs, solveLpText } from '../src/solver/index.js';

preloadHighs('baseline');
parentPort?.once('message', async ({ lpText, options }: HighsTask) => {
  let reply: OneShotReply<LpSolution>;
  try {
    reply = { ok: true, result: await solveLpText(lpText, options) };
  } catch (error) {
    reply = { ok: false, error: toErrorData(error) };
  }
  parentPort?.postMessage(reply);
});
