import { Code, HetschedError } from '../common/index.js';
import { type SimConfig, type SimPool, type SimResult, type SimTenant, simulate } from '../cost/index.js';
import { AssignmentCache } from './assignment-cache.js';
import { checkedCpuSides, effectiveGpuAllowed } from './assignment-check.js';
import { capacityBound, poolsOf, requestSlotsOf } from './capacity.js';
import { PlanCache } from './plan-cache.js';
import type { Assignment, Objective, SearchProblem } from './problem.js';
import { assignmentHash } from './sides.js';
import type { TenantPlan } from './tenant-plan.js';

/** Options of {@link SimObjective}; every field has a default. */
export interface SimObjectiveOptions {
  /**
   * Requests the least busy tenant sends in one simulated window: sets the horizon, so the cost of
   * an evaluation does not depend on the load scale. Default 200 (p99 is then the third-worst request).
   */
  readonly requestsPerTenant?: number;
  /** Simulations of the throughput objective's bisection over the load scale. Default 7. */
  readonly bisectionSteps?: number;
  /** The dispatcher's concurrent requests (SimConfig.requestSlots). Default: the machine's (requestSlotsOf). */
  readonly requestSlots?: number;
  /** Per-tenant queue bound (SimConfig.maxQueueLength). Default 64. */
  readonly maxQueueLength?: number;
  /** Scores remembered, by assignment. Default 20,000. */
  readonly scoreCacheSize?: number;
  /** Compiled plans remembered per tenant, by that tenant's part of the assignment. Default 512. */
  readonly planCacheSize?: number;
}

type ResolvedOptions = Required<SimObjectiveOptions>;

/** What the simulator predicts for one tenant under a plan, for reports. */
export interface TenantPrediction {
  readonly name: string;
  readonly segments: number;
  /** Offered load in the simulation (requests/s): ratePerS times the load scale. */
  readonly offeredPerS: number;
  readonly throughputPerS: number;
  readonly meanLatencyMs: number;
  readonly p50LatencyMs: number;
  readonly p99LatencyMs: number;
  readonly sloAttainment: number;
  /** A request alone on the machine (ms). */
  readonly unloadedLatencyMs: number;
  /**
   * Where the tenant's requests are split between two placements (searchSplits): the tenant, whether
   * this row is its alternate placement, and the share of its requests the row's placement runs.
   */
  readonly route?: { readonly tenant: string; readonly alternate: boolean; readonly share: number };
}

/** A plan's predicted behaviour at one load scale. */
export interface PlanPrediction {
  /** Multiplier of every tenant's ratePerS the simulation ran at. */
  readonly loadScale: number;
  readonly score: number;
  readonly allWithinSlo: boolean;
  readonly tenants: readonly TenantPrediction[];
}

interface Evaluation {
  readonly score: number;
  /** Throughput: the largest load scale found within the SLOs (0 when none); latency: 1. */
  readonly loadScale: number;
}

/** Score of a plan that fails at the expected rates, per ms of SLO, so overload orders plans too. */
const PENALTY_SLO_MULTIPLE = 10;
/** Tie-break between plans the bisection cannot tell apart: more analytic capacity wins. */
const CAPACITY_TIE_BREAK = 1e-3;

/**
 * The simulator-backed objective of a SearchProblem. An assignment is segmented per tenant, priced
 * by the cost model and simulated with every tenant together on the machine's pools.
 * - 'throughput': the largest load scale λ (tenant i arrives Poisson at λ·ratePerS_i) at which
 *   every tenant meets its SLO, by bisection between 0 and an analytic capacity bound; score
 *   λ·Σ weight_i·ratePerS_i. A plan that misses an SLO even unloaded scores below 0, by how far it
 *   misses, so the search still has a direction.
 * - 'latency': minus Σ weight_i · mean latency at the expected rates, rejections and analytic
 *   overload penalised.
 * Deterministic: every simulation uses the problem's seed (common random numbers, so plans are
 * compared on the same arrivals). Scores are cached by assignment, plans by tenant.
 */
export class SimObjective implements Objective {
  readonly sizes: readonly number[];
  readonly gpuAllowed: readonly (readonly boolean[])[];
  readonly cpuSides: number;
  private evaluationCount = 0;
  private simulationCount = 0;
  private readonly options: ResolvedOptions;
  private readonly scores: AssignmentCache<Evaluation>;
  /** Per assignment not scored in full: the lowest floor scoreAbove found it unable to beat. */
  private readonly screenedOut: AssignmentCache<number>;
  private readonly plans: PlanCache;
  private readonly pools: readonly SimPool[];

  constructor(
    readonly problem: SearchProblem,
    options: SimObjectiveOptions = {},
  ) {
    this.options = resolveOptions(options, requestSlotsOf(problem.machine));
    this.sizes = problem.tenants.map((tenant) => tenant.graph.ops.length);
    this.gpuAllowed = effectiveGpuAllowed(problem);
    this.cpuSides = checkedCpuSides(problem);
    this.pools = poolsOf(problem.machine);
    this.scores = new AssignmentCache(this.options.scoreCacheSize);
    this.screenedOut = new AssignmentCache(this.options.scoreCacheSize);
    this.plans = new PlanCache(problem, this.options.planCacheSize, this.gpuAllowed, this.cpuSides);
  }

  get evaluations(): number {
    return this.evaluationCount;
  }

  /** Simulations run so far, descriptions included: what evaluations cost. */
  get simulations(): number {
    return this.simulationCount;
  }

  /** Higher is better. @throws HetschedError INVALID_ARGUMENT for a malformed assignment or a pinned operator on the GPU. */
  score(assignment: Assignment): number {
    return this.evaluation(assignment).score;
  }

  /**
   * The load scale a score stands for, scored in full where it is not yet: for throughput the
   * largest the bisection found within the SLOs (0 when none), without the score's tie-break by
   * analytic capacity; for latency 1. What tells a plan that serves more from one the bisection
   * cannot tell apart from it.
   */
  loadScale(assignment: Assignment): number {
    return this.evaluation(assignment).loadScale;
  }

  /**
   * The score where it is above `floor`; else `floor`, from one simulation rather than a
   * bisection where it can tell (throughput): a plan that misses its SLOs at the least load scale
   * the bisection could return for a score above `floor` is taken as unable to reach it. That
   * holds wherever meeting the SLOs is monotone in the load, as it nearly is with common random
   * numbers; where it is not, a local search may miss an improvement the bisection would have
   * found. Counted as an evaluation; the lowest floor a plan was screened out below is remembered
   * with the scores.
   */
  scoreAbove(assignment: Assignment, floor: number): number {
    const hash = assignmentHash(assignment);
    const cached = this.scores.get(hash, assignment);
    if (cached !== undefined) return cached.score;
    // Screened out below a lower floor already: a higher one needs a higher load still.
    if (floor >= (this.screenedOut.get(hash, assignment) ?? Number.POSITIVE_INFINITY)) return floor;
    if (this.problem.objective !== 'throughput') return this.score(assignment);
    const plans = this.compile(assignment);
    if (this.unloadedExcess(plans) > 0) return this.evaluateCompiled(hash, assignment, plans).score;
    // score = weightedRate · (scale + CAPACITY_TIE_BREAK · capacity), where the bisection's scale
    // is a multiple of capacity / 2^steps below capacity: the least such multiple above what the
    // floor needs is the load to screen at.
    const capacity = this.capacityBound(plans);
    const neededScale = floor / this.weightedRate() - CAPACITY_TIE_BREAK * capacity;
    if (!(neededScale >= 0)) return this.evaluateCompiled(hash, assignment, plans).score;
    const gridScale = capacity / 2 ** this.options.bisectionSteps;
    const screenScale = (Math.floor(neededScale / gridScale) + 1) * gridScale;
    if (screenScale < capacity && this.simulateAt(plans, screenScale).objective.allWithinSlo)
      return this.evaluateCompiled(hash, assignment, plans).score;
    this.evaluationCount++;
    this.screenedOut.set(hash, assignment, floor);
    return floor;
  }

  /**
   * The load scale no schedule of the plan can exceed (capacityBound): analytic, no simulation.
   * @throws HetschedError INVALID_ARGUMENT for a malformed assignment or a pinned operator on the GPU.
   */
  capacity(assignment: Assignment): number {
    return this.capacityBound(this.compile(assignment));
  }

  /**
   * Per-tenant predictions of a plan for reports, at `loadScale` (default: for 'throughput' the
   * largest scale within the SLOs, 1 when there is none; for 'latency' 1). Not counted as an evaluation.
   */
  describe(assignment: Assignment, loadScale?: number): PlanPrediction {
    const plans = this.compile(assignment);
    const evaluation = this.scores.get(assignmentHash(assignment), assignment) ?? this.evaluate(plans);
    const scale = loadScale ?? (evaluation.loadScale > 0 ? evaluation.loadScale : 1);
    const result = this.simulateAt(plans, scale);
    return {
      loadScale: scale,
      score: evaluation.score,
      allWithinSlo: result.objective.allWithinSlo,
      tenants: this.problem.tenants.map((tenant, index) => {
        const metrics = result.tenants[tenant.name];
        const plan = plans[index] as TenantPlan;
        return {
          name: tenant.name,
          segments: plan.segmentCount,
          offeredPerS: scale * tenant.ratePerS,
          throughputPerS: metrics?.throughputPerS ?? 0,
          meanLatencyMs: metrics?.latencyMs.mean ?? Number.NaN,
          p50LatencyMs: metrics?.latencyMs.p50 ?? Number.NaN,
          p99LatencyMs: metrics?.latencyMs.p99 ?? Number.NaN,
          sloAttainment: metrics?.sloAttainment ?? 0,
          unloadedLatencyMs: plan.unloadedMs,
        };
      }),
    };
  }

  /** An assignment's evaluation: cached, or checked, compiled and evaluated in full. */
  private evaluation(assignment: Assignment): Evaluation {
    const hash = assignmentHash(assignment);
    const cached = this.scores.get(hash, assignment);
    if (cached !== undefined) return cached;
    return this.evaluateCompiled(hash, assignment, this.compile(assignment));
  }

  /** Evaluates checked, compiled plans in full: counted, and cached for `assignment` (its hash `hash`). */
  private evaluateCompiled(hash: number, assignment: Assignment, plans: readonly TenantPlan[]): Evaluation {
    const evaluation = this.evaluate(plans);
    this.evaluationCount++;
    this.scores.set(hash, assignment, evaluation);
    return evaluation;
  }

  /** The tenants' plans, each tenant's sides checked where they are not cached (PlanCache). */
  private compile(assignment: Assignment): TenantPlan[] {
    return this.plans.compile(assignment);
  }

  private evaluate(plans: readonly TenantPlan[]): Evaluation {
    return this.problem.objective === 'throughput' ? this.throughput(plans) : this.latency(plans);
  }

  private throughput(plans: readonly TenantPlan[]): Evaluation {
    const excess = this.unloadedExcess(plans);
    // The SLO binds every tenant, whatever its weight: the penalty is unweighted.
    if (excess > 0) return { score: -excess, loadScale: 0 };
    const capacity = this.capacityBound(plans);
    const weightedRate = this.weightedRate();
    let low = 0;
    let high = capacity;
    let failure: SimResult | null = null;
    for (let step = 0; step < this.options.bisectionSteps; step++) {
      const middle = (low + high) / 2;
      const result = this.simulateAt(plans, middle);
      if (result.objective.allWithinSlo) low = middle;
      else {
        high = middle;
        failure = result;
      }
    }
    if (low === 0 && failure !== null) return { score: -this.sloExcess(failure) - 1e-9, loadScale: 0 };
    return { score: weightedRate * (low + CAPACITY_TIE_BREAK * capacity), loadScale: low };
  }

  private latency(plans: readonly TenantPlan[]): Evaluation {
    const result = this.simulateAt(plans, 1);
    const overload = Math.max(0, 1 / this.capacityBound(plans) - 1);
    let cost = 0;
    for (const tenant of this.problem.tenants) {
      const metrics = result.tenants[tenant.name];
      const penaltyMs = PENALTY_SLO_MULTIPLE * tenant.sloMs;
      const meanMs = metrics && Number.isFinite(metrics.latencyMs.mean) ? metrics.latencyMs.mean : penaltyMs;
      const rejected = metrics && metrics.arrived > 0 ? metrics.rejected / metrics.arrived : 0;
      cost += tenant.weight * (meanMs + penaltyMs * (rejected + overload));
    }
    return { score: -cost, loadScale: 1 };
  }

  /** How far the plans miss the SLOs unloaded: relative excess per tenant, summed (0 when none does). */
  private unloadedExcess(plans: readonly TenantPlan[]): number {
    let excess = 0;
    this.problem.tenants.forEach((tenant, index) => {
      excess += Math.max(0, (plans[index] as TenantPlan).unloadedMs - tenant.sloMs) / tenant.sloMs;
    });
    return excess;
  }

  /** Σ weight · ratePerS: the score per unit of load scale. */
  private weightedRate(): number {
    return this.problem.tenants.reduce((sum, tenant) => sum + tenant.weight * tenant.ratePerS, 0);
  }

  private capacityBound(plans: readonly TenantPlan[]): number {
    return capacityBound(this.problem.tenants, plans, this.pools, this.options.requestSlots);
  }

  /** How far a failed run misses: relative p99 excess per tenant, a tenant that completed nothing counting 1. */
  private sloExcess(result: SimResult): number {
    let excess = 0;
    for (const tenant of this.problem.tenants) {
      const metrics = result.tenants[tenant.name];
      const p99Ms = metrics?.latencyMs.p99 ?? Number.NaN;
      excess += Number.isFinite(p99Ms) ? Math.max(0, p99Ms - tenant.sloMs) / tenant.sloMs : 1;
      excess += 1 - (metrics?.sloAttainment ?? 0);
    }
    return excess;
  }

  private simulateAt(plans: readonly TenantPlan[], loadScale: number): SimResult {
    const { tenants } = this.problem;
    const sims: SimTenant[] = tenants.map((tenant, index) => ({
      ...(plans[index] as TenantPlan).sim,
      arrival: { kind: 'poisson', ratePerS: loadScale * tenant.ratePerS },
    }));
    const rates = tenants.map((tenant) => loadScale * tenant.ratePerS).filter((rate) => rate > 0);
    const requests = this.options.requestsPerTenant;
    const maxSloMs = Math.max(...tenants.map((tenant) => tenant.sloMs));
    // Enough time for the least busy tenant to send `requests`, but never more than 4x the
    // average's worth of events: a near-idle tenant must not make every evaluation long.
    const slowestMs = rates.length > 0 ? (1000 * requests) / Math.min(...rates) : 20 * maxSloMs;
    const averageMs =
      rates.length > 0 ? (4000 * requests * rates.length) / rates.reduce((a, b) => a + b, 0) : slowestMs;
    const horizonMs = Math.max(20 * maxSloMs, Math.min(slowestMs, averageMs));
    const config: SimConfig = {
      pools: this.pools,
      requestSlots: this.options.requestSlots,
      maxQueueLength: this.options.maxQueueLength,
      horizonMs,
      warmupMs: Math.max(2 * maxSloMs, 0.1 * horizonMs),
      seed: this.problem.seed,
      ...(this.problem.machine.cpuInterference && { cpuInterference: this.problem.machine.cpuInterference }),
    };
    this.simulationCount++;
    return simulate(sims, config);
  }
}

function resolveOptions(options: SimObjectiveOptions, machineRequestSlots: number): ResolvedOptions {
  const resolved: ResolvedOptions = {
    requestsPerTenant: options.requestsPerTenant ?? 200,
    bisectionSteps: options.bisectionSteps ?? 7,
    requestSlots: options.requestSlots ?? machineRequestSlots,
    maxQueueLength: options.maxQueueLength ?? 64,
    scoreCacheSize: options.scoreCacheSize ?? 20_000,
    planCacheSize: options.planCacheSize ?? 512,
  };
  for (const [field, value] of Object.entries(resolved)) {
    if (!(Number.isSafeInteger(value) && value >= 1))
      invalid(`${field} must be a positive integer, got ${value}`);
  }
  return resolved;
}

function invalid(message: string): never {
  throw new HetschedError(Code.InvalidArgument, message);
}
