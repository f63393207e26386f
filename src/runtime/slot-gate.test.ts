import { describe, expect, it } from 'vitest';
import { SlotGate } from './slot-gate.js';

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A gate of `capacity` slots, and the order in which the runs `take` asks for got theirs. */
function gateOf(capacity: number) {
  const gate = new SlotGate(capacity);
  const order: string[] = [];
  const take = (name: string, slots: number, sloDeadlineMs?: number) => {
    void gate.acquire(slots, sloDeadlineMs).then(() => order.push(name));
  };
  return { gate, order, take };
}

describe('SlotGate', () => {
  it('admits runs while slots are free, and the next in line as slots come back', async () => {
    const { gate, order, take } = gateOf(2);
    take('a', 1);
    take('b', 1);
    take('c', 2);
    await settle();
    expect(order).toEqual(['a', 'b']);
    expect(gate.waiting).toBe(1);
    gate.release(1);
    await settle();
    // One slot free is not enough for c.
    expect(order).toEqual(['a', 'b']);
    gate.release(1);
    await settle();
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('serves waiting runs earliest SLO deadline first, equal deadlines in arrival order', async () => {
    const { gate, order, take } = gateOf(1);
    await gate.acquire(1);
    const runs: [string, number | undefined][] = [
      ['loose', 1_000],
      ['none', undefined],
      ['tight', 20],
      ['loose-2', 1_000],
      ['tight-2', 20],
      ['tightest', 5],
    ];
    for (const [name, deadlineMs] of runs) take(name, 1, deadlineMs);
    for (let i = 0; i < runs.length; i++) {
      gate.release(1);
      await settle();
    }
    expect(order).toEqual(['tightest', 'tight', 'tight-2', 'loose', 'loose-2', 'none']);
  });

  it.each([
    [
      'of equal deadline, queued first',
      [
        ['wide', 2],
        ['narrow', 1],
      ],
    ],
    [
      'due earlier, queued after',
      [
        ['narrow', 1, 100],
        ['wide', 2, 10],
      ],
    ],
  ] as const)(
    'lets no run overtake a wide one first in line (%s), even where it would fit',
    async (_, runs) => {
      const { gate, order, take } = gateOf(2);
      await gate.acquire(2);
      for (const [name, slots, deadlineMs] of runs) take(name, slots, deadlineMs);
      gate.release(1);
      await settle();
      // One slot is free and narrow would fit, but the wide run is first in line.
      expect(order).toEqual([]);
      gate.release(1);
      await settle();
      expect(order).toEqual(['wide']);
      gate.release(2);
      await settle();
      expect(order).toEqual(['wide', 'narrow']);
    },
  );

  it('starts a run due before a waiting wide one at once where it fits a free slot', async () => {
    const { gate, order, take } = gateOf(2);
    await gate.acquire(1);
    take('wide', 2, 100);
    take('tight', 1, 10);
    await settle();
    // No release in between: the free slot goes to the run now first in line.
    expect(order).toEqual(['tight']);
    gate.release(1);
    gate.release(1);
    await settle();
    expect(order).toEqual(['tight', 'wide']);
  });

  it('keeps serving in order past many runs', async () => {
    const gate = new SlotGate(1);
    await gate.acquire(1);
    const order: number[] = [];
    const all = Array.from({ length: 200 }, (_, i) => gate.acquire(1).then(() => order.push(i)));
    for (let i = 0; i < 200; i++) {
      gate.release(1);
      await settle();
    }
    await Promise.all(all);
    expect(order).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(gate.waiting).toBe(0);
  });

  it('refuses more slots than it has, none, or a fraction', async () => {
    const gate = new SlotGate(2);
    await expect(gate.acquire(3)).rejects.toThrow(/asked for 3 slots of a pool of 2/);
    await expect(gate.acquire(0)).rejects.toThrow(/asked for 0 slots/);
    await expect(gate.acquire(1.5)).rejects.toThrow(/asked for 1.5 slots/);
    expect(() => new SlotGate(0)).toThrow(/positive integer capacity/);
  });
});
