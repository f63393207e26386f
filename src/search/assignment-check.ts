import { Code, HetschedError } from '../common/index.js';
import { type Assignment, ON_CPU, ON_GPU, type SearchProblem } from './problem.js';

/**
 * Per tenant, per operator: whether the search may put it on the GPU — the tenant's own flags,
 * and only where the machine has a GPU and the tenant's cost model prices it.
 * @throws HetschedError INVALID_ARGUMENT for a problem without tenants or with flags that do not match a graph.
 */
export function effectiveGpuAllowed(problem: SearchProblem): boolean[][] {
  if (problem.tenants.length === 0) invalid('the problem has no tenants');
  const gpu = problem.machine.gpuSlots > 0;
  return problem.tenants.map((tenant) => {
    if (tenant.gpuAllowed.length !== tenant.graph.ops.length) {
      invalid(
        `tenant '${tenant.name}' has ${tenant.gpuAllowed.length} gpuAllowed flags for ${tenant.graph.ops.length} operators`,
      );
    }
    return tenant.gpuAllowed.map((ok) => ok && gpu && tenant.cost.hasGpu);
  });
}

/** @throws HetschedError INVALID_ARGUMENT for a malformed assignment or a pinned operator on the GPU. */
export function checkAssignment(gpuAllowed: readonly (readonly boolean[])[], assignment: Assignment): void {
  if (assignment.length !== gpuAllowed.length)
    invalid(`the assignment has ${assignment.length} tenants, the problem ${gpuAllowed.length}`);
  assignment.forEach((sides, tenant) => {
    const allowed = gpuAllowed[tenant] as readonly boolean[];
    if (sides.length !== allowed.length)
      invalid(`tenant ${tenant}: ${sides.length} operators assigned, the graph has ${allowed.length}`);
    for (let op = 0; op < sides.length; op++) {
      const side = sides[op];
      if (side === ON_GPU && !allowed[op]) invalid(`tenant ${tenant}: operator ${op} may not run on the GPU`);
      if (side !== ON_GPU && side !== ON_CPU) invalid(`tenant ${tenant}: operator ${op} has side ${side}`);
    }
  });
}

function invalid(message: string): never {
  throw new HetschedError(Code.InvalidArgument, message);
}
