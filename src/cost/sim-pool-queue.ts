/**
 * The simulator's per-pool queues of segment instances waiting for slots, earliest SLO deadline
 * first as the runtime's slot gates order them (runtime/slot-gate.ts); equal deadlines (one
 * request's segments, or one tenant's requests) keep their arrival order. One ring of int32 and
 * one of deadlines per pool, kept sorted by inserting from the tail: deadlines mostly arrive in
 * order (a tenant's requests, a request's segments), so a push moves few entries if any, and
 * peek and shift are O(1). Queueing allocates only when a ring must grow.
 */
export class PoolQueues {
  private capacity: number;
  private instances: Int32Array;
  private deadlinesMs: Float64Array;
  private readonly head: Int32Array;
  private readonly count: Int32Array;

  /** @param capacity the instances one pool's queue holds before its ring grows. */
  constructor(
    private readonly pools: number,
    capacity: number,
  ) {
    this.capacity = Math.max(1, capacity);
    this.instances = new Int32Array(pools * this.capacity);
    this.deadlinesMs = new Float64Array(pools * this.capacity);
    this.head = new Int32Array(pools);
    this.count = new Int32Array(pools);
  }

  /** Instances waiting on a pool. */
  waiting(pool: number): number {
    return this.count[pool] ?? 0;
  }

  push(pool: number, instance: number, deadlineMs: number): void {
    if ((this.count[pool] ?? 0) === this.capacity) this.grow();
    const capacity = this.capacity;
    const base = pool * capacity;
    const head = this.head[pool] ?? 0;
    const instances = this.instances;
    const deadlines = this.deadlinesMs;
    // Entries due later move one place back; an equal deadline stays ahead (arrival order).
    let position = this.count[pool] ?? 0;
    while (position > 0) {
      const before = base + ((head + position - 1) % capacity);
      if ((deadlines[before] ?? 0) <= deadlineMs) break;
      const at = base + ((head + position) % capacity);
      instances[at] = instances[before] ?? 0;
      deadlines[at] = deadlines[before] ?? 0;
      position--;
    }
    const at = base + ((head + position) % capacity);
    instances[at] = instance;
    deadlines[at] = deadlineMs;
    this.count[pool] = (this.count[pool] ?? 0) + 1;
  }

  /** The waiting instance with the earliest deadline; call only when waiting(pool) > 0. */
  peek(pool: number): number {
    return this.instances[pool * this.capacity + (this.head[pool] ?? 0)] ?? 0;
  }

  /** Drops the instance peek returns. */
  shift(pool: number): void {
    this.head[pool] = ((this.head[pool] ?? 0) + 1) % this.capacity;
    this.count[pool] = (this.count[pool] ?? 1) - 1;
  }

  /** Doubles every pool's ring, each queue laid out from its start again. */
  private grow(): void {
    const old = this.capacity;
    const capacity = 2 * old;
    const instances = new Int32Array(this.pools * capacity);
    const deadlines = new Float64Array(this.pools * capacity);
    for (let pool = 0; pool < this.pools; pool++) {
      const head = this.head[pool] ?? 0;
      for (let i = 0; i < (this.count[pool] ?? 0); i++) {
        const from = pool * old + ((head + i) % old);
        instances[pool * capacity + i] = this.instances[from] ?? 0;
        deadlines[pool * capacity + i] = this.deadlinesMs[from] ?? 0;
      }
      this.head[pool] = 0;
    }
    this.capacity = capacity;
    this.instances = instances;
    this.deadlinesMs = deadlines;
  }
}
