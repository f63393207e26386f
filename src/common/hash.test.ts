import { describe, expect, it } from 'vitest';
import { hashIntegers, sameItems } from './hash.js';

describe('hashIntegers', () => {
  it('hashes equal sequences alike, whatever holds them, to a safe integer below 2^52', () => {
    const bytes = Uint8Array.from([0, 1, 1, 0, 2]);
    const hash = hashIntegers(bytes);
    expect(hashIntegers([0, 1, 1, 0, 2])).toBe(hash);
    expect(Number.isSafeInteger(hash)).toBe(true);
    expect(hash).toBeGreaterThanOrEqual(0);
    expect(hash).toBeLessThan(2 ** 52);
  });

  it('tells apart what differs in one item, in order, in length or in salt', () => {
    const base = [3, 1, 4, 1, 5, 9, 2, 6];
    const hashes = new Set([
      hashIntegers(base),
      hashIntegers([3, 1, 4, 1, 5, 9, 2, 7]),
      hashIntegers([1, 3, 4, 1, 5, 9, 2, 6]),
      hashIntegers(base.slice(0, 7)),
      hashIntegers([...base, 0]),
      hashIntegers(base, 'cpu'),
      hashIntegers(base, 'gpu:0'),
    ]);
    expect(hashes.size).toBe(7);
  });

  it('spreads the placements of 12 operators over distinct hashes', () => {
    // Every assignment of 12 operators to two sides: 4,096 sequences, no two alike.
    const hashes = new Set<number>();
    for (let mask = 0; mask < 1 << 12; mask++)
      hashes.add(hashIntegers(Uint8Array.from({ length: 12 }, (_, op) => (mask >> op) & 1)));
    expect(hashes.size).toBe(1 << 12);
  });
});

describe('sameItems', () => {
  it('compares items in order and lengths', () => {
    expect(sameItems(Uint8Array.from([1, 2]), Uint8Array.from([1, 2]))).toBe(true);
    expect(sameItems(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameItems(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameItems([1, 2], [1, 2, 3])).toBe(false);
  });
});
