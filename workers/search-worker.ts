/**
 * The search's worker (SearchPool, a piscina pool of one thread kept between searches): runs
 * planSearch for one problem at a time off the caller's thread (a search takes seconds of CPU, and
 * the gRPC thread must keep serving), and replies with the report or the error as data.
 */
import { performance } from 'node:perf_hooks';
import { type OneShotReply, toErrorData } from '../src/common/index.js';
import { fromSearchTask, type PlanSearchReport, planSearch, type SearchTask } from '../src/search/index.js';
import { offThreadLpSolver } from '../src/solver/index.js';

/** The LP runs in a thread of its own, on the other core, while phase 1 runs here. */
const LP_TIMEOUT_MS = 5 * 60_000;

export async function search(task: SearchTask): Promise<OneShotReply<PlanSearchReport>> {
  try {
    const { budgetMs, ...options } = task.options;
    return {
      ok: true,
      result: await planSearch(fromSearchTask(task), {
        ...options,
        ...(budgetMs !== undefined && { deadline: { budgetMs, nowMs: () => performance.now() } }),
        lpSolver: () => offThreadLpSolver({ timeoutMs: LP_TIMEOUT_MS, label: 'LP bound' }),
      }),
    };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}
