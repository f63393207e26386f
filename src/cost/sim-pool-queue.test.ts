import { describe, expect, it } from 'vitest';
import { PoolQueues } from './sim-pool-queue.js';

function drain(queues: PoolQueues, pool: number): number[] {
  const order: number[] = [];
  while (queues.waiting(pool) > 0) {
    order.push(queues.peek(pool));
    queues.shift(pool);
  }
  return order;
}

describe('PoolQueues', () => {
  it('serves each pool earliest deadline first, equal deadlines in arrival order', () => {
    const queues = new PoolQueues(2, 2);
    queues.push(0, 1, 50);
    queues.push(0, 2, 20);
    queues.push(1, 100, 5);
    queues.push(0, 3, 50);
    queues.push(0, 4, 20);
    queues.push(0, 5, 10);
    expect([queues.waiting(0), queues.waiting(1)]).toEqual([5, 1]);
    expect(drain(queues, 0)).toEqual([5, 2, 4, 1, 3]);
    expect(drain(queues, 1)).toEqual([100]);
  });

  it('keeps one deadline FIFO past its first size, across refills', () => {
    const queues = new PoolQueues(1, 2);
    const drained: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 20; i++) queues.push(0, 100 * round + i, 7);
      drained.push(...drain(queues, 0));
    }
    expect(drained).toEqual([0, 100, 200].flatMap((base) => Array.from({ length: 20 }, (_, i) => base + i)));
  });
});
