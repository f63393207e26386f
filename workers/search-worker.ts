/**
 * One-shot worker of the search: runs planSearch for one problem off the caller's thread (a search
 * takes seconds of CPU, and the gRPC thread must keep serving), posts exactly one reply and ends.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { type OneShotReply, toErrorData } from '../src/common/index.js';
import { fromSearchTask, type PlanSearchReport, planSearch, type SearchTask } from '../src/search/index.js';

const task = (workerData as { task: SearchTask }).task;
let reply: OneShotReply<PlanSearchReport>;
try {
  const { budgetMs, ...options } = task.options;
  reply = {
    ok: true,
    result: await planSearch(fromSearchTask(task), {
      ...options,
      ...(budgetMs !== undefined && { deadline: { budgetMs, nowMs: () => performance.now() } }),
    }),
  };
} catch (error) {
  reply = { ok: false, error: toErrorData(error) };
}
parentPort?.postMessage(reply);
