import { describe, expect, it } from 'vitest';
import { SlotGate } from './slot-gate.js';

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SlotGate', () => {
  it('admits runs while slots are free, and the next in line as slots come back', async () => {
    const gate = new SlotGate(2);
    const order: string[] = [];
    const take = (name: string, slots: number) => gate.acquire(slots).then(() => order.push(name));
    void take('a', 1);
    void take('b', 1);
    void take('c', 2);
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

  it('is FIFO: a narrow run does not overtake a wide one waiting, even where it would fit', async () => {
    const gate = new SlotGate(2);
    const order: string[] = [];
    await gate.acquire(1);
    void gate.acquire(2).then(() => order.push('wide'));
    void gate.acquire(1).then(() => order.push('narrow'));
    await settle();
    expect(order).toEqual([]);
    gate.release(1);
    await settle();
    expect(order).toEqual(['wide']);
    gate.release(2);
    await settle();
    expect(order).toEqual(['wide', 'narrow']);
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
