/**
 * A tenant's admission queue in the simulator: FIFO of waiting requests (arrival time and request
 * number) in a growable ring of typed arrays, so enqueueing allocates only when it must grow.
 */
export class RequestQueue {
  private arrivals: Float64Array;
  private numbers: Int32Array;
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    const size = Math.max(4, capacity);
    this.arrivals = new Float64Array(size);
    this.numbers = new Int32Array(size);
  }

  get length(): number {
    return this.count;
  }

  /** Arrival time (ms) of the oldest waiting request; call only when length > 0. */
  headArrivalMs(): number {
    return this.arrivals[this.head] ?? 0;
  }

  /** The tenant's request number of the oldest waiting request; call only when length > 0. */
  headNumber(): number {
    return this.numbers[this.head] ?? 0;
  }

  push(arrivalMs: number, requestNumber: number): void {
    if (this.count === this.arrivals.length) this.grow();
    const capacity = this.arrivals.length;
    const at = (this.head + this.count) % capacity;
    this.arrivals[at] = arrivalMs;
    this.numbers[at] = requestNumber;
    this.count++;
  }

  /** Drops the oldest waiting request (read it with headArrivalMs/headNumber first). */
  shift(): void {
    this.head = (this.head + 1) % this.arrivals.length;
    this.count--;
  }

  private grow(): void {
    const size = this.arrivals.length * 2;
    const arrivals = new Float64Array(size);
    const numbers = new Int32Array(size);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.arrivals.length;
      arrivals[i] = this.arrivals[from] ?? 0;
      numbers[i] = this.numbers[from] ?? 0;
    }
    this.arrivals = arrivals;
    this.numbers = numbers;
    this.head = 0;
  }
}
