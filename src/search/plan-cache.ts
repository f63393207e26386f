import { Lru } from './lru.js';
import type { Assignment, SearchProblem } from './problem.js';
import { type CpuLanes, compileTenant, cpuLanes, type TenantPlan } from './tenant-plan.js';

/**
 * Compiled plans per tenant, keyed by that tenant's part of the assignment: a local move changes
 * one tenant, so only that tenant is segmented and priced again.
 */
export class PlanCache {
  private readonly plans: Lru<string, TenantPlan>[];
  private readonly lanes: CpuLanes;

  constructor(
    private readonly problem: SearchProblem,
    capacityPerTenant: number,
  ) {
    this.plans = problem.tenants.map(() => new Lru<string, TenantPlan>(capacityPerTenant));
    this.lanes = cpuLanes(problem.machine.cpuBudgets);
  }

  compile(assignment: Assignment): TenantPlan[] {
    return this.problem.tenants.map((tenant, index) => {
      const sides = assignment[index] as Uint8Array;
      const cache = this.plans[index] as Lru<string, TenantPlan>;
      const key = Buffer.from(sides.buffer, sides.byteOffset, sides.byteLength).toString('latin1');
      let plan = cache.get(key);
      if (plan === undefined) {
        plan = compileTenant(tenant, sides, this.lanes);
        cache.set(key, plan);
      }
      return plan;
    });
  }
}
