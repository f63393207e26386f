import { checkTenantCount, checkTenantSides, lastSideOf } from './assignment-check.js';
import { Lru } from './lru.js';
import type { Assignment, SearchProblem } from './problem.js';
import { sameSides, sidesHash } from './sides.js';
import { type CpuLanes, compileTenant, cpuLanes, type TenantPlan } from './tenant-plan.js';

/** A compiled plan and the sides it was compiled from (a copy: callers may reuse their arrays). */
interface Entry {
  readonly sides: Uint8Array;
  readonly plan: TenantPlan;
}

/**
 * Compiled plans per tenant, keyed by that tenant's part of the assignment: a local move changes
 * one tenant, so only that tenant is checked, segmented and priced again. A tenant's sides are
 * checked (checkTenantSides) only when they are not cached: sides that were cached passed the
 * check, so an assignment compiles or throws as if every tenant were checked.
 *
 * Keyed by a hash of the sides (sidesHash), not by a string of them: the search looks up every
 * tenant of every plan it scores, and a string key would be built and hashed afresh for each.
 * An entry keeps its sides and a lookup compares them, so two sides with one hash only cost a
 * compile.
 */
export class PlanCache {
  private readonly plans: Lru<number, Entry>[];
  private readonly lanes: CpuLanes;
  private readonly lastSide: number;

  /** @param gpuAllowed per tenant, per operator, whether it may go on the GPU; `cpuSides` as cpuSideCount. */
  constructor(
    private readonly problem: SearchProblem,
    capacityPerTenant: number,
    private readonly gpuAllowed: readonly (readonly boolean[])[],
    cpuSides: number,
  ) {
    this.plans = problem.tenants.map(() => new Lru<number, Entry>(capacityPerTenant));
    this.lanes = cpuLanes(problem.machine.cpuBudgets);
    this.lastSide = lastSideOf(cpuSides);
  }

  /** @throws HetschedError INVALID_ARGUMENT as checkTenantCount and checkTenantSides. */
  compile(assignment: Assignment): TenantPlan[] {
    checkTenantCount(this.gpuAllowed, assignment);
    const compiled: TenantPlan[] = [];
    for (let index = 0; index < assignment.length; index++) {
      const sides = assignment[index] as Uint8Array;
      const cache = this.plans[index] as Lru<number, Entry>;
      const key = sidesHash(sides);
      const cached = cache.get(key);
      if (cached !== undefined && sameSides(cached.sides, sides)) {
        compiled.push(cached.plan);
        continue;
      }
      checkTenantSides(this.gpuAllowed[index] as readonly boolean[], sides, index, this.lastSide);
      const plan = compileTenant(
        this.problem.tenants[index] as SearchProblem['tenants'][number],
        sides,
        this.lanes,
      );
      cache.set(key, { sides: sides.slice(), plan });
      compiled.push(plan);
    }
    return compiled;
  }
}
