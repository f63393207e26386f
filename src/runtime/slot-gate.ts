import { Code, HetschedError } from '../common/index.js';

interface Waiter {
  readonly slots: number;
  readonly sloDeadlineMs: number;
  readonly resolve: () => void;
}

/**
 * A pool's worker slots as a counting semaphore: a session run holds as many slots as its thread
 * budget covers (one, or more for a CPU segment with more intra-op threads), so runs never ask for
 * more cores than the pool has. Waiting runs go earliest SLO deadline first, equal deadlines (one
 * request's segments, one tenant's requests) in arrival order, as the simulator models it: the
 * dispatcher orders requests by deadline, and a pool keeps that order among the segments of the
 * requests it has let through, so a tight-SLO request is not stuck behind a loose one's. No run
 * overtakes the one first in line even where it would fit now: a wide run would starve
 * otherwise. A run due earlier joins the line ahead of it, and starts at once where it fits.
 */
export class SlotGate {
  private free: number;
  /** Sorted by deadline, then arrival; the head is `head`. */
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

  /**
   * Resolves once `slots` slots are held; release them with release(slots). `sloDeadlineMs` orders
   * the waiters (any one clock; default: after every deadline, in arrival order).
   */
  acquire(slots: number, sloDeadlineMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (!(Number.isInteger(slots) && slots >= 1 && slots <= this.capacity)) {
      return Promise.reject(
        new HetschedError(Code.Internal, `a run asked for ${slots} slots of a pool of ${this.capacity}`),
      );
    }
    if (this.waiting === 0 && slots <= this.free) {
      this.free -= slots;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.enqueue({ slots, sloDeadlineMs, resolve });
      // Due before a waiting wide run, it may be first in line now and fit the free slots.
      this.startWaiters();
    });
  }

  release(slots: number): void {
    this.free = Math.min(this.capacity, this.free + slots);
    this.startWaiters();
  }

  /** Starts waiters from the head of the line while the head fits the free slots. */
  private startWaiters(): void {
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

  /**
   * Inserts after every waiter due no later (binary search). A splice is linear, but the waiters
   * number at most the dispatcher's request slots times their segments, and most land at the end.
   */
  private enqueue(waiter: Waiter): void {
    const { waiters } = this;
    let low = this.head;
    let high = waiters.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((waiters[middle] as Waiter).sloDeadlineMs <= waiter.sloDeadlineMs) low = middle + 1;
      else high = middle;
    }
    waiters.splice(low, 0, waiter);
  }
}
