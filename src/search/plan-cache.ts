import { checkTenantCount, checkTenantSides, lastSideOf } from './assignment-check.js';
import { HashedLru } from './lru.js';
import type { Assignment, SearchProblem } from './problem.js';
import { sameSides, sidesHash } from './sides.js';
import { type CpuLanes, compileTenant, cpuLanes, type TenantPlan } from './tenant-plan.js';

/**
 * Compiled plans per tenant, keyed by that tenant's part of the assignment: a local move changes
 * one tenant, so only that tenant is checked, segmented and priced again. A tenant's sides are
 * checked (checkTenantSides) only when they are not cached: sides that were cached passed the
 * check, so an assignment compiles or throws as if every tenant were checked.
 *
 * Keyed by a hash of the sides (sidesHash, in a HashedLru), not by a string of them: the search
 * looks up every tenant of every plan it scores.
 */
export class PlanCache {
  private readonly plans: HashedLru<Uint8Array, TenantPlan>[];
  private readonly lanes: CpuLanes;
  private readonly lastSide: number;

  /** @param gpuAllowed per tenant, per operator, whether it may go on the GPU; `cpuSides` as cpuSideCount. */
  constructor(
    private readonly problem: SearchProblem,
    capacityPerTenant: number,
    private readonly gpuAllowed: readonly (readonly boolean[])[],
    cpuSides: number,
  ) {
    this.plans = problem.tenants.map(() => new HashedLru(capacityPerTenant, sameSides, copySides));
    this.lanes = cpuLanes(problem.machine.cpuBudgets);
    this.lastSide = lastSideOf(cpuSides);
  }

  /** @throws HetschedError INVALID_ARGUMENT as checkTenantCount and checkTenantSides. */
  compile(assignment: Assignment): TenantPlan[] {
    checkTenantCount(this.gpuAllowed, assignment);
    const compiled: TenantPlan[] = [];
    for (let index = 0; index < assignment.length; index++) {
      const sides = assignment[index] as Uint8Array;
      const cache = this.plans[index] as HashedLru<Uint8Array, TenantPlan>;
      const key = sidesHash(sides);
      const cached = cache.get(key, sides);
      if (cached !== undefined) {
        compiled.push(cached);
        continue;
      }
      checkTenantSides(this.gpuAllowed[index] as readonly boolean[], sides, index, this.lastSide);
      const plan = compileTenant(
        this.problem.tenants[index] as SearchProblem['tenants'][number],
        sides,
        this.lanes,
      );
      cache.set(key, sides, plan);
      compiled.push(plan);
    }
    return compiled;
  }
}

function copySides(sides: Uint8Array): Uint8Array {
  return sides.slice();
}
