/**
 * One-shot worker of the search: runs planSearch for one problem off the caller's thread (a search
 * takes seconds of CPU, and the gRPC thread must keep serving), posts exactly one reply and ends.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { type OneShotReply, toErrorData } from '../src/common/index.js';
import { fromSearchTask, type PlanSearchReport, planSearch, type SearchTask } from '../src/search/index.js';
import { offThreadLpSolver } from '../src/solver/index.js';

/** The LP runs in a thread of its own, on the other core, while phase 1 runs here. */
const LP_TIMEOUT_MS = 5 * 60_000;

const task = (workerData as { task: SearchTask }).task;
let reply: OneShotReply<PlanSearchReport>;
try {
  const { budgetMs, ...options } = task.options;
  reply = {
    ok: true,
    result: await planSearch(fromSearchTask(task), {
      ...options,
      ...(budgetMs !== undefined && { deadline: { budgetMs, nowMs: () => performance.now() } }),
      lpSolver: () => offThreadLpSolver({ timeoutMs: LP_TIMEOUT_MS, label: 'LP bound' }),
    }),
  };
} catch (error) {
  reply = { ok: false, error: toErrorData(error) };
}
parentPort?.postMessage(reply);
