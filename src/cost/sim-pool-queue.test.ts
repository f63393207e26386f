import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
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

  it('matches a stable sort by deadline under random pushes and shifts, through wrap-around and growth', () => {
    const rng = new Rng(4);
    const queues = new PoolQueues(3, 2);
    const reference: { instance: number; deadlineMs: number; order: number }[][] = [[], [], []];
    let order = 0;
    for (let step = 0; step < 3_000; step++) {
      const pool = rng.int(0, 2);
      const waiting = reference[pool] as { instance: number; deadlineMs: number; order: number }[];
      expect(queues.waiting(pool)).toBe(waiting.length);
      if (waiting.length > 0 && rng.float() < 0.45) {
        expect(queues.peek(pool)).toBe(waiting[0]?.instance);
        queues.shift(pool);
        waiting.shift();
      } else {
        // Few distinct deadlines, so that ties are common; mostly later ones, as in a run.
        const deadlineMs = Math.floor(step / 10) + rng.int(-3, 3);
        queues.push(pool, step, deadlineMs);
        waiting.push({ instance: step, deadlineMs, order: order++ });
        waiting.sort((a, b) => a.deadlineMs - b.deadlineMs || a.order - b.order);
      }
    }
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
