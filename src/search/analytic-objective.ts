import { AssignmentCache } from './assignment-cache.js';
import { checkedCpuSides, effectiveGpuAllowed } from './assignment-check.js';
import { capacityBound, type PoolSlots, poolLoads, poolsOf, requestSlotsOf } from './capacity.js';
import { PlanCache } from './plan-cache.js';
import type { Assignment, Objective, SearchProblem, SearchTenant } from './problem.js';
import { assignmentHash } from './sides.js';
import type { TenantPlan } from './tenant-plan.js';

/** ln(100): an exponential waiting time's p99 is this many times its mean. */
const P99_OF_MEAN = Math.log(100);
/** Utilisation treated as saturated: queueing formulas diverge at 1. */
const MAX_UTILISATION = 0.999;
const BISECTION_STEPS = 40;

/**
 * A fast stand-in for the simulator, for the search's inner loop: the same compiled plans (the
 * same segments, cost model, hand-offs), judged by queueing formulas instead of a simulation.
 * Each pool is an M/M/c queue (Sakasegawa's approximation of the wait, each segment a visit); a
 * tenant's p99 latency is its unloaded latency plus ln(100) times its expected queueing. CPU
 * segments are slowed by the interference of the pool's other busy slots at that utilisation, and
 * the requests in flight (Little's law) must fit the dispatcher's slots.
 * - 'throughput': the largest load scale at which every tenant's p99 stays within its SLO (by
 *   bisection: latency grows with load), times Σ weight·rate; below 0 when unloaded already misses.
 * - 'latency': minus Σ weight · mean latency at the expected rates; overload penalised.
 * About a hundred times faster than SimObjective per evaluation; the search ranks its final
 * candidates with the simulator.
 */
export class AnalyticObjective implements Objective {
  readonly sizes: readonly number[];
  readonly gpuAllowed: readonly (readonly boolean[])[];
  readonly cpuSides: number;
  private evaluationCount = 0;
  private readonly scores = new AssignmentCache<number>(50_000);
  private readonly plans: PlanCache;
  private readonly pools: readonly PoolSlots[];

  /** @param requestSlots the dispatcher's concurrent requests, as in SimObjective. */
  constructor(
    readonly problem: SearchProblem,
    private readonly requestSlots = requestSlotsOf(problem.machine),
  ) {
    this.sizes = problem.tenants.map((tenant) => tenant.graph.ops.length);
    this.gpuAllowed = effectiveGpuAllowed(problem);
    this.cpuSides = checkedCpuSides(problem);
    this.pools = poolsOf(problem.machine);
    this.plans = new PlanCache(problem, 4096, this.gpuAllowed, this.cpuSides);
  }

  get evaluations(): number {
    return this.evaluationCount;
  }

  score(assignment: Assignment): number {
    const hash = assignmentHash(assignment);
    const cached = this.scores.get(hash, assignment);
    if (cached !== undefined) return cached;
    // Checked as it compiles (a tenant's sides when they are not cached).
    const plans = this.plans.compile(assignment);
    const score = this.problem.objective === 'throughput' ? this.throughput(plans) : this.latency(plans);
    this.evaluationCount++;
    this.scores.set(hash, assignment, score);
    return score;
  }

  private throughput(plans: readonly TenantPlan[]): number {
    const { tenants } = this.problem;
    let excess = 0;
    tenants.forEach((tenant, index) => {
      excess += Math.max(0, (plans[index] as TenantPlan).unloadedMs - tenant.sloMs) / tenant.sloMs;
    });
    if (excess > 0) return -excess;
    const queueing = this.queueing(plans);
    const fits = (scale: number): boolean => {
      const queueMs = queueing.at(scale);
      // Little's law on the dispatcher: requests in flight at once cannot exceed its slots.
      let inFlight = 0;
      for (let index = 0; index < tenants.length; index++) {
        const tenant = tenants[index] as SearchTenant;
        const unloadedMs = (plans[index] as TenantPlan).unloadedMs;
        const waitMs = queueMs[index] ?? Number.POSITIVE_INFINITY;
        if (unloadedMs + P99_OF_MEAN * waitMs > tenant.sloMs) return false;
        inFlight += (scale * tenant.ratePerS * (unloadedMs + waitMs)) / 1000;
      }
      return inFlight <= this.requestSlots;
    };
    let low = 0;
    let high = capacityBound(tenants, plans, this.pools, this.requestSlots);
    for (let step = 0; step < BISECTION_STEPS; step++) {
      const middle = (low + high) / 2;
      if (fits(middle)) low = middle;
      else high = middle;
    }
    const weightedRate = tenants.reduce((sum, tenant) => sum + tenant.weight * tenant.ratePerS, 0);
    return low * weightedRate;
  }

  private latency(plans: readonly TenantPlan[]): number {
    const { tenants } = this.problem;
    const queueMs = this.queueing(plans).at(1);
    // Overloaded: worse than any plan that keeps up, and more so the more it is overloaded.
    const overload = Math.max(1, 1 / capacityBound(tenants, plans, this.pools, Number.POSITIVE_INFINITY));
    return -tenants.reduce((sum, tenant, index) => {
      const ms = (plans[index] as TenantPlan).unloadedMs + (queueMs[index] ?? Number.POSITIVE_INFINITY);
      return sum + tenant.weight * (Number.isFinite(ms) ? ms : 10 * tenant.sloMs * overload);
    }, 0);
  }

  /**
   * The plans' queueing as a function of the load scale: `at(scale)` gives each tenant's expected
   * queueing (ms), the M/M/c wait of each pool once per segment it runs there, Infinity once a
   * pool it uses saturates. The throughput objective's bisection calls it 40 times an evaluation,
   * so what does not depend on the scale is laid out once here, and `at` fills the same arrays
   * each time (what it returns is overwritten by the next call).
   */
  private queueing(plans: readonly TenantPlan[]): { at(scale: number): Float64Array } {
    const pools = this.pools;
    const loads = poolLoads(this.problem.tenants, plans, pools);
    const busyMsPerS = Float64Array.from(pools, (pool) => loads.get(pool.id)?.busyMsPerS ?? 0);
    const visitsPerS = Float64Array.from(pools, (pool) => loads.get(pool.id)?.visitsPerS ?? 0);
    // Each plan's visits by pool index (-1: a pool not the machine's), in its visitsByPool order,
    // so that a tenant's queueing is summed in that order.
    // Pushed, not mapped: `at` is optimised on its own, and V8's tiers build map's arrays of
    // different kinds (see withTenant), which deoptimised it.
    const visitsOf: { pool: number; count: number }[][] = [];
    for (const plan of plans)
      visitsOf.push(
        Array.from(plan.visitsByPool, ([pool, count]) => ({
          pool: pools.findIndex((candidate) => candidate.id === pool),
          count,
        })),
      );
    const waitMs = new Float64Array(pools.length);
    const queueMs = new Float64Array(plans.length);
    return {
      at: (scale) => {
        for (let p = 0; p < pools.length; p++)
          waitMs[p] = this.poolWaitMs(pools[p] as PoolSlots, busyMsPerS[p] ?? 0, visitsPerS[p] ?? 0, scale);
        visitsOf.forEach((visits, index) => {
          let ms = 0;
          for (const { pool, count } of visits) ms += count * (pool >= 0 ? (waitMs[pool] as number) : 0);
          queueMs[index] = ms;
        });
        return queueMs;
      },
    };
  }

  /** One pool's M/M/c wait at load `scale` (ms; Sakasegawa), with the CPU's interference; Infinity once saturated. */
  private poolWaitMs(pool: PoolSlots, busyMsPerS: number, visitsPerS: number, scale: number): number {
    if (busyMsPerS === 0 || visitsPerS === 0) return 0;
    let utilisation = (scale * busyMsPerS) / (1000 * pool.slots);
    let serviceMs = busyMsPerS / visitsPerS;
    if (pool.id === 'cpu') {
      const factor = this.interference(utilisation * (pool.slots - 1));
      utilisation *= factor;
      serviceMs *= factor;
    }
    if (utilisation >= MAX_UTILISATION) return Number.POSITIVE_INFINITY;
    const c = pool.slots;
    return (utilisation ** (Math.sqrt(2 * (c + 1)) - 1) / (c * (1 - utilisation))) * serviceMs;
  }

  /** The 'default' class slowdown with `busyOthers` other CPU slots busy (interpolated). */
  private interference(busyOthers: number): number {
    const factors = this.problem.machine.cpuInterference?.default;
    if (!factors || factors.length === 0) return 1;
    const at = Math.min(busyOthers, factors.length - 1);
    const low = Math.floor(at);
    const high = Math.min(low + 1, factors.length - 1);
    const weight = at - low;
    return (factors[low] ?? 1) * (1 - weight) + (factors[high] ?? 1) * weight;
  }
}
