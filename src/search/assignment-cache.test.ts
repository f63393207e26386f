import { describe, expect, it } from 'vitest';
import { AssignmentCache } from './assignment-cache.js';
import type { Assignment } from './problem.js';
import { assignmentHash } from './sides.js';

const of = (...tenants: number[][]): Assignment => tenants.map((sides) => Uint8Array.from(sides));

describe('AssignmentCache', () => {
  it('finds a value again from other arrays holding the same assignment', () => {
    const cache = new AssignmentCache<number>(4);
    const assignment = of([0, 1], [1]);
    cache.set(assignmentHash(assignment), assignment, 7);
    const again = of([0, 1], [1]);
    expect(cache.get(assignmentHash(again), again)).toBe(7);
  });

  it('keeps its own copy: changing the caller’s arrays afterwards changes nothing cached', () => {
    const cache = new AssignmentCache<string>(4);
    const assignment = of([0, 1], [1]);
    const hash = assignmentHash(assignment);
    cache.set(hash, assignment, 'first');
    (assignment[0] as Uint8Array)[0] = 1;
    expect(cache.get(hash, assignment)).toBeUndefined();
    expect(cache.get(hash, of([0, 1], [1]))).toBe('first');
  });

  it('answers nothing for another assignment under the same hash (a collision)', () => {
    const cache = new AssignmentCache<number>(4);
    cache.set(42, of([0, 1], [1]), 1);
    expect(cache.get(42, of([1, 1], [1]))).toBeUndefined();
    expect(cache.get(42, of([0, 1], [1, 0]))).toBeUndefined();
    expect(cache.get(42, of([0, 1]))).toBeUndefined();
    expect(cache.get(42, of([0, 1], [1]))).toBe(1);
  });

  it('forgets the least recently used assignment first', () => {
    const cache = new AssignmentCache<number>(2);
    const [a, b, c] = [of([0]), of([1]), of([2])] as [Assignment, Assignment, Assignment];
    cache.set(assignmentHash(a), a, 1);
    cache.set(assignmentHash(b), b, 2);
    expect(cache.get(assignmentHash(a), a)).toBe(1);
    cache.set(assignmentHash(c), c, 3);
    expect(cache.get(assignmentHash(b), b)).toBeUndefined();
    expect(cache.get(assignmentHash(a), a)).toBe(1);
    expect(cache.get(assignmentHash(c), c)).toBe(3);
  });
});
