import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import { type Assignment, ON_CPU, ON_GPU } from './problem.js';
import { SimObjective } from './sim-objective.js';
import { SCREEN_PROBLEM as PROBLEM } from './sim-screen.test-fixture.js';
import { bestByVerdict } from './verdict.js';

interface Entry {
  readonly name: string;
  readonly assignment: Assignment;
}

/** Seeded random placements, each operator on the GPU with probability `gpu` where allowed. */
function randomEntries(count: number, seed: number): Entry[] {
  const rng = new Rng(seed);
  const gpuAllowed = new SimObjective(PROBLEM).gpuAllowed;
  return Array.from({ length: count }, (_, index) => {
    const gpu = rng.float();
    return {
      name: `plan ${index}`,
      assignment: gpuAllowed.map((allowed) =>
        Uint8Array.from(allowed, (ok) => (ok && rng.float() < gpu ? ON_GPU : ON_CPU)),
      ),
    };
  });
}

/** What the verdict must equal: every entry scored in full, the first of equals kept. */
function bestByFullScores(entries: readonly Entry[]): { name: string; score: number } {
  const judge = new SimObjective(PROBLEM);
  return entries
    .map((entry) => ({ name: entry.name, score: judge.score(entry.assignment) }))
    .reduce((a, b) => (b.score > a.score ? b : a));
}

describe('bestByVerdict', () => {
  it('picks what full scores pick, scores the reported entries in full, and simulates less', () => {
    let screenedOut = 0;
    for (const seed of [1, 2, 3, 4]) {
      const entries = randomEntries(12, seed);
      const reported = new Set(entries.filter((_, index) => index % 4 === seed % 4));
      const judge = new SimObjective(PROBLEM);
      const verdict = bestByVerdict(judge, entries, (entry) => reported.has(entry));
      const expected = bestByFullScores(entries);
      expect(verdict.entry.name).toBe(expected.name);
      expect(verdict.score).toBe(expected.score);
      const full = new SimObjective(PROBLEM);
      for (const entry of reported) expect(judge.score(entry.assignment)).toBe(full.score(entry.assignment));
      // A bisection is 7 simulations; a plan screened out costs one.
      for (const entry of entries) full.score(entry.assignment);
      expect(judge.simulations).toBeLessThanOrEqual(full.simulations);
      screenedOut += full.simulations - judge.simulations;
    }
    expect(screenedOut).toBeGreaterThan(0);
  });

  it('keeps the first of equal scores, a reported entry after it or not', () => {
    const [a, b] = randomEntries(2, 7) as [Entry, Entry];
    const judge = new SimObjective(PROBLEM);
    const [high, low] = judge.score(a.assignment) >= judge.score(b.assignment) ? [a, b] : [b, a];
    const twin = { name: 'twin', assignment: high.assignment };
    for (const reportTwin of [false, true]) {
      const verdict = bestByVerdict(new SimObjective(PROBLEM), [low, high, twin], (entry) =>
        reportTwin ? entry === twin : false,
      );
      expect(verdict.entry).toBe(high);
    }
    expect(bestByVerdict(new SimObjective(PROBLEM), [twin, low, high], (entry) => entry === high).entry).toBe(
      twin,
    );
  });

  it('refuses no entries', () => {
    expect(() => bestByVerdict(new SimObjective(PROBLEM), [], () => true)).toThrow(RangeError);
  });
});
