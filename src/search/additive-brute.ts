import { Code, HetschedError } from '../common/index.js';
import { type AdditiveInstance, type ExactSolution, tenantLatencyMs, weightedLatencyMs } from './additive.js';

/** Above this many operators per tenant, enumeration (2^n placements) is refused. */
export const BRUTE_FORCE_MAX_OPERATORS = 20;

/**
 * The exact optimum of an additive instance by trying every placement of every tenant (tenants are
 * independent): the reference the DP and the MILP are tested against. O(2^n · (n + edges)) per tenant.
 */
export function solveBruteForce(instance: AdditiveInstance): ExactSolution {
  const assignment = instance.tenants.map((tenant, t) => {
    const n = tenant.cpuMs.length;
    if (n > BRUTE_FORCE_MAX_OPERATORS)
      throw new HetschedError(
        Code.InvalidArgument,
        `tenant ${t} has ${n} operators; brute force enumerates at most ${BRUTE_FORCE_MAX_OPERATORS}`,
      );
    const sides = new Uint8Array(n);
    let best = new Uint8Array(n);
    let bestMs = Infinity;
    for (let mask = 0; mask < 2 ** n; mask++) {
      for (let i = 0; i < n; i++) sides[i] = (mask >>> i) & 1;
      const ms = tenantLatencyMs(tenant, sides);
      if (ms < bestMs) {
        bestMs = ms;
        best = sides.slice();
      }
    }
    return best;
  });
  return { assignment, score: -weightedLatencyMs(instance, assignment) };
}
