import { AnalyticObjective } from './analytic-objective.js';
import { type BaselineResult, runBaselines } from './baselines.js';
import { type LpThroughputBound, lpThroughputBound } from './lp-bound.js';
import type { Assignment, SearchProblem, TracePoint } from './problem.js';
import type { LearningPoint } from './rl.js';
import type { BlockCostFn } from './rl-features.js';
import type { PolicyWeights } from './rl-policy.js';
import { type PlanPrediction, SimObjective, type SimObjectiveOptions } from './sim-objective.js';
import { twoPhaseSearch } from './two-phase.js';

export interface PlanSearchOptions {
  readonly seed: number;
  /** Phase 1 episodes. Default 320. */
  readonly rlEpisodes?: number;
  /** Phase 2 evaluations. Default 800. */
  readonly refineEvaluations?: number;
  readonly maxBlocksPerTenant?: number;
  /** A policy saved with an earlier plan (warm start). */
  readonly warmStart?: PolicyWeights;
  /** Wall-clock safety cap (clock injected); results repeat exactly only when budgets end the search. */
  readonly deadline?: { readonly budgetMs: number; readonly nowMs: () => number };
  /** Compute the LP upper bound on throughput (throughput objective only). Default true. */
  readonly lpBound?: boolean;
  readonly simulator?: SimObjectiveOptions;
}

/** One candidate plan as the simulator judges it. */
export interface ScoredPlan {
  readonly name: string;
  readonly assignment: Assignment;
  /** The simulator's score (SimObjective): what every plan is compared by. */
  readonly score: number;
  /** The search's fast objective's score (AnalyticObjective). */
  readonly innerScore: number;
  readonly evaluations: number;
}

export interface PlanSearchReport {
  /** The plan to apply: the best of the search's result and the baselines, by the simulator. */
  readonly chosen: ScoredPlan;
  /** The two-phase search's own result. */
  readonly search: ScoredPlan & { readonly startedFrom: string };
  readonly baselines: readonly ScoredPlan[];
  /** The chosen plan's predicted behaviour per tenant. */
  readonly predicted: PlanPrediction;
  readonly lpBound?: LpThroughputBound;
  readonly trace: readonly TracePoint[];
  readonly learningCurve: readonly LearningPoint[];
  readonly policy?: PolicyWeights;
  /** The tfjs backend phase 1 ran on. */
  readonly backend?: string;
  readonly seed: number;
}

/**
 * Plans a SearchProblem end to end. The two-phase search and the baselines run on the fast
 * analytic objective, each baseline with its own budget and random search with as many draws as
 * the search made evaluations (its own count can be lower: repeated draws are cache hits); then every candidate is judged by the simulator, the one
 * evaluator all of them are compared by. Deterministic for a seed when budgets end the search.
 */
export async function planSearch(
  problem: SearchProblem,
  options: PlanSearchOptions,
): Promise<PlanSearchReport> {
  const inner = new AnalyticObjective(problem);
  const judge = new SimObjective(problem, options.simulator);
  const graphs = problem.tenants.map((tenant) => tenant.graph);
  const deterministic = runBaselines(inner, { seed: options.seed, randomEvaluations: 1 }).filter(
    (baseline) => !baseline.name.startsWith('random'),
  );
  const bestBaseline = deterministic.reduce((a, b) => (b.score > a.score ? b : a));
  const result = await twoPhaseSearch(inner, graphs, blockCostsOf(problem), {
    seed: options.seed,
    rlEpisodes: options.rlEpisodes ?? 320,
    refineEvaluations: options.refineEvaluations ?? 800,
    ...(options.maxBlocksPerTenant !== undefined && { maxBlocksPerTenant: options.maxBlocksPerTenant }),
    ...(options.warmStart && { warmStart: options.warmStart }),
    ...(options.deadline && { deadline: options.deadline }),
    extraStarts: [{ name: bestBaseline.name, assignment: bestBaseline.assignment }],
  });
  const random = runBaselines(inner, { seed: options.seed, randomEvaluations: result.evaluations }).filter(
    (baseline) => baseline.name.startsWith('random'),
  );
  const judged = (entry: BaselineResult): ScoredPlan => ({
    name: entry.name,
    assignment: entry.assignment,
    score: judge.score(entry.assignment),
    innerScore: entry.score,
    evaluations: entry.evaluations,
  });
  const baselines = [...deterministic, ...random].map(judged);
  const search = {
    ...judged({
      name: 'two-phase',
      assignment: result.assignment,
      score: result.score,
      evaluations: result.evaluations,
    }),
    startedFrom: result.startedFrom,
  };
  const chosen = [search, ...baselines].reduce((a, b) => (b.score > a.score ? b : a));
  const lpBound =
    problem.objective === 'throughput' && options.lpBound !== false
      ? await lpThroughputBound(problem)
      : undefined;
  return {
    chosen,
    search,
    baselines,
    predicted: judge.describe(chosen.assignment),
    ...(lpBound && { lpBound }),
    trace: result.trace,
    learningCurve: result.rl?.learningCurve ?? [],
    ...(result.rl && { policy: result.rl.policy, backend: result.rl.backend }),
    seed: options.seed,
  };
}

/** A block's cost on each side: the cost model's price of the block as one segment. */
export function blockCostsOf(problem: SearchProblem): BlockCostFn {
  return (tenant, block) => {
    const cost = problem.tenants[tenant]?.cost;
    if (!cost) return { cpuMs: 0, gpuMs: Number.POSITIVE_INFINITY };
    return {
      cpuMs: cost.segmentMs(block.ops, [], [], 'cpu'),
      gpuMs:
        cost.hasGpu && block.gpuAllowed
          ? cost.segmentMs(block.ops, [], [], 'gpu:0')
          : Number.POSITIVE_INFINITY,
    };
  };
}
