import { Code, HetschedError } from '../common/index.js';
import { NO_TENSORS } from '../partition/index.js';
import type { LpTextSolver } from '../solver/index.js';
import { AnalyticObjective } from './analytic-objective.js';
import {
  allCpuBaseline,
  allGpuBaseline,
  type BaselineResult,
  layerGreedyBaseline,
  modelLevelBaseline,
  ortRuleBaseline,
  randomSearchBaseline,
} from './baselines.js';
import {
  type LpBoundOptions,
  type LpBoundSolution,
  type LpThroughputBound,
  solveLpBound,
} from './lp-bound.js';
import type { Assignment, SearchProblem, TracePoint } from './problem.js';
import type { RangeSweepOptions } from './range-sweep.js';
import { refine } from './refine.js';
import type { LearningPoint } from './rl.js';
import type { BlockCostFn } from './rl-features.js';
import type { PolicyWeights } from './rl-policy.js';
import { type PlanPrediction, SimObjective, type SimObjectiveOptions } from './sim-objective.js';
import { describeSplit, searchSplits, type TenantSplit } from './split-routes.js';
import { type Candidate, type Start, twoPhaseSearch } from './two-phase.js';
import { bestByVerdict } from './verdict.js';

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
  /** Compute the LP upper bound on throughput (throughput objective only), with its limits. Default true. */
  readonly lpBound?: boolean | Partial<LpBoundOptions>;
  /**
   * Where the LP bound (with `lpBound`'s limits) is solved, made just before it is written here:
   * e.g. offThreadLpSolver, HiGHS in a worker thread on another core, solving while phase 1 runs
   * here. Default: on this thread, before phase 1.
   */
  readonly lpSolver?: () => LpTextSolver;
  readonly simulator?: SimObjectiveOptions;
  /**
   * Also run the baselines that are there only to compare with (layer-level greedy, random search
   * with the search's budget). Default true; the search itself needs only the cheap ones (its starts).
   */
  readonly compare?: boolean;
  /** Evaluations of a last refinement judged by the simulator itself. Default 24. */
  readonly simulatorEvaluations?: number;
  /** The sweep over each tenant's GPU runs before refinement (TwoPhaseOptions.rangeSweep). Default RANGE_SWEEP. */
  readonly rangeSweep?: RangeSweepOptions;
  /**
   * Let the search's plan hand a share of a tenant's requests to another placement
   * (searchSplits), judged by the simulator. Default true.
   */
  readonly splits?: boolean;
}

const DEFAULT_SIMULATOR_EVALUATIONS = 24;
/**
 * Six cuts a tenant and two passes: the runs to try grow with the square of the cuts, and the
 * ends move afterwards anyway; a second pass lets each tenant answer the others' new runs. The
 * sweep runs while the LP solves.
 */
export const RANGE_SWEEP: RangeSweepOptions = { cuts: 6, rounds: 2 };

/** One candidate plan as the simulator judges it. */
export interface ScoredPlan {
  readonly name: string;
  readonly assignment: Assignment;
  /** The simulator's score (SimObjective): what every plan is compared by. */
  readonly score: number;
  /** The search's fast objective's score (AnalyticObjective). */
  readonly innerScore: number;
  readonly evaluations: number;
  /**
   * Shares of tenants' requests that run another placement (searchSplits); `assignment` is what
   * the rest run, `innerScore` its score. None on a baseline.
   */
  readonly splits?: readonly TenantSplit[];
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
  /** Why there is no LP bound where one was asked for (the problem too large for it). */
  readonly lpBoundNote?: string;
  readonly trace: readonly TracePoint[];
  readonly learningCurve: readonly LearningPoint[];
  readonly policy?: PolicyWeights;
  /** The tfjs backend phase 1 ran on. */
  readonly backend?: string;
  readonly seed: number;
}

/**
 * Plans a SearchProblem end to end. The LP bound starts first (throughput objective), its
 * fractional placement rounded to a plan. The two-phase search and the baselines run on the fast
 * analytic objective: the cheap baselines (all-CPU, all-GPU, ORT's rule, model-level; all-GPU is
 * also refined, and so is the best of them, or the LP's rounding where that scores higher), then
 * the searching ones with the search's budget — layer-level greedy up to as many evaluations,
 * random search with as many draws (its own count can be lower: repeated draws are cache hits);
 * then every candidate is judged by the simulator, the one evaluator all of them are compared by.
 * The best is polished by the simulator itself, then shares of its tenants' requests may go to
 * another placement (searchSplits). Deterministic for a seed when budgets end the search.
 */
export async function planSearch(
  problem: SearchProblem,
  options: PlanSearchOptions,
): Promise<PlanSearchReport> {
  // The LP bound starts first (on another thread where the caller has one, overlapping everything
  // up to phase 2): its placement, rounded to whole operators, can be a start of phase 2.
  const limits = lpLimits(options.lpBound, options.deadline?.budgetMs);
  const lp =
    problem.objective === 'throughput' && options.lpBound !== false
      ? settleLp(solveLpBound(problem, limits, options.lpSolver?.()))
      : undefined;
  // The same dispatcher for both: the fast objective must rank plans by the limits the judge applies.
  const inner = new AnalyticObjective(problem, options.simulator?.requestSlots);
  const judge = new SimObjective(problem, options.simulator);
  const graphs = problem.tenants.map((tenant) => tenant.graph);
  // The cheap baselines are also the search's extra starting point (the best of them).
  const starts = [
    allCpuBaseline(inner),
    allGpuBaseline(inner),
    ortRuleBaseline(inner),
    modelLevelBaseline(inner),
  ];
  const bestBaseline = starts.reduce((a, b) => (b.score > a.score ? b : a));
  // The starts are reported as baselines, with the simulator's scores: the verdicts score them in full.
  const isStart = (entry: Candidate | BaselineResult): boolean =>
    (starts as readonly object[]).includes(entry);
  // Refinement starts from phase 1's result, from all-GPU (where refinement moves back to the CPU
  // what the GPU runs worst: on the OCR mixes the strongest single start), and from the better by
  // the fast objective of the best cheap baseline and the LP's rounding; each further start would
  // cut the others' shares of the budget again. The first two are swept over each tenant's GPU
  // runs before they are refined (RANGE_SWEEP), while the LP solves.
  const gpuStart = allGpuStartOf(starts[1] as BaselineResult, bestBaseline);
  let lpStart: BaselineResult | undefined;
  const secondStart = async (refined: readonly Candidate[]): Promise<Start> => {
    // The simulator judges what is known already while the LP may still be solving on another
    // thread (scores and screenings are cached: the verdict below finds them).
    bestByVerdict(judge, [...refined, ...starts], isStart);
    const outcome = await lp;
    if (outcome && 'error' in outcome) throw outcome.error;
    if (outcome && 'bound' in outcome)
      lpStart = {
        name: 'lp-rounding',
        assignment: outcome.rounded,
        score: inner.score(outcome.rounded),
        evaluations: 1,
      };
    const second = lpStart && lpStart.score > bestBaseline.score ? lpStart : bestBaseline;
    return { name: second.name, assignment: second.assignment };
  };
  const result = await twoPhaseSearch(inner, graphs, blockCostsOf(problem), {
    seed: options.seed,
    rlEpisodes: options.rlEpisodes ?? 320,
    refineEvaluations: options.refineEvaluations ?? 800,
    ...(options.maxBlocksPerTenant !== undefined && { maxBlocksPerTenant: options.maxBlocksPerTenant }),
    ...(options.warmStart && { warmStart: options.warmStart }),
    ...(options.deadline && { deadline: options.deadline }),
    extraStarts: gpuStart,
    lateStart: secondStart,
    rangeSweep: options.rangeSweep ?? RANGE_SWEEP,
  });
  // The searching baselines get the search's own budget: equal evaluations, a fair comparison.
  const budget = Math.max(1, result.evaluations);
  const searching =
    options.compare === false
      ? []
      : [
          layerGreedyBaseline(inner, { maxEvaluations: budget }),
          randomSearchBaseline(inner, { evaluations: budget, seed: options.seed }),
          randomSearchBaseline(inner, {
            evaluations: budget,
            seed: options.seed + 1,
            gpuProbability: 'mixed',
          }),
        ];
  const judged = (entry: BaselineResult): ScoredPlan => ({
    name: entry.name,
    assignment: entry.assignment,
    score: judge.score(entry.assignment),
    innerScore: entry.score,
    evaluations: entry.evaluations,
  });
  const baselines = [...starts, ...searching].map(judged);
  // The fast objective ranks within a phase; the simulator picks among the phases' results (and
  // the starts they came from: where the fast objective misjudged, refining may have lost ground).
  const verdict = bestByVerdict(
    judge,
    [...result.candidates, ...starts, ...(lpStart ? [lpStart] : [])],
    isStart,
  );
  const picked = {
    assignment: verdict.entry.assignment,
    score: verdict.score,
    innerScore: verdict.entry.score,
    startedFrom: verdict.entry.name,
  };
  // A last few steps judged by the simulator itself, from the best pick. Refinement takes only
  // improvements, so each neighbour costs one simulation unless it may beat the best
  // (SimObjective.scoreAbove), not a bisection.
  const polished =
    (options.simulatorEvaluations ?? DEFAULT_SIMULATOR_EVALUATIONS) > 0
      ? refine(judge, graphs, picked.assignment, {
          seed: options.seed,
          maxEvaluations: options.simulatorEvaluations ?? DEFAULT_SIMULATOR_EVALUATIONS,
          patience: 8,
          maxKicks: 0,
        })
      : { assignment: picked.assignment, score: picked.score };
  // Then shares of tenants' requests handed to another placement, where a pool has slack that
  // no placement of whole requests can use.
  const split =
    options.splits === false
      ? undefined
      : searchSplits(judge, polished.assignment, {
          ...(options.simulator && { simulator: options.simulator }),
        });
  const search = {
    name: 'two-phase',
    assignment: polished.assignment,
    score: split?.score ?? polished.score,
    innerScore: inner.score(polished.assignment),
    evaluations: result.evaluations,
    startedFrom: picked.startedFrom,
    ...(split?.judge && { splits: split.splits }),
  };
  const chosen: ScoredPlan = [search, ...baselines].reduce((a, b) => (b.score > a.score ? b : a));
  const outcome = await lp;
  if (outcome && 'error' in outcome) throw outcome.error;
  const solved = outcome && 'bound' in outcome ? outcome : undefined;
  return {
    chosen,
    search,
    baselines,
    predicted:
      chosen === search && split?.judge
        ? describeSplit(problem, chosen.assignment, { splits: split.splits, judge: split.judge })
        : judge.describe(chosen.assignment),
    ...(solved && { lpBound: solved.bound }),
    ...(outcome && 'note' in outcome && { lpBoundNote: outcome.note }),
    trace: result.trace,
    learningCurve: result.rl?.learningCurve ?? [],
    ...(result.rl && { policy: result.rl.policy, backend: result.rl.backend }),
    seed: options.seed,
  };
}

/**
 * All-GPU as a start of refinement besides the best cheap baseline: none where all-GPU is that
 * baseline (it is refined as such already).
 */
export function allGpuStartOf(allGpu: BaselineResult, best: BaselineResult): Start[] {
  return allGpu === best ? [] : [{ name: allGpu.name, assignment: allGpu.assignment }];
}

/** A block's cost on each side: the cost model's price of the block as one segment (no edges). */
export function blockCostsOf(problem: SearchProblem): BlockCostFn {
  return (tenant, block) => {
    const cost = problem.tenants[tenant]?.cost;
    if (!cost) return { cpuMs: 0, gpuMs: Number.POSITIVE_INFINITY };
    return {
      cpuMs: cost.segmentMs(block.ops, NO_TENSORS, NO_TENSORS, 'cpu'),
      gpuMs:
        cost.hasGpu && block.gpuAllowed
          ? cost.segmentMs(block.ops, NO_TENSORS, NO_TENSORS, 'gpu:0')
          : Number.POSITIVE_INFINITY,
    };
  };
}

/**
 * The LP's outcome, never rejecting (it is awaited only after phase 1): the solution, why there is
 * none (a problem too large for it: a bound is a yardstick, the plan goes on without it), or the
 * error to rethrow then.
 */
async function settleLp(
  solving: Promise<LpBoundSolution>,
): Promise<LpBoundSolution | { note: string } | { error: unknown }> {
  try {
    return await solving;
  } catch (error: unknown) {
    if (error instanceof HetschedError && error.code === Code.ResourceExhausted)
      return { note: `no LP bound: ${error.message}` };
    return { error };
  }
}

/**
 * The LP's limits: those asked for, and within a wall-clock budget no more time than it (the LP
 * then ends with a note, and the search goes on without its start).
 */
export function lpLimits(
  lpBound: PlanSearchOptions['lpBound'],
  budgetMs: number | undefined,
): Partial<LpBoundOptions> {
  const asked = typeof lpBound === 'object' ? lpBound : {};
  if (budgetMs === undefined) return asked;
  return { ...asked, timeLimitS: Math.min(asked.timeLimitS ?? Number.POSITIVE_INFINITY, budgetMs / 1000) };
}
