import { Code, HetschedError } from '../common/index.js';

interface Waiter {
  readonly slots: number;
  readonly resolve: () => void;
}

/**
 * A pool's worker slots as a FIFO counting semaphore: a session run holds as many slots as its
 * thread budget covers (one, or more for a CPU segment with more intra-op threads), so runs never
 * ask for more cores than the pool has. Strict FIFO, as the simulator models it: a run waiting for
 * two slots is not overtaken by a one-slot run that would fit now (it would starve otherwise).
 */
export class SlotGate {
  private free: number;
  private readonly waiters: Waiter[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new HetschedError(
        Code.Internal,
        `a slot gate needs a positive integer capacity, got ${capacity}`,
      );
    this.free = capacity;
  }

  /** Runs waiting for slots. */
  get waiting(): number {
    return this.waiters.length - this.head;
  }

  /** Resolves once `slots` slots are held; release them with release(slots). */
  acquire(slots: number): Promise<void> {
    if (!(Number.isInteger(slots) && slots >= 1 && slots <= this.capacity)) {
      return Promise.reject(
        new HetschedError(Code.Internal, `a run asked for ${slots} slots of a pool of ${this.capacity}`),
      );
    }
    if (this.waiting === 0 && slots <= this.free) {
      this.free -= slots;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ slots, resolve }));
  }

  release(slots: number): void {
    this.free = Math.min(this.capacity, this.free + slots);
    while (this.head < this.waiters.length) {
      const next = this.waiters[this.head] as Waiter;
      if (next.slots > this.free) break;
      this.free -= next.slots;
      this.head++;
      next.resolve();
    }
    // Drop the served prefix now and then, so the array does not grow with every run ever queued.
    if (this.head > 64 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
  }
}
