import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap } from './sim-heap.js';
import { RequestQueue } from './sim-queue.js';

describe('EventHeap', () => {
  it('pops by time, equal times in insertion order, across growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { maxLength: 300 }),
        (script) => {
          // A time pushes (payload = its push number); -1 pops and compares with a stable sort.
          const heap = new EventHeap(1);
          let pending: Array<{ time: number; payload: number }> = [];
          let pushed = 0;
          for (const step of script) {
            if (step >= 0) {
              heap.push(step, pushed);
              pending.push({ time: step, payload: pushed++ });
            } else if (pending.length > 0) {
              const [expected, ...rest] = [...pending].sort(
                (a, b) => a.time - b.time || a.payload - b.payload,
              );
              pending = rest;
              expect(heap.peekTime()).toBe(expected?.time);
              expect(heap.pop()).toBe(expected?.payload);
            }
            expect(heap.size).toBe(pending.length);
          }
        },
      ),
    );
  });

  it('reports Infinity as the next time when empty', () => {
    expect(new EventHeap(4).peekTime()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('RequestQueue', () => {
  it('is FIFO across wrap-around and growth', () => {
    const queue = new RequestQueue(2);
    const expected: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < (round % 5) + 1; i++) {
        queue.push(next * 1.5, next);
        expected.push(next++);
      }
      for (let i = 0; i < round % 4 && queue.length > 0; i++) {
        const number = expected.shift();
        expect(queue.headNumber()).toBe(number);
        expect(queue.headArrivalMs()).toBe((number ?? 0) * 1.5);
        queue.shift();
      }
      expect(queue.length).toBe(expected.length);
    }
  });
});
