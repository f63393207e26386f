import type { CostPool } from '../cost/index.js';
import { requestSlotsOf } from './capacity.js';
import { ON_GPU, type SearchProblem, type SearchTenant } from './problem.js';
import { compileTenant, cpuLanes } from './tenant-plan.js';

/** What the LP bound's tests share: a problem on given pools, and the best placement by brute force. */

/** Dispatcher slots enough never to bind: the pools' rows are what these tests check. */
export const SPARE_SLOTS = 64;

/** The tenants on `cpuSlots` CPU and `gpuSlots` GPU slots, the throughput objective. */
export function boundProblem(
  tenants: SearchTenant[],
  cpuSlots: number,
  gpuSlots: number,
  requestSlots = SPARE_SLOTS,
): SearchProblem {
  return { tenants, machine: { cpuSlots, gpuSlots, requestSlots }, objective: 'throughput', seed: 1 };
}

/**
 * The largest λ any whole placement's pools and dispatcher slots carry (every assignment of every
 * tenant tried, with `sides` sides per operator: 2 for CPU or GPU, more with the machine's thread
 * budgets; slots by Little's law on each request's unloaded latency, as capacityBound).
 */
export function bestPlacementLambda(instance: SearchProblem, sides = 2): number {
  const lanes = cpuLanes(instance.machine.cpuBudgets);
  const pools: [CostPool | 'slots', number][] = [
    ['cpu', instance.machine.cpuSlots],
    ['gpu:0', instance.machine.gpuSlots],
    ['slots', requestSlotsOf(instance.machine)],
  ];
  // Per tenant, each placement's busy ms per second on each pool at λ = 1.
  const loads = instance.tenants.map((tenant) => {
    const count = tenant.graph.ops.length;
    const options: number[][] = [];
    for (let code = 0; code < sides ** count; code++) {
      const assigned = Uint8Array.from(
        { length: count },
        (_, index) => Math.floor(code / sides ** index) % sides,
      );
      if (assigned.some((side, index) => side === ON_GPU && !tenant.gpuAllowed[index])) continue;
      const plan = compileTenant(tenant, assigned, lanes);
      options.push(
        pools.map(
          ([pool]) =>
            tenant.ratePerS * (pool === 'slots' ? plan.unloadedMs : (plan.busyMsByPool.get(pool) ?? 0)),
        ),
      );
    }
    return options;
  });
  let best = 0;
  const visit = (t: number, sum: number[]): void => {
    if (t === loads.length) {
      // A pool nothing uses does not bind (a GPU of 0 slots included).
      const fits = pools.map(([, slots], p) =>
        (sum[p] ?? 0) > 0 ? (1000 * slots) / (sum[p] ?? 0) : Infinity,
      );
      best = Math.max(best, Math.min(...fits));
      return;
    }
    for (const option of loads[t] ?? [])
      visit(
        t + 1,
        sum.map((ms, p) => ms + (option[p] ?? 0)),
      );
  };
  visit(
    0,
    pools.map(() => 0),
  );
  return best;
}
