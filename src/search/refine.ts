import { Rng } from '../common/index.js';
import { type Adjacency, adjacencyOf, type GraphIR } from '../graph/index.js';
import {
  type Assignment,
  type Objective,
  type SearchResult,
  type TracePoint,
  withTenant,
} from './problem.js';
import { BUDGET_MOVE_KINDS, MAX_RUN, MOVE_KINDS, randomMove, systematicMoves } from './refine-moves.js';

export interface RefineOptions {
  readonly seed: number;
  /** Stop once refinement made this many evaluations (cache hits are free). */
  readonly maxEvaluations: number;
  /**
   * A safety cap on wall time, with the clock injected so the search itself stays pure. Results
   * are reproducible only when the evaluation budget, not this, ends the run.
   */
  readonly timeBudget?: { readonly ms: number; readonly now: () => number };
  /** Random moves scored per step; the best one is taken if it improves. 1: first improvement. Default 1. */
  readonly sampleSize?: number;
  /**
   * Consecutive random steps without improvement before the whole neighbourhood is checked
   * (every boundary flip and group move); refinement ends when that finds nothing. Default 30.
   */
  readonly patience?: number;
  /** Restarts from a perturbed best once at a local optimum (iterated local search). Default 50. */
  readonly maxKicks?: number;
  /**
   * End early once this many evaluations in a row found nothing better than the best: the budget
   * left is the caller's, to restart elsewhere. Default: never (the whole budget is spent here).
   */
  readonly stallEvaluations?: number;
}

/** Random moves in one perturbation: enough to leave a local optimum's basin, few enough to stay near it. */
const KICK_MOVES = 3;

/**
 * Phase 2: operator-level local search from `start`. Moves flip a boundary operator (one with a
 * neighbour on the other side), move a whole same-side group to the other side (merging it with
 * its neighbours), flip a run at either end of a group (splitting it), flip a run inside a group
 * (an island of the other side), or, where the machine has CPU thread budgets, give a CPU group
 * or a run at its end another budget. Random moves are tried first; once `patience` of them fail, the
 * whole neighbourhood is checked, and at a local optimum the search is kicked a few random moves
 * away from the best and goes on (iterated local search) while budget remains. The best found is
 * returned, so the result never scores below `start`. Deterministic for a seed. Needs the
 * tenants' graphs (the same order and sizes as the objective's) for the moves' structure.
 * Trace `evaluations` are the objective's counter, so phases of one search line up.
 */
export function refine(
  objective: Objective,
  graphs: readonly GraphIR[],
  start: Assignment,
  options: RefineOptions,
): SearchResult {
  const rng = new Rng(options.seed);
  const adjacency: Adjacency[] = graphs.map(adjacencyOf);
  const cpuSides = objective.cpuSides ?? 1;
  // Without thread budgets the moves (and so the random stream) are exactly those of a binary search.
  const kinds = cpuSides > 1 ? BUDGET_MOVE_KINDS : MOVE_KINDS;
  const sampleSize = Math.max(1, options.sampleSize ?? 1);
  const patience = Math.max(1, options.patience ?? 30);
  const maxKicks = Math.max(0, options.maxKicks ?? 50);
  const before = objective.evaluations;
  const startedMs = options.timeBudget?.now() ?? 0;
  const stall = options.stallEvaluations ?? Number.POSITIVE_INFINITY;
  // The objective's counter when the best last improved.
  let improvedAt = before;
  let stale = 0;
  let kicks = 0;
  const spent = (): boolean =>
    objective.evaluations - before >= options.maxEvaluations ||
    objective.evaluations - improvedAt >= stall ||
    (options.timeBudget !== undefined && options.timeBudget.now() - startedMs >= options.timeBudget.ms);

  let best: Assignment = start.map((sides) => sides.slice());
  let bestScore = objective.score(best);
  // The point local search stands on: the best, or a perturbation of it (iterated local search).
  let current = best;
  let currentScore = bestScore;
  const trace: TracePoint[] = [{ phase: 'refine', evaluations: objective.evaluations, bestScore }];
  const accept = (candidate: Assignment, score: number): void => {
    current = candidate;
    currentScore = score;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
      improvedAt = objective.evaluations;
      trace.push({ phase: 'refine', evaluations: objective.evaluations, bestScore });
    }
  };
  const tenants = objective.sizes.length;
  // Proposals can all be cache hits (free), so bound them too, or a tiny neighbourhood spins forever.
  let proposals = 0;
  const maxProposals = 20 * options.maxEvaluations + 100;

  while (!spent() && proposals < maxProposals) {
    if (stale >= patience) {
      if (sweep()) {
        stale = 0;
        continue;
      }
      // A local optimum. With budget left, kick the best a few moves away and search from there;
      // the best found stays the answer, so this never loses ground.
      if (kicks >= maxKicks || spent()) break;
      kicks++;
      const kicked = perturb(best);
      current = kicked;
      currentScore = objective.score(kicked);
      stale = 0;
      continue;
    }
    let stepBest: Assignment | null = null;
    let stepScore = currentScore;
    for (let sample = 0; sample < sampleSize && !spent(); sample++) {
      proposals++;
      const tenant = rng.int(0, tenants - 1);
      const kind = rng.pick(kinds);
      const sides = current[tenant] as Uint8Array;
      const moved = randomMove(
        kind,
        rng,
        adjacency[tenant] as Adjacency,
        sides,
        objective.gpuAllowed[tenant] ?? [],
        cpuSides,
      );
      if (!moved) continue;
      const candidate = withTenant(current, tenant, moved);
      const score = scoreAbove(candidate, stepScore);
      if (score > stepScore) [stepBest, stepScore] = [candidate, score];
    }
    if (stepBest) {
      accept(stepBest, stepScore);
      stale = 0;
    } else stale++;
  }
  return { assignment: best, score: bestScore, evaluations: objective.evaluations - before, trace };

  /** A move is taken only where it improves: a score at or below `floor` need not be exact. */
  function scoreAbove(candidate: Assignment, floor: number): number {
    return objective.scoreAbove ? objective.scoreAbove(candidate, floor) : objective.score(candidate);
  }

  /** A few random moves away from `from` (moves that change nothing are skipped). */
  function perturb(from: Assignment): Assignment {
    let moved = from;
    for (let step = 0; step < KICK_MOVES; step++) {
      const tenant = rng.int(0, tenants - 1);
      const next = randomMove(
        rng.pick(kinds),
        rng,
        adjacency[tenant] as Adjacency,
        moved[tenant] as Uint8Array,
        objective.gpuAllowed[tenant] ?? [],
        cpuSides,
      );
      if (next) moved = withTenant(moved, tenant, next);
    }
    return moved;
  }

  /** Takes the first improving move of the whole neighbourhood; false at a local optimum (or out of budget). */
  function sweep(): boolean {
    for (let tenant = 0; tenant < tenants; tenant++) {
      const sides = current[tenant] as Uint8Array;
      for (const moved of systematicMoves(
        adjacency[tenant] as Adjacency,
        sides,
        objective.gpuAllowed[tenant] ?? [],
        MAX_RUN,
        cpuSides,
      )) {
        if (spent()) return false;
        proposals++;
        const candidate = withTenant(current, tenant, moved);
        const score = scoreAbove(candidate, currentScore);
        if (score > currentScore) {
          accept(candidate, score);
          return true;
        }
      }
    }
    return false;
  }
}
