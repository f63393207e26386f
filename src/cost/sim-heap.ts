/**
 * The simulator's event queue: a binary min-heap on (time, insertion order) over parallel typed
 * arrays, so pushing and popping allocate nothing. An event is an int32 payload; equal times pop
 * in insertion order, which keeps runs deterministic and same-instant events first-come first-served.
 */
export class EventHeap {
  private times: Float64Array;
  private orders: Float64Array;
  private payloads: Int32Array;
  private count = 0;
  private nextOrder = 0;

  constructor(capacity: number) {
    const size = Math.max(16, capacity);
    this.times = new Float64Array(size);
    this.orders = new Float64Array(size);
    this.payloads = new Int32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** Time (ms) of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? (this.times[0] ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  }

  push(timeMs: number, payload: number): void {
    if (this.count === this.times.length) this.grow();
    const times = this.times;
    const orders = this.orders;
    const payloads = this.payloads;
    const order = this.nextOrder++;
    // Sift the hole up rather than swapping: one write per level.
    let hole = this.count++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      const parentTime = times[parent] ?? 0;
      if (parentTime < timeMs || (parentTime === timeMs && (orders[parent] ?? 0) < order)) break;
      times[hole] = parentTime;
      orders[hole] = orders[parent] ?? 0;
      payloads[hole] = payloads[parent] ?? 0;
      hole = parent;
    }
    times[hole] = timeMs;
    orders[hole] = order;
    payloads[hole] = payload;
  }

  /** Removes the earliest event and returns its payload; call only when size > 0. */
  pop(): number {
    const times = this.times;
    const orders = this.orders;
    const payloads = this.payloads;
    const top = payloads[0] ?? 0;
    const last = --this.count;
    const time = times[last] ?? 0;
    const order = orders[last] ?? 0;
    const payload = payloads[last] ?? 0;
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last) {
        const leftTime = times[child] ?? 0;
        const rightTime = times[right] ?? 0;
        if (rightTime < leftTime || (rightTime === leftTime && (orders[right] ?? 0) < (orders[child] ?? 0))) {
          child = right;
        }
      }
      const childTime = times[child] ?? 0;
      if (time < childTime || (time === childTime && order < (orders[child] ?? 0))) break;
      times[hole] = childTime;
      orders[hole] = orders[child] ?? 0;
      payloads[hole] = payloads[child] ?? 0;
      hole = child;
    }
    times[hole] = time;
    orders[hole] = order;
    payloads[hole] = payload;
    return top;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    const orders = new Float64Array(size);
    const payloads = new Int32Array(size);
    times.set(this.times);
    orders.set(this.orders);
    payloads.set(this.payloads);
    this.times = times;
    this.orders = orders;
    this.payloads = payloads;
  }
}
