import { describe, expect, it } from 'vitest';
import { IdleQueue } from './sim-idle-queue.js';

describe('IdleQueue', () => {
  it('serves durations first in, first out, growing past its ring and wrapping around', () => {
    const queue = new IdleQueue();
    for (let k = 0; k < 10; k++) queue.push(k);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([0, 1, 2]);
    // Wrapped: the head is at 3; 30 more outgrow the 16-slot ring twice.
    for (let k = 10; k < 40; k++) queue.push(k);
    expect(queue.length).toBe(37);
    const served: number[] = [];
    while (queue.length > 0) served.push(queue.shift());
    expect(served).toEqual(Array.from({ length: 37 }, (_, k) => k + 3));
  });
});
