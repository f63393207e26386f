import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { type Assignment, assignmentKey, withTenant } from './problem.js';

describe('withTenant', () => {
  it("replaces one tenant's sides, shares the others, and leaves the assignment as it was", () => {
    const assignment: Assignment = [Uint8Array.of(0, 1), Uint8Array.of(1, 1), Uint8Array.of(0)];
    const sides = Uint8Array.of(0, 0);
    const next = withTenant(assignment, 1, sides);
    expect(next).not.toBe(assignment);
    expect(next[0]).toBe(assignment[0]);
    expect(next[1]).toBe(sides);
    expect(next[2]).toBe(assignment[2]);
    expect(assignment[1]).toEqual(Uint8Array.of(1, 1));
  });

  it('gives a packed array for a packed one, optimised by V8 or not (a holey one deopted the sweeps)', () => {
    setFlagsFromString('--allow-natives-syntax');
    // Natives syntax parses only in code compiled after the flag is set, as this is.
    const natives = new Function(
      'fn',
      'args',
      `%PrepareFunctionForOptimization(fn);
       const interpreted = fn(...args);
       fn(...args);
       %OptimizeFunctionOnNextCall(fn);
       const optimised = fn(...args);
       return [%HasFastPackedElements(interpreted), %HasFastPackedElements(optimised), %HaveSameMap(interpreted, optimised)];`,
    ) as (fn: typeof withTenant, args: Parameters<typeof withTenant>) => boolean[];
    const packed = [Uint8Array.of(0), Uint8Array.of(1)];
    expect(natives(withTenant, [packed, 0, Uint8Array.of(1)])).toEqual([true, true, true]);
  });
});

describe('assignmentKey', () => {
  it('tells assignments apart by every tenant, in order', () => {
    const key = assignmentKey([Uint8Array.of(0, 1), Uint8Array.of(1)]);
    expect(assignmentKey([Uint8Array.of(0, 1), Uint8Array.of(1)])).toBe(key);
    expect(assignmentKey([Uint8Array.of(1), Uint8Array.of(0, 1)])).not.toBe(key);
    expect(assignmentKey([Uint8Array.of(0, 1), Uint8Array.of(0)])).not.toBe(key);
    expect(key).toBe(`${Buffer.from([0, 1]).toString('base64')}|${Buffer.from([1]).toString('base64')}`);
  });
});
