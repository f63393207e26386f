import type { CostPool } from '../cost/index.js';
import { checkAssignment, effectiveGpuAllowed } from './assignment-check.js';
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
  private evaluationCount = 0;
  private readonly scores = new Lru<string, number>(50_000);
  private readonly plans: PlanCache;
  private readonly pools: readonly { readonly id: CostPool; readonly slots: number }[];

  /** @param requestSlots the dispatcher's concurrent requests, as in SimObjective (default 16). */
  constructor(
    readonly problem: SearchProblem,
    private readonly requestSlots = 16,
  ) {
    this.sizes = problem.tenants.map((tenant) => tenant.graph.ops.length);
    this.gpuAllowed = effectiveGpuAllowed(problem);
    this.pools = [
      { id: 'cpu', slots: problem.machine.cpuSlots },
      ...(problem.machine.gpuSlots > 0 ? [{ id: 'gpu:0' as const, slots: problem.machine.gpuSlots }] : []),
    ];
    this.plans = new PlanCache(problem, 4096);
  }

  get evaluations(): number {
    return this.evaluationCount;
  }

  score(assignment: Assignment): number {
    const key = assignmentKey(assignment);
    const cached = this.scores.get(key);
    if (cached !== undefined) return cached;
    checkAssignment(this.gpuAllowed, assignment);
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
    const fits = (scale: number) => {
      if (
        !this.latenciesAt(plans, scale, P99_OF_MEAN).every((ms, index) => ms <= (tenants[index]?.sloMs ?? 0))
      )
        return false;
      // Little's law on the dispatcher: requests in flight at once cannot exceed its slots.
      const mean = this.latenciesAt(plans, scale, 1);
      const inFlight = tenants.reduce(
        (sum, tenant, index) => sum + (scale * tenant.ratePerS * (mean[index] ?? 0)) / 1000,
        0,
      );
      return inFlight <= this.requestSlots;
    };
    let low = 0;
    let high = this.saturationScale(plans);
    for (let step = 0; step < BISECTION_STEPS; step++) {
      const middle = (low + high) / 2;
      if (fits(middle)) low = middle;
      else high = middle;
    }
    const weightedRate = tenants.reduce((sum, tenant) => sum + tenant.weight * tenant.ratePerS, 0);
    return low * weightedRate;
  }

  private latency(plans: readonly TenantPlan[]): number {
    const latencies = this.latenciesAt(plans, 1, 1);
    return -this.problem.tenants.reduce((sum, tenant, index) => {
      const ms = latencies[index] ?? Number.POSITIVE_INFINITY;
      // Overloaded: worse than any plan that keeps up, and more so the more it is overloaded.
      return sum + tenant.weight * (Number.isFinite(ms) ? ms : 10 * tenant.sloMs * this.overload(plans));
    }, 0);
  }

  /** The load scale at which the busiest pool saturates. */
  private saturationScale(plans: readonly TenantPlan[]): number {
    let scale = Number.POSITIVE_INFINITY;
    for (const pool of this.pools) {
      const busy = this.busyMsPerS(plans, pool.id, 1);
      if (busy > 0) scale = Math.min(scale, (1000 * pool.slots) / busy);
    }
    return Number.isFinite(scale) ? scale : 1;
  }

  private overload(plans: readonly TenantPlan[]): number {
    return Math.max(1, 1 / this.saturationScale(plans));
  }

  /** Busy pool time per second of traffic at `scale`, CPU time stretched by interference at that load. */
  private busyMsPerS(plans: readonly TenantPlan[], pool: CostPool, scale: number): number {
    let busy = 0;
    this.problem.tenants.forEach((tenant, index) => {
      busy += scale * tenant.ratePerS * ((plans[index] as TenantPlan).busyMsByPool.get(pool) ?? 0);
    });
    return busy;
  }

  /**
   * Each tenant's latency at `scale`: unloaded latency plus `waitMultiple` times the expected
   * queueing over its segments' visits (Infinity once a pool saturates).
   */
  private latenciesAt(plans: readonly TenantPlan[], scale: number, waitMultiple: number): number[] {
    const waits = new Map<CostPool, number>();
    for (const pool of this.pools) {
      const busy = this.busyMsPerS(plans, pool.id, scale);
      const visitsPerS = this.visitsPerS(plans, pool.id, scale);
      if (busy === 0 || visitsPerS === 0) {
        waits.set(pool.id, 0);
        continue;
      }
      let utilisation = busy / (1000 * pool.slots);
      let serviceMs = busy / visitsPerS;
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
      for (const segment of plan.sim.segments) queueingMs += waits.get(segment.pool) ?? 0;
      return plan.unloadedMs + waitMultiple * queueingMs;
    });
  }

  private visitsPerS(plans: readonly TenantPlan[], pool: CostPool, scale: number): number {
    let visits = 0;
    this.problem.tenants.forEach((tenant, index) => {
      const count = (plans[index] as TenantPlan).sim.segments.filter(
        (segment) => segment.pool === pool,
      ).length;
      visits += scale * tenant.ratePerS * count;
    });
    return visits;
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
