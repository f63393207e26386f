/**
 * One-shot worker of HiGHS: solves one LP off the caller's thread (a solve is synchronous and takes
 * up to seconds). Started before its LP is written, so that its modules load meanwhile, and HiGHS
 * too, compiled without V8's optimising tier: what an LP of up to BASELINE_MAX_LP_CHARS is solved
 * by (solver/off-thread.ts), as the search's are up to 5 x 450 operators. Loading it takes about
 * 0.13 s (a throwaway measurement), which then no longer waits for the LP. A longer LP loads HiGHS
 * again, tiered, when it comes (compileFor). Solves the LP its first message brings, posts exactly
 * one reply and ends.
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
