import { describe, expect, it } from 'vitest';
import type { Assignment } from './problem.js';
import { assignmentHash, sameSides, sidesHash } from './sides.js';

const of = (...tenants: number[][]): Assignment => tenants.map((sides) => Uint8Array.from(sides));

describe('sidesHash', () => {
  it('hashes equal sides alike, in any array, to a safe integer below 2^52', () => {
    const hash = sidesHash(Uint8Array.of(0, 1, 1, 0, 2));
    expect(sidesHash(Uint8Array.of(0, 1, 1, 0, 2))).toBe(hash);
    expect(Number.isSafeInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(hash).toBeLessThan(2 ** 52);
  });

  it('tells apart sides that differ in one operator, in order or in length', () => {
    const base = [1, 0, 1, 1, 0, 2, 0, 1];
    const hashes = new Set([
      sidesHash(Uint8Array.from(base)),
      sidesHash(Uint8Array.from([1, 0, 1, 1, 0, 2, 0, 0])),
      sidesHash(Uint8Array.from([0, 1, 1, 1, 0, 2, 0, 1])),
      sidesHash(Uint8Array.from(base.slice(0, 7))),
      sidesHash(Uint8Array.from([...base, 0])),
    ]);
    expect(hashes.size).toBe(5);
  });

  it('spreads the placements of 12 operators over distinct hashes', () => {
    // Every assignment of 12 operators to two sides: 4,096 sequences, no two alike.
    const hashes = new Set<number>();
    for (let mask = 0; mask < 1 << 12; mask++)
      hashes.add(sidesHash(Uint8Array.from({ length: 12 }, (_, op) => (mask >> op) & 1)));
    expect(hashes.size).toBe(1 << 12);
  });
});

describe('sameSides', () => {
  it('compares operator by operator, and lengths', () => {
    expect(sameSides(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(sameSides(Uint8Array.of(1, 2), Uint8Array.of(2, 1))).toBe(false);
    expect(sameSides(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
  });
});

describe('assignmentHash', () => {
  it('hashes equal assignments alike, in any arrays, to a safe integer below 2^52', () => {
    const hash = assignmentHash(of([0, 1, 1], [2, 0]));
    expect(assignmentHash(of([0, 1, 1], [2, 0]))).toBe(hash);
    expect(Number.isSafeInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(hash).toBeLessThan(2 ** 52);
  });

  it('tells apart one operator moved, tenants swapped, and operators shifted between tenants', () => {
    const hashes = new Set([
      assignmentHash(of([0, 1, 1], [1, 0])),
      assignmentHash(of([0, 1, 1], [1, 1])),
      assignmentHash(of([1, 0], [0, 1, 1])),
      assignmentHash(of([0, 1], [1, 1, 0])),
      assignmentHash(of([0, 1, 1, 1, 0])),
      assignmentHash(of([0, 1, 1], [1, 0], [])),
    ]);
    expect(hashes.size).toBe(6);
  });

  it('spreads the placements of two tenants of 6 operators over distinct hashes', () => {
    const hashes = new Set<number>();
    for (let mask = 0; mask < 1 << 12; mask++) {
      const side = (op: number): number => (mask >> op) & 1;
      hashes.add(
        assignmentHash([
          Uint8Array.from({ length: 6 }, (_, op) => side(op)),
          Uint8Array.from({ length: 6 }, (_, op) => side(op + 6)),
        ]),
      );
    }
    expect(hashes.size).toBe(1 << 12);
  });
});
