import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { checkedCpuSides, effectiveGpuAllowed } from './assignment-check.js';
import { PlanCache } from './plan-cache.js';
import { ON_CPU, ON_GPU, type SearchTenant } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { compileTenant } from './tenant-plan.js';

const PROBLEM = syntheticProblem({ tenants: 2, operators: 12, seed: 5, pinnedFraction: 0.2 });
const GPU_ALLOWED = effectiveGpuAllowed(PROBLEM);
const SIZES = PROBLEM.tenants.map((tenant) => tenant.graph.ops.length);

function cache(capacity = 16): PlanCache {
  return new PlanCache(PROBLEM, capacity, GPU_ALLOWED, checkedCpuSides(PROBLEM));
}

/** Each tenant's operators on the GPU where allowed from `from` on, on the CPU before. */
function gpuFrom(from: number): Uint8Array[] {
  return GPU_ALLOWED.map((allowed) =>
    Uint8Array.from(allowed, (ok, op) => (ok && op >= from ? ON_GPU : ON_CPU)),
  );
}

describe('PlanCache', () => {
  it("compiles each tenant's sides as compileTenant does, and finds them again in any array", () => {
    const plans = cache();
    const assignment = gpuFrom(4);
    const compiled = plans.compile(assignment);
    compiled.forEach((plan, index) => {
      expect(plan).toEqual(
        compileTenant(PROBLEM.tenants[index] as SearchTenant, assignment[index] as Uint8Array),
      );
    });
    // The same sides in new arrays: the same plans, not compiled again.
    const again = plans.compile(assignment.map((sides) => sides.slice()));
    expect(again[0]).toBe(compiled[0]);
    expect(again[1]).toBe(compiled[1]);
  });

  it('keeps its own copy of the sides, so that a caller reusing its array gets the right plan', () => {
    const plans = cache();
    const assignment = gpuFrom(4);
    const first = plans.compile(assignment)[0];
    const firstSides = (assignment[0] as Uint8Array).slice();
    (assignment[0] as Uint8Array).fill(ON_CPU);
    const allCpu = plans.compile(assignment)[0];
    expect(allCpu).not.toBe(first);
    expect(allCpu).toEqual(compileTenant(PROBLEM.tenants[0] as SearchTenant, assignment[0] as Uint8Array));
    expect(plans.compile([firstSides, assignment[1] as Uint8Array])[0]).toBe(first);
  });

  it('compiles again what it forgot: plans beyond its capacity are dropped, least recently used first', () => {
    const plans = cache(1);
    const first = plans.compile(gpuFrom(4))[0];
    plans.compile(gpuFrom(8));
    const again = plans.compile(gpuFrom(4))[0];
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('refuses a malformed assignment, whatever it has cached', () => {
    const plans = cache();
    const valid = gpuFrom(0);
    plans.compile(valid);
    const pinned = GPU_ALLOWED[1]?.indexOf(false) ?? -1;
    expect(pinned).toBeGreaterThanOrEqual(0);
    const onPinned = (valid[1] as Uint8Array).slice();
    onPinned[pinned] = ON_GPU;
    const error = thrown(() => plans.compile([valid[0] as Uint8Array, onPinned]));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe(`tenant 1: operator ${pinned} may not run on the GPU`);
    expect(thrown(() => plans.compile([valid[0] as Uint8Array])).message).toBe(
      'the assignment has 1 tenants, the problem 2',
    );
    expect(thrown(() => plans.compile([new Uint8Array(3), valid[1] as Uint8Array])).message).toBe(
      `tenant 0: 3 operators assigned, the graph has ${SIZES[0]}`,
    );
    const unknownSide = (valid[0] as Uint8Array).slice();
    unknownSide[2] = 7;
    expect(thrown(() => plans.compile([unknownSide, valid[1] as Uint8Array])).message).toBe(
      'tenant 0: operator 2 has side 7',
    );
    // Refused sides are not cached: refused again.
    expect(() => plans.compile([valid[0] as Uint8Array, onPinned])).toThrow(/may not run on the GPU/);
  });
});
