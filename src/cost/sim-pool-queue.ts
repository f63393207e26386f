import { EventHeap } from './sim-heap.js';

/**
 * The simulator's per-pool queues of segment instances waiting for slots, earliest SLO deadline
 * first as the runtime's slot gates order them (runtime/slot-gate.ts); equal deadlines (one
 * request's segments, or one tenant's requests) keep their arrival order. A binary heap per pool
 * over typed arrays, so queueing allocates nothing once a heap has grown to its peak.
 */
export class PoolQueues {
  private readonly heaps: EventHeap[];

  /** @param capacity the instances one pool's queue is sized for at first (it grows beyond). */
  constructor(pools: number, capacity: number) {
    this.heaps = Array.from({ length: pools }, () => new EventHeap(capacity));
  }

  /** Instances waiting on a pool. */
  waiting(pool: number): number {
    return this.heaps[pool]?.size ?? 0;
  }

  push(pool: number, instance: number, deadlineMs: number): void {
    this.heaps[pool]?.push(deadlineMs, instance);
  }

  /** The waiting instance with the earliest deadline; call only when waiting(pool) > 0. */
  peek(pool: number): number {
    return this.heaps[pool]?.peek() ?? 0;
  }

  /** Drops the instance peek returns. */
  shift(pool: number): void {
    this.heaps[pool]?.pop();
  }
}
