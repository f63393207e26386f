import { describe, expect, it } from 'vitest';
import { PoolQueues } from './sim-pool-queue.js';

describe('PoolQueues', () => {
  it('keeps each pool FIFO and apart, wrapping around its ring', () => {
    const queues = new PoolQueues(2, 3);
    const drained: number[][] = [[], []];
    for (let round = 0; round < 4; round++) {
      queues.push(0, 10 * round + 1);
      queues.push(1, 100 + round);
      queues.push(0, 10 * round + 2);
      expect([queues.waiting(0), queues.waiting(1)]).toEqual([2, 1]);
      for (const pool of [0, 1]) {
        while (queues.waiting(pool) > 0) {
          drained[pool]?.push(queues.peek(pool));
          queues.shift(pool);
        }
      }
    }
    expect(drained).toEqual([
      [1, 2, 11, 12, 21, 22, 31, 32],
      [100, 101, 102, 103],
    ]);
  });
});
