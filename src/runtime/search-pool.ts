import { Piscina } from 'piscina';
import { Code, fromErrorData, HetschedError, type OneShotReply, workerEntry } from '../common/index.js';
import type { PlanSearchReport, SearchTask } from '../search/index.js';

/**
 * How long the search worker stays after its last search. A fresh worker pays, on its first
 * search, for importing tfjs and for V8 compiling the search's code as it runs. `npm run bench --
 * search` on a 2-core machine whose speed varies by up to 60 % between stretches (the search
 * without its LP, search_s_5x300_without_lp, 1.24 to 2.01 s), medians of three in each of four
 * runs: tfjs_load_s 0.54 to 0.82 s (0.30 to 0.47 built); the 5 x 300 search 1.60 to 2.41 s in a
 * fresh process (search_s_5x300), 1.32 to 1.98 s after a search of another problem of that size
 * (search_s_5x300_replan), in each run 0.2 to 0.45 s less. Re-planning after a
 * tenant change comes within minutes, or not for hours: ten minutes keeps the worker for the
 * first, and gives its memory back (tfjs, its wasm heap, the compiled code) in the second.
 */
export const SEARCH_WORKER_IDLE_MS = 10 * 60_000;

export interface SearchPoolOptions {
  /** Default SEARCH_WORKER_IDLE_MS. */
  readonly idleMs?: number;
}

/**
 * The plan search's worker thread (workers/search-worker.ts), kept between searches for
 * `idleMs`, so that a re-plan runs on code V8 has already compiled; one search at a time (a
 * search's phase 1 and its LP already take both cores of the machines it targets), the others
 * waiting in order. A search that outlives its timeout, queueing included, rejects with
 * DEADLINE_EXCEEDED and its worker is terminated (the next search starts a fresh one): a search
 * cannot be interrupted otherwise. A search's results do not depend on what the worker ran
 * before: the search reads no state another search leaves (its caches and the policy are its own).
 */
export class SearchPool {
  private readonly pool: Piscina;
  private closing = false;

  constructor(options: SearchPoolOptions = {}) {
    const entry = workerEntry('search-worker');
    this.pool = new Piscina({
      filename: entry.filename,
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: options.idleMs ?? SEARCH_WORKER_IDLE_MS,
      // The search awaits its LP's worker: its event loop must run, not wait in Atomics.wait.
      atomics: 'disabled',
      recordTiming: false,
      workerData: entry.workerData,
    });
  }

  /**
   * Runs planSearch on the task in the search worker.
   * @throws HetschedError as the search throws; DEADLINE_EXCEEDED past `timeoutMs`; UNAVAILABLE once closed.
   */
  async search(task: SearchTask, timeoutMs: number): Promise<PlanSearchReport> {
    if (this.closing) throw new HetschedError(Code.Unavailable, 'the plan search is shutting down');
    let reply: OneShotReply<PlanSearchReport>;
    try {
      reply = await this.pool.run(task, { name: 'search', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (this.closing)
        throw new HetschedError(Code.Unavailable, 'the plan search was stopped: the server is shutting down');
      if (error instanceof Error && error.name === 'AbortError')
        throw new HetschedError(
          Code.DeadlineExceeded,
          `the plan search did not finish within ${timeoutMs} ms`,
        );
      throw HetschedError.from(error, Code.Internal, 'the plan search worker failed');
    }
    if (!reply.ok) throw fromErrorData(reply.error);
    return reply.result;
  }

  /** The worker's thread id: none before the first search and once it has idled out. For logs and tests. */
  get threadIds(): readonly number[] {
    return this.pool.threads.map((worker) => worker.threadId);
  }

  /** Ends the worker, a search in progress included (it rejects with UNAVAILABLE). */
  async close(): Promise<void> {
    this.closing = true;
    await this.pool.destroy();
  }
}
