import type { CostPool } from '../cost/index.js';
import { checkAssignment, checkedCpuSides, effectiveGpuAllowed } from './assignment-check.js';
import {
  capacityBound,
  type PoolLoad,
  type PoolSlots,
  poolLoads,
  poolsOf,
  requestSlotsOf,
} from './capacity.js';
import { Lru } from './lru.js';
import { PlanCache } from './plan-cache.js';
import { type Assignment, assignmentKey, type Objective, type SearchProblem } from './problem.js';
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
  private readonly scores = new Lru<string, number>(50_000);
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
    this.plans = new PlanCache(problem, 4096);
  }

  get evaluations(): number {
    return this.evaluationCount;
  }

  score(assignment: Assignment): number {
    const key = assignmentKey(assignment);
    const cached = this.scores.get(key);
    if (cached !== undefined) return cached;
    checkAssignment(this.gpuAllowed, assignment, this.cpuSides);
    const plans = this.plans.compile(assignment);
    const score = this.problem.objective === 'throughput' ? this.throughput(plans) : this.latency(plans);
    this.evaluationCount++;
    this.scores.set(key, score);
    return score;
  }

  private throughput(plans: readonly TenantPlan[]): number {
    const { tenants } = this.problem;
    let excess = 0;
    tenants.forEach((tenant, index) => {
      excess += Math.max(0, (plans[index] as TenantPlan).unloadedMs - tenant.sloMs) / tenant.sloMs;
    });
    if (excess > 0) return -excess;
    const loads = poolLoads(tenants, plans, this.pools);
    const fits = (scale: number): boolean => {
      const queueing = this.queueingAt(plans, loads, scale);
      // Little's law on the dispatcher: requests in flight at once cannot exceed its slots.
      let inFlight = 0;
      for (const [index, tenant] of tenants.entries()) {
        const unloadedMs = (plans[index] as TenantPlan).unloadedMs;
        const queueMs = queueing[index] ?? Number.POSITIVE_INFINITY;
        if (unloadedMs + P99_OF_MEAN * queueMs > tenant.sloMs) return false;
        inFlight += (scale * tenant.ratePerS * (unloadedMs + queueMs)) / 1000;
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
    const loads = poolLoads(tenants, plans, this.pools);
    const queueing = this.queueingAt(plans, loads, 1);
    // Overloaded: worse than any plan that keeps up, and more so the more it is overloaded.
    const overload = Math.max(1, 1 / capacityBound(tenants, plans, this.pools, Number.POSITIVE_INFINITY));
    return -tenants.reduce((sum, tenant, index) => {
      const ms = (plans[index] as TenantPlan).unloadedMs + (queueing[index] ?? Number.POSITIVE_INFINITY);
      return sum + tenant.weight * (Number.isFinite(ms) ? ms : 10 * tenant.sloMs * overload);
    }, 0);
  }

  /**
   * Each tenant's expected queueing at load `scale` (ms): the M/M/c wait of each pool, once per
   * segment it runs there; Infinity once a pool it uses saturates.
   */
  private queueingAt(
    plans: readonly TenantPlan[],
    loads: ReadonlyMap<CostPool, PoolLoad>,
    scale: number,
  ): number[] {
    const waits = new Map<CostPool, number>();
    for (const pool of this.pools) {
      const load = loads.get(pool.id);
      if (!load || load.busyMsPerS === 0 || load.visitsPerS === 0) {
        waits.set(pool.id, 0);
        continue;
      }
      let utilisation = (scale * load.busyMsPerS) / (1000 * pool.slots);
      let serviceMs = load.busyMsPerS / load.visitsPerS;
      if (pool.id === 'cpu') {
        const factor = this.interference(utilisation * (pool.slots - 1));
        utilisation *= factor;
        serviceMs *= factor;
      }
      if (utilisation >= MAX_UTILISATION) {
        waits.set(pool.id, Number.POSITIVE_INFINITY);
        continue;
      }
      const c = pool.slots;
      waits.set(pool.id, (utilisation ** (Math.sqrt(2 * (c + 1)) - 1) / (c * (1 - utilisation))) * serviceMs);
    }
    return plans.map((plan) => {
      let queueingMs = 0;
      for (const [pool, visits] of plan.visitsByPool) queueingMs += visits * (waits.get(pool) ?? 0);
      return queueingMs;
    });
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
