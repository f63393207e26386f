import { performance } from 'node:perf_hooks';
import { Code, HetschedError } from '../common/index.js';

const ALL_QUEUES = Symbol('all queues');

/** One unit of work for a processor slot, from one tenant queue. */
export interface DispatchJob<T> {
  /** The tenant queue it waits in (one per served model). */
  readonly queue: string;
  /** When the tenant's latency SLO runs out (ms, on the dispatcher's clock): the dispatch order. */
  readonly sloDeadlineMs: number;
  /** When the caller stops waiting (ms); a job still queued then fails with DEADLINE_EXCEEDED. */
  readonly hardDeadlineMs?: number;
  /** Aborting removes a still-queued job (CANCELLED); a running job runs to completion. */
  readonly signal?: AbortSignal;
  readonly execute: () => Promise<T>;
}

export interface Dispatched<T> {
  readonly value: T;
  readonly queueMs: number;
}

export interface DispatcherOptions {
  /** Jobs that may run at once (the executor's worker threads). */
  readonly slots: number;
  /** Per-queue bound; beyond it submissions fail fast with RESOURCE_EXHAUSTED. */
  readonly maxQueueLength: number;
  readonly now?: () => number;
}

interface Waiting {
  readonly job: DispatchJob<unknown>;
  readonly enqueuedMs: number;
  readonly resolve: (value: Dispatched<unknown>) => void;
  readonly reject: (reason: HetschedError) => void;
  cleanup: () => void;
}

/**
 * Per-tenant FIFO queues feeding a fixed number of slots, earliest SLO deadline first across
 * tenants: a tenant with a 10 ms SLO is not stuck behind a burst for a tenant with a 1 s SLO, and
 * within a tenant requests keep their arrival order. Bounded queues shed load early
 * (RESOURCE_EXHAUSTED) rather than letting latency grow without limit.
 */
export class Dispatcher {
  private readonly queues = new Map<string, Waiting[]>();
  private readonly running = new Map<string, number>();
  /** Drain waiters per queue name; ALL_QUEUES for drain() of everything. */
  private readonly idleWaiters = new Map<string | typeof ALL_QUEUES, Array<() => void>>();
  private busySlots = 0;
  private readonly now: () => number;

  constructor(private readonly options: DispatcherOptions) {
    if (!(options.slots >= 1)) throw new RangeError(`slots must be >= 1, got ${options.slots}`);
    this.now = options.now ?? (() => performance.now());
  }

  submit<T>(job: DispatchJob<T>): Promise<Dispatched<T>> {
    if (job.signal?.aborted) {
      return Promise.reject(new HetschedError(Code.Cancelled, 'the request was cancelled by the client'));
    }
    const queue = this.queues.get(job.queue) ?? [];
    if (queue.length >= this.options.maxQueueLength) {
      return Promise.reject(
        new HetschedError(
          Code.ResourceExhausted,
          `model '${job.queue}' already has ${queue.length} requests queued (the limit); retry with backoff`,
        ),
      );
    }
    return new Promise<Dispatched<T>>((resolve, reject) => {
      const waiting: Waiting = {
        job,
        enqueuedMs: this.now(),
        resolve: resolve as (value: Dispatched<unknown>) => void,
        reject,
        cleanup: () => {},
      };
      this.watch(waiting);
      queue.push(waiting);
      this.queues.set(job.queue, queue);
      this.pump();
    });
  }

  /** Queued jobs of one queue (all queues if none given). */
  queued(queue?: string): number {
    if (queue !== undefined) return this.queues.get(queue)?.length ?? 0;
    let total = 0;
    for (const waiting of this.queues.values()) total += waiting.length;
    return total;
  }

  /** Jobs of one queue that are queued or running. */
  pending(queue: string): number {
    return this.queued(queue) + (this.running.get(queue) ?? 0);
  }

  /** Resolves once the queue has nothing queued or running (every queue if none given). */
  drain(queue?: string): Promise<void> {
    const key = queue ?? ALL_QUEUES;
    if (this.isIdle(queue)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.idleWaiters.get(key) ?? [];
      waiters.push(resolve);
      this.idleWaiters.set(key, waiters);
    });
  }

  private isIdle(queue: string | undefined): boolean {
    if (queue === undefined) return this.busySlots === 0 && this.queued() === 0;
    return (this.running.get(queue) ?? 0) === 0 && this.queued(queue) === 0;
  }

  /** Wires the job's abort signal and hard deadline to remove it while it is still queued. */
  private watch(waiting: Waiting): void {
    const { job } = waiting;
    const onAbort = () =>
      this.remove(waiting, new HetschedError(Code.Cancelled, 'the request was cancelled by the client'));
    job.signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    if (job.hardDeadlineMs !== undefined) {
      const delayMs = Math.max(0, job.hardDeadlineMs - this.now());
      timer = setTimeout(() => this.remove(waiting, this.deadlineError(waiting)), delayMs);
      timer.unref();
    }
    waiting.cleanup = () => {
      job.signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    };
  }

  private deadlineError(waiting: Waiting): HetschedError {
    const waitedMs = (this.now() - waiting.enqueuedMs).toFixed(1);
    return new HetschedError(
      Code.DeadlineExceeded,
      `the deadline passed after ${waitedMs} ms in the queue of '${waiting.job.queue}'`,
    );
  }

  private remove(waiting: Waiting, reason: HetschedError): void {
    const queue = this.queues.get(waiting.job.queue);
    const index = queue?.indexOf(waiting) ?? -1;
    if (!queue || index < 0) return; // already dispatched
    queue.splice(index, 1);
    waiting.cleanup();
    waiting.reject(reason);
    this.settle(waiting.job.queue);
  }

  private pump(): void {
    while (this.busySlots < this.options.slots) {
      const next = this.takeEarliest();
      if (!next) return;
      // A deadline can pass before its timer fires (timers run after I/O): never start such a job.
      if (next.job.hardDeadlineMs !== undefined && this.now() >= next.job.hardDeadlineMs) {
        next.cleanup();
        next.reject(this.deadlineError(next));
        this.settle(next.job.queue);
        continue;
      }
      this.start(next);
    }
  }

  /** The queue head with the earliest SLO deadline; heads suffice because each queue is FIFO with one SLO. */
  private takeEarliest(): Waiting | undefined {
    let best: Waiting[] | undefined;
    let bestDeadline = Number.POSITIVE_INFINITY;
    for (const queue of this.queues.values()) {
      const head = queue[0];
      // `best === undefined` admits a head whose deadline is Infinity (a job without an SLO).
      if (head && (best === undefined || head.job.sloDeadlineMs < bestDeadline)) {
        best = queue;
        bestDeadline = head.job.sloDeadlineMs;
      }
    }
    return best?.shift();
  }

  private start(waiting: Waiting): void {
    waiting.cleanup();
    const { job } = waiting;
    const queueMs = this.now() - waiting.enqueuedMs;
    this.busySlots++;
    this.running.set(job.queue, (this.running.get(job.queue) ?? 0) + 1);
    let execution: Promise<unknown>;
    try {
      execution = job.execute();
    } catch (error) {
      execution = Promise.reject(error);
    }
    execution
      .then(
        (value) => waiting.resolve({ value, queueMs }),
        (error: unknown) => waiting.reject(HetschedError.from(error)),
      )
      .finally(() => {
        this.busySlots--;
        this.running.set(job.queue, (this.running.get(job.queue) ?? 1) - 1);
        this.settle(job.queue);
        this.pump();
      });
  }

  private settle(queue: string): void {
    if (this.queues.get(queue)?.length === 0) this.queues.delete(queue);
    if ((this.running.get(queue) ?? 0) === 0) this.running.delete(queue);
    for (const key of [queue, ALL_QUEUES] as const) {
      if (!this.isIdle(key === ALL_QUEUES ? undefined : key)) continue;
      const waiters = this.idleWaiters.get(key);
      this.idleWaiters.delete(key);
      for (const wake of waiters ?? []) wake();
    }
  }
}
