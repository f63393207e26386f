import { type CostPool, requestSlotsFor } from '../cost/index.js';
import type { SearchMachine, SearchTenant } from './problem.js';
import type { TenantPlan } from './tenant-plan.js';

/**
 * The dispatcher's concurrent requests both objectives assume unless told otherwise: the machine's
 * own figure, else the engine's rule for its worker threads (requestSlotsFor). A request holds its
 * slot from dispatch to reply, its waits and hand-offs included.
 */
export function requestSlotsOf(machine: SearchMachine): number {
  return machine.requestSlots ?? requestSlotsFor(machine.cpuSlots + machine.gpuSlots);
}

export interface PoolSlots {
  readonly id: CostPool;
  readonly slots: number;
}

/** The machine's pools as both objectives see them: the CPU's slots, and the GPU's where it has one. */
export function poolsOf(machine: SearchMachine): PoolSlots[] {
  return [
    { id: 'cpu', slots: machine.cpuSlots },
    ...(machine.gpuSlots > 0 ? [{ id: 'gpu:0' as const, slots: machine.gpuSlots }] : []),
  ];
}

/** What the tenants' expected traffic (load scale 1) asks of one pool, per second. */
export interface PoolLoad {
  readonly busyMsPerS: number;
  readonly visitsPerS: number;
}

/** Each pool's busy time and segment visits per second at the tenants' expected rates. */
export function poolLoads(
  tenants: readonly SearchTenant[],
  plans: readonly TenantPlan[],
  pools: readonly PoolSlots[],
): Map<CostPool, PoolLoad> {
  const loads = new Map<CostPool, PoolLoad>();
  for (const pool of pools) {
    let busyMsPerS = 0;
    let visitsPerS = 0;
    tenants.forEach((tenant, index) => {
      const plan = plans[index] as TenantPlan;
      busyMsPerS += tenant.ratePerS * (plan.busyMsByPool.get(pool.id) ?? 0);
      visitsPerS += tenant.ratePerS * (plan.visitsByPool.get(pool.id) ?? 0);
    });
    loads.set(pool.id, { busyMsPerS, visitsPerS });
  }
  return loads;
}

/**
 * The load scale no schedule of these plans can exceed: each pool's slots against the busy time
 * its requests need, and the dispatcher's request slots against each request's unloaded latency
 * (Little's law). CPU interference only slows segments down, so it cannot raise the bound. 1 when
 * nothing costs anything.
 */
export function capacityBound(
  tenants: readonly SearchTenant[],
  plans: readonly TenantPlan[],
  pools: readonly PoolSlots[],
  requestSlots: number,
): number {
  let bound = Number.POSITIVE_INFINITY;
  for (const [id, load] of poolLoads(tenants, plans, pools)) {
    const slots = pools.find((pool) => pool.id === id)?.slots ?? 0;
    if (load.busyMsPerS > 0) bound = Math.min(bound, (1000 * slots) / load.busyMsPerS);
  }
  let holdMsPerS = 0;
  tenants.forEach((tenant, index) => {
    holdMsPerS += tenant.ratePerS * (plans[index] as TenantPlan).unloadedMs;
  });
  if (holdMsPerS > 0) bound = Math.min(bound, (1000 * requestSlots) / holdMsPerS);
  return Number.isFinite(bound) ? bound : 1;
}
