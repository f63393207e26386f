/**
 * The simulator's per-pool FIFO queues of segment instances waiting for slots: one fixed ring of
 * int32 per pool (a pool never holds more waiters than there are instances), so queueing
 * allocates nothing.
 */
export class PoolQueues {
  private readonly ring: Int32Array;
  private readonly head: Int32Array;
  private readonly count: Int32Array;

  /** @param capacity the most instances one pool's queue holds at once. */
  constructor(
    pools: number,
    private readonly capacity: number,
  ) {
    this.ring = new Int32Array(pools * capacity);
    this.head = new Int32Array(pools);
    this.count = new Int32Array(pools);
  }

  /** Instances waiting on a pool. */
  waiting(pool: number): number {
    return this.count[pool] ?? 0;
  }

  push(pool: number, instance: number): void {
    const count = this.count[pool] ?? 0;
    this.ring[pool * this.capacity + (((this.head[pool] ?? 0) + count) % this.capacity)] = instance;
    this.count[pool] = count + 1;
  }

  /** The oldest waiting instance; call only when waiting(pool) > 0. */
  peek(pool: number): number {
    return this.ring[pool * this.capacity + (this.head[pool] ?? 0)] ?? 0;
  }

  /** Drops the oldest waiting instance (read it with peek first). */
  shift(pool: number): void {
    this.head[pool] = ((this.head[pool] ?? 0) + 1) % this.capacity;
    this.count[pool] = (this.count[pool] ?? 1) - 1;
  }
}
