import type { GraphIR } from '../graph/index.js';
import type { TenantBlocks } from './blocks.js';
import { coarsenAll } from './coarsen.js';
import {
  type Assignment,
  assignmentKey,
  type Objective,
  type SearchResult,
  type TracePoint,
} from './problem.js';
import { type RangeSweepOptions, rangeSweep, shiftRunEnds } from './range-sweep.js';
import { refineWithRestarts } from './refine-restarts.js';
import { type RlResult, rlSearch } from './rl.js';
import type { BlockCostFn } from './rl-features.js';
import type { PolicyWeights } from './rl-policy.js';

/** A named starting point of phase 2. */
export interface Start {
  readonly name: string;
  readonly assignment: Assignment;
}

/** A placement phase 2 found from a start (named after it), with the objective's score. */
export interface Candidate extends Start {
  readonly score: number;
}

export interface TwoPhaseOptions {
  readonly seed: number;
  /** Phase 1's budget: episodes (objective calls, cache hits included). 0 skips phase 1. */
  readonly rlEpisodes: number;
  /** Phase 2's budget: new evaluations. 0 skips phase 2. */
  readonly refineEvaluations: number;
  /** Blocks per tenant phase 1 decides. Default 64. */
  readonly maxBlocksPerTenant?: number;
  /** A policy saved with an earlier plan: phase 1 starts from it. */
  readonly warmStart?: PolicyWeights;
  /**
   * Starting points for phase 2 besides phase 1's result (e.g. a baseline). Each is refined with
   * an equal share of the budget; the best refined one wins.
   */
  readonly extraStarts?: readonly Start[];
  /**
   * One more start, known only later (e.g. from a solver on another thread): called when every
   * other start is refined, with what their refinements found (to judge while it waits), so that
   * what it awaits overlaps them; refined last, with its share.
   */
  readonly lateStart?: (refined: readonly Candidate[]) => Promise<Start>;
  /**
   * A refinement of a start that finds nothing better in this fraction of the start's share of
   * the budget (at least MIN_STALL_EVALUATIONS) ends, and another begins from the same start with
   * a fresh random stream, while the share lasts. Default RESTART_STALL_FRACTION; 1 or more: one
   * refinement per start.
   */
  readonly restartStallFraction?: number;
  /**
   * Each start known at once (not the late one) is first swept over each tenant's GPU runs between
   * its narrowest cuts (rangeSweep), and refined from the swept placement where that scores
   * better. Absent: no sweep.
   */
  readonly rangeSweep?: RangeSweepOptions;
  /**
   * A wall-clock safety cap over both phases, with the clock injected (the search reads none).
   * Results repeat exactly only when the budgets, not this, end the phases.
   */
  readonly deadline?: { readonly budgetMs: number; readonly nowMs: () => number };
}

export interface TwoPhaseResult extends SearchResult {
  /** Phase 1's outcome (absent when skipped): learning curve, policy for warm starts, backend. */
  readonly rl?: Omit<RlResult, 'assignment'>;
  /**
   * Where the winning refinement started: 'rl' or an extra start's name ('+ranges' where swept
   * first; '+cuts' for a swept placement not refined).
   */
  readonly startedFrom: string;
  /**
   * The best placement from each start and each of its refinement's restarts (or the start
   * itself, when phase 2 did not run), best first: a caller with a more exact judge than the
   * objective searched (the simulator) picks among them.
   */
  readonly candidates: readonly Candidate[];
}

/**
 * Local search from one start lands on very different local optima with different random streams,
 * and there finds its best early: once half a start's share brought nothing better, a fresh
 * stream from the start is a better use of the rest than more kicks and sweeps. Not less than
 * half: the exact instances of bench search improve late, and fewer of them end within 1% of the
 * optimum when runs are cut sooner (npm run bench -- search, with this constant lowered).
 */
export const RESTART_STALL_FRACTION = 0.5;
/** The fewest evaluations without progress that end a refinement (small shares would restart at every step). */
const MIN_STALL_EVALUATIONS = 100;

/**
 * COS's two-phase search. Phase 1 coarsens every tenant's graph into blocks and trains a
 * policy-gradient agent over block placements (rlSearch). Phase 2 refines at operator level
 * from its best placement, and from any extra starts, each with an equal share of the budget
 * and restarted with a fresh random stream when a run stalls (restartStallFraction), keeping the
 * best; each start first swept over its tenants' GPU runs where asked (rangeSweep). Evaluations
 * of both phases go through one objective, so the trace's counters line up.
 */
export async function twoPhaseSearch(
  objective: Objective,
  graphs: readonly GraphIR[],
  blockCosts: BlockCostFn,
  options: TwoPhaseOptions,
): Promise<TwoPhaseResult> {
  const before = objective.evaluations;
  const startedMs = options.deadline?.nowMs();
  const remainingMs = (): number =>
    options.deadline && startedMs !== undefined
      ? Math.max(0, options.deadline.budgetMs - (options.deadline.nowMs() - startedMs))
      : Number.POSITIVE_INFINITY;
  const trace: TracePoint[] = [];
  const starts: { name: string; assignment: Assignment; score: number }[] = [];
  let rl: RlResult | undefined;
  if (options.rlEpisodes > 0) {
    const blocks: TenantBlocks[] = coarsenAll(graphs, objective.gpuAllowed, {
      ...(options.maxBlocksPerTenant !== undefined && { maxBlocksPerTenant: options.maxBlocksPerTenant }),
    });
    rl = await rlSearch(objective, blocks, blockCosts, {
      seed: options.seed,
      episodes: options.rlEpisodes,
      ...(options.warmStart && { warmStart: options.warmStart }),
      // Phase 1 gets at most half the time: refinement is where operator-level gains are made.
      ...(options.deadline && {
        deadline: { budgetMs: remainingMs() / 2, nowMs: options.deadline.nowMs },
      }),
    });
    trace.push(...rl.trace);
    starts.push({ name: 'rl', assignment: rl.assignment, score: rl.score });
  }
  for (const extra of options.extraStarts ?? []) {
    starts.push({ name: extra.name, assignment: extra.assignment, score: objective.score(extra.assignment) });
  }
  if (starts.length === 0 && !options.lateStart)
    throw new RangeError('twoPhaseSearch: no phase 1 and no start to refine');

  const candidates: Candidate[] = [];
  const count = starts.length + (options.lateStart ? 1 : 0);
  const share = Math.max(1, Math.floor(options.refineEvaluations / count));
  let started = 0;
  const refineStart = (start: Start & { readonly score: number }): void => {
    const index = started++;
    if (options.refineEvaluations <= 0) {
      candidates.push(start);
      return;
    }
    const fraction = options.restartStallFraction ?? RESTART_STALL_FRACTION;
    const stall =
      fraction >= 1 ? Number.POSITIVE_INFINITY : Math.max(MIN_STALL_EVALUATIONS, fraction * share);
    const refined = refineWithRestarts(objective, graphs, start.assignment, {
      seed: options.seed + index,
      maxEvaluations: share,
      stallEvaluations: stall,
      ...(options.deadline && {
        timeBudget: { ms: remainingMs() / (count - index), now: options.deadline.nowMs },
      }),
    });
    trace.push(...refined.trace.map((point) => ({ ...point, phase: `refine:${start.name}` })));
    // Each run's best, distinct: where the objective misjudges, a run it ranks lower may be better.
    const seen = new Set<string>();
    for (const run of refined.runs) {
      const key = assignmentKey(run.assignment);
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ name: start.name, assignment: run.assignment, score: run.score });
    }
  };
  // Sweeping first, refinement starts from the tenants' best GPU runs where they score better.
  // Where the run's ends move matters to the simulator in ways this objective misjudges: the
  // runs found at narrow cuts alone, their ends moved only afterwards, go to the verdict too.
  const sweptCandidates: Candidate[] = [];
  if (options.rangeSweep && options.refineEvaluations > 0)
    for (const [index, start] of starts.entries()) {
      const expired = (): boolean => remainingMs() <= 0;
      const atCuts = rangeSweep(
        objective,
        graphs,
        start.assignment,
        { ...options.rangeSweep, shiftEnds: false },
        expired,
      );
      const shifted = shiftRunEnds(objective, atCuts.assignment, expired);
      if (shifted.score > start.score) sweptCandidates.push({ name: `${start.name}+cuts`, ...shifted });
      const swept = rangeSweep(objective, graphs, start.assignment, options.rangeSweep, expired);
      if (swept.score > start.score) starts[index] = { name: `${start.name}+ranges`, ...swept };
    }
  for (const start of starts) refineStart(start);
  candidates.push(...sweptCandidates);
  if (options.lateStart) {
    const late = await options.lateStart(candidates);
    refineStart({ ...late, score: objective.score(late.assignment) });
  }
  // Stable sort: ties keep phase 1 first.
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0] as (typeof candidates)[number];
  return {
    assignment: best.assignment,
    score: best.score,
    evaluations: objective.evaluations - before,
    trace,
    ...(rl && { rl: withoutAssignment(rl) }),
    startedFrom: best.name,
    candidates,
  };
}

function withoutAssignment(result: RlResult): Omit<RlResult, 'assignment'> {
  const { assignment: _assignment, ...rest } = result;
  return rest;
}
