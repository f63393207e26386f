import type { Assignment } from './problem.js';
import type { SimObjective } from './sim-objective.js';

/** The best of a verdict, with its score. */
export interface Verdict<T> {
  readonly entry: T;
  readonly score: number;
}

/**
 * The simulator's best of `entries` (the first of equals), as if every entry were scored in full.
 * Those `reported` are scored in full (their scores are shown); each other entry only where it may
 * beat the best of the rest (SimObjective.scoreAbove: one simulation, not a bisection, where it
 * cannot; exact wherever meeting the SLOs is monotone in the load, as the last polish assumes
 * too). The floor an entry must beat is the best before it, and just below the best reported
 * after it, which it would win a tie against.
 */
export function bestByVerdict<T extends { readonly assignment: Assignment }>(
  judge: SimObjective,
  entries: readonly T[],
  reported: (entry: T) => boolean,
): Verdict<T> {
  if (entries.length === 0) throw new RangeError('bestByVerdict: no entries');
  const full = entries.map((entry) => (reported(entry) ? judge.score(entry.assignment) : undefined));
  // The best reported score after each position.
  const reportedAfter = new Float64Array(entries.length + 1).fill(Number.NEGATIVE_INFINITY);
  for (let index = entries.length - 1; index >= 0; index--)
    reportedAfter[index] = Math.max(
      reportedAfter[index + 1] as number,
      full[index] ?? Number.NEGATIVE_INFINITY,
    );
  let best: Verdict<T> | undefined;
  entries.forEach((entry, index) => {
    const known = full[index];
    if (known !== undefined) {
      if (!best || known > best.score) best = { entry, score: known };
      return;
    }
    const floor = Math.max(
      best?.score ?? Number.NEGATIVE_INFINITY,
      below(reportedAfter[index + 1] as number),
    );
    // Nothing to beat yet: a full score.
    const score = Number.isFinite(floor)
      ? judge.scoreAbove(entry.assignment, floor)
      : judge.score(entry.assignment);
    // scoreAbove gives the floor itself where it screened the entry out; the floor is at least
    // the best so far.
    if (score > floor) best = { entry, score };
  });
  return best as Verdict<T>;
}

/** A number just below `x` (x itself where infinite), so that a score equal to x beats it. */
function below(x: number): number {
  if (!Number.isFinite(x)) return x;
  return x - Math.max(Math.abs(x) * Number.EPSILON, Number.MIN_VALUE);
}
