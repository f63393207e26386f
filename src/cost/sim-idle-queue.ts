/**
 * The CPU workers' waits on the main thread not yet served in the simulator (SimTenant.workerIdleMs):
 * a FIFO of durations in a growable ring, so that queueing one allocates only when it must grow.
 */
export class IdleQueue {
  private durations = new Float64Array(16);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(durationMs: number): void {
    if (this.count === this.durations.length) {
      // Unroll the ring into one twice its size.
      const grown = new Float64Array(2 * this.durations.length);
      for (let k = 0; k < this.count; k++)
        grown[k] = this.durations[(this.head + k) % this.durations.length] ?? 0;
      this.durations = grown;
      this.head = 0;
    }
    this.durations[(this.head + this.count) % this.durations.length] = durationMs;
    this.count++;
  }

  /** The oldest wait's duration (ms), removed; call only when length > 0. */
  shift(): number {
    const durationMs = this.durations[this.head] ?? 0;
    this.head = (this.head + 1) % this.durations.length;
    this.count--;
    return durationMs;
  }
}
