/**
 * One-shot worker of the LP bound: solves it for the search worker's problem on another thread, so
 * that HiGHS (synchronous, up to seconds on large problems) runs while phase 1 of the search does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type OneShotReply, toErrorData } from '../src/common/index.js';
import {
  fromSearchTask,
  type LpBoundSolution,
  lpLimits,
  type SearchTask,
  solveLpBound,
} from '../src/search/index.js';

const task = (workerData as { task: SearchTask }).task;
let reply: OneShotReply<LpBoundSolution>;
try {
  const limits = lpLimits(task.options.lpBound, task.options.budgetMs);
  reply = { ok: true, result: await solveLpBound(fromSearchTask(task), limits) };
} catch (error) {
  reply = { ok: false, error: toErrorData(error) };
}
parentPort?.postMessage(reply);
