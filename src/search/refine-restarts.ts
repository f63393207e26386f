import type { GraphIR } from '../graph/index.js';
import type { Assignment, Objective, SearchResult, TracePoint } from './problem.js';
import { refine } from './refine.js';

export interface RestartOptions {
  /** The first refinement's seed; restart k's is seed + k · RESTART_SEED_STRIDE. */
  readonly seed: number;
  /** New evaluations, all restarts together. */
  readonly maxEvaluations: number;
  /** Evaluations without a better placement that end one refinement (RefineOptions.stallEvaluations). */
  readonly stallEvaluations: number;
  /** A wall-clock cap over all restarts, the clock injected. */
  readonly timeBudget?: { readonly ms: number; readonly now: () => number };
}

export interface RestartsResult extends SearchResult {
  /** Each run's best placement, in run order: a judge more exact than the objective may prefer another. */
  readonly runs: readonly { readonly assignment: Assignment; readonly score: number }[];
}

/** Seeds of successive restarts are this far apart: beyond the few seeds a caller's starts use. */
const RESTART_SEED_STRIDE = 1_000;

/**
 * Refines `start` again and again with fresh random streams, each run ending once it stalls
 * (stallEvaluations), until the budget is spent; the best of all runs is returned. Local search
 * on a rugged objective lands on very different local optima from one start, and finds each
 * early; the runs after the first use what further kicks and sweeps would have spent there. With
 * stallEvaluations Infinity, one run.
 * Deterministic for a seed when the evaluation budget, not the clock, ends it. The trace holds
 * the best so far across runs.
 */
export function refineWithRestarts(
  objective: Objective,
  graphs: readonly GraphIR[],
  start: Assignment,
  options: RestartOptions,
): RestartsResult {
  const before = objective.evaluations;
  const startedMs = options.timeBudget?.now() ?? 0;
  const timeLeftMs = (): number =>
    options.timeBudget
      ? options.timeBudget.ms - (options.timeBudget.now() - startedMs)
      : Number.POSITIVE_INFINITY;
  let best: SearchResult | undefined;
  const trace: TracePoint[] = [];
  const runs: { assignment: Assignment; score: number }[] = [];
  for (let restart = 0; ; restart++) {
    const left = options.maxEvaluations - (objective.evaluations - before);
    if (left <= 0 || timeLeftMs() <= 0) break;
    const run = refine(objective, graphs, start, {
      seed: options.seed + restart * RESTART_SEED_STRIDE,
      maxEvaluations: left,
      stallEvaluations: options.stallEvaluations,
      ...(options.timeBudget && { timeBudget: { ms: timeLeftMs(), now: options.timeBudget.now } }),
    });
    for (const point of run.trace)
      if (trace.length === 0 || point.bestScore > (trace.at(-1)?.bestScore ?? Number.NEGATIVE_INFINITY))
        trace.push(point);
    runs.push({ assignment: run.assignment, score: run.score });
    if (!best || run.score > best.score) best = run;
    // A run that cannot stall has spent the whole budget; a run that evaluated nothing new (every
    // move a cache hit) would be followed by another just like it.
    if (!Number.isFinite(options.stallEvaluations) || run.evaluations === 0) break;
  }
  const found = best ?? { assignment: start, score: objective.score(start) };
  if (runs.length === 0) runs.push(found);
  return {
    assignment: found.assignment,
    score: found.score,
    evaluations: objective.evaluations - before,
    trace,
    runs,
  };
}
