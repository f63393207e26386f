import { Code, HetschedError } from '../common/index.js';
import type { ThreadBudget } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import {
  CPU,
  makePlan,
  type Placement,
  type Plan,
  type PlanAlternate,
  type ProcessorId,
} from '../partition/index.js';
import {
  budgetLane,
  budgetSide,
  type LearningPoint,
  type LpThroughputBound,
  ON_CPU,
  ON_GPU,
  type PlanPrediction,
  type PolicyWeights,
  type ScoredPlan,
  type TracePoint,
  toSearchTask,
} from '../search/index.js';
import type { Engine } from './engine.js';
import { searchWorkload, type WorkloadOptions, type WorkloadTenant } from './search-workload.js';

export const SEARCH_REPORT_KIND = 'hetsched.search-report';
export const SEARCH_REPORT_VERSION = 1;

export interface PlanWorkloadOptions extends WorkloadOptions {
  readonly rlEpisodes?: number;
  readonly refineEvaluations?: number;
  readonly warmStart?: PolicyWeights;
  /** Wall-clock cap on the search (a safety net: a search ended by it may not repeat exactly). */
  readonly budgetMs?: number;
}

/** The search runs in a worker thread (Engine.search): it would otherwise hold the gRPC thread for seconds. */
const SEARCH_TIMEOUT_MS = 15 * 60_000;

/** A plan's score as the simulator judges it, with the evaluations it took. */
export interface ReportedScore {
  readonly name: string;
  readonly score: number;
  readonly evaluations: number;
}

/**
 * What `hetsched plan` prints and the Plan RPC returns: a plan (the scheduling IR) per tenant,
 * the simulator's prediction for it, every baseline judged by the same simulator, the LP bound,
 * the search's trace and learning curve, and the trained policy (to warm-start the next search).
 * No clock reads: the same inputs and seed give the same report, byte for byte.
 */
export interface SearchReport {
  readonly kind: typeof SEARCH_REPORT_KIND;
  readonly version: typeof SEARCH_REPORT_VERSION;
  readonly seed: number;
  readonly objective: WorkloadOptions['objective'];
  /** The machine planned for (this CPU, and the GPU planned on). */
  readonly machine: string;
  readonly notes: readonly string[];
  /** 'two-phase', or the baseline that the simulator judged better than the search's result. */
  readonly chosen: string;
  readonly score: number;
  readonly plans: Readonly<Record<string, Plan>>;
  readonly predicted: PlanPrediction;
  readonly search: ReportedScore & { readonly startedFrom: string };
  readonly baselines: readonly ReportedScore[];
  readonly lpBound?: LpThroughputBound;
  readonly trace: readonly TracePoint[];
  readonly learningCurve: readonly LearningPoint[];
  readonly policy?: PolicyWeights;
  readonly backend?: string;
}

/**
 * A tenant's sides as a placement: ON_GPU on gpu:0, ON_CPU on the CPU, a wider thread budget on
 * its own lane (budgetLane) with the budget's threads.
 */
export function placementOf(
  graph: GraphIR,
  sides: Uint8Array,
  budgets: readonly ThreadBudget[],
): { placement: Placement; threads: Record<string, number> } {
  const placement: Record<string, ProcessorId> = {};
  const threads: Record<string, number> = {};
  for (const op of graph.ops) {
    const side = sides[op.index] ?? ON_CPU;
    if (side === ON_GPU) placement[op.id] = 'gpu:0';
    else if (side === ON_CPU) placement[op.id] = CPU;
    else {
      const lane = budgetLane(side);
      const budget = budgets[side - budgetSide(0)];
      if (!budget) throw new HetschedError(Code.Internal, `side ${side} is no thread budget of this machine`);
      placement[op.id] = lane;
      threads[lane] = budget.threads;
    }
  }
  return { placement: placement as Placement, threads };
}

/**
 * The plan of tenant `index` of a search's chosen plans: its placement, and where the search split
 * its requests, the alternate placement with its share.
 */
export function chosenPlan(
  graph: GraphIR,
  model: {
    readonly sha256: string;
    readonly inputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  },
  chosen: Pick<ScoredPlan, 'name' | 'assignment' | 'splits'>,
  index: number,
  options: { readonly budgets: readonly ThreadBudget[]; readonly seed: number },
): Plan {
  const planOf = (sides: Uint8Array, alternate?: PlanAlternate): Plan => {
    const { placement, threads } = placementOf(graph, sides, options.budgets);
    return makePlan(graph, placement, [], {
      sha256: model.sha256,
      inputShapes: Object.fromEntries(model.inputs.map((input) => [input.name, [...input.shape]])),
      spec: `search:${chosen.name}`,
      seed: options.seed,
      threads,
      ...(alternate && { alternate }),
    });
  };
  const sides = chosen.assignment[index];
  if (!sides) throw new HetschedError(Code.Internal, `the chosen plans have no tenant ${index}`);
  const split = chosen.splits?.find((entry) => entry.tenant === index);
  return planOf(sides, split && { share: split.share, plan: planOf(split.sides) });
}

/**
 * Plans served models together on this machine (or with another machine's GPU): builds the search
 * problem from the profiles, runs the search, and turns the chosen assignment into one plan per
 * tenant, ready for ApplyPlan (with its alternate, where the search split the tenant's requests).
 */
export async function planWorkload(
  engine: Engine,
  tenants: readonly WorkloadTenant[],
  options: PlanWorkloadOptions,
): Promise<SearchReport> {
  const workload = await searchWorkload(engine, tenants, options);
  const task = toSearchTask(workload.problem, {
    seed: options.seed,
    ...(options.rlEpisodes !== undefined && { rlEpisodes: options.rlEpisodes }),
    ...(options.refineEvaluations !== undefined && { refineEvaluations: options.refineEvaluations }),
    ...(options.warmStart && { warmStart: options.warmStart }),
    ...(options.budgetMs !== undefined && { budgetMs: options.budgetMs }),
  });
  const report = await engine.search(task, SEARCH_TIMEOUT_MS);
  const plans: Record<string, Plan> = {};
  workload.problem.tenants.forEach((tenant, index) => {
    const { model } = (tenants[index] as WorkloadTenant).served;
    plans[tenant.name] = chosenPlan(tenant.graph, model, report.chosen, index, {
      budgets: workload.problem.machine.cpuBudgets ?? [],
      seed: options.seed,
    });
  });
  const scored = (entry: { name: string; score: number; evaluations: number }): ReportedScore => ({
    name: entry.name,
    score: entry.score,
    evaluations: entry.evaluations,
  });
  return {
    kind: SEARCH_REPORT_KIND,
    version: SEARCH_REPORT_VERSION,
    seed: options.seed,
    objective: options.objective,
    machine: workload.machine.name,
    notes: report.lpBoundNote ? [...workload.notes, report.lpBoundNote] : workload.notes,
    chosen: report.chosen.name,
    score: report.chosen.score,
    plans,
    predicted: report.predicted,
    search: { ...scored(report.search), startedFrom: report.search.startedFrom },
    baselines: report.baselines.map(scored),
    ...(report.lpBound && { lpBound: report.lpBound }),
    trace: report.trace,
    learningCurve: report.learningCurve,
    ...(report.policy && { policy: report.policy }),
    ...(report.backend && { backend: report.backend }),
  };
}
