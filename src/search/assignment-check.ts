import { Code, HetschedError } from '../common/index.js';
import { type Assignment, budgetSide, cpuSideCount, ON_GPU, type SearchProblem } from './problem.js';

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

/**
 * The CPU sides of the problem's machine (cpuSideCount), once its thread budgets are checked.
 * @throws HetschedError INVALID_ARGUMENT for a budget that is not whole threads, or holds more slots than the CPU has.
 */
export function checkedCpuSides(problem: SearchProblem): number {
  const { cpuBudgets = [], cpuSlots } = problem.machine;
  cpuBudgets.forEach((budget, j) => {
    if (!(Number.isInteger(budget.threads) && budget.threads >= 1))
      invalid(`CPU thread budget ${j}: threads must be a positive integer, got ${budget.threads}`);
    if (!(Number.isInteger(budget.slots) && budget.slots >= 1 && budget.slots <= cpuSlots))
      invalid(
        `CPU thread budget ${j}: slots must be an integer from 1 to the CPU's ${cpuSlots}, got ${budget.slots}`,
      );
  });
  return cpuSideCount(problem.machine);
}

/** @throws HetschedError INVALID_ARGUMENT where the assignment has not one entry per tenant. */
export function checkTenantCount(gpuAllowed: readonly (readonly boolean[])[], assignment: Assignment): void {
  if (assignment.length !== gpuAllowed.length)
    invalid(`the assignment has ${assignment.length} tenants, the problem ${gpuAllowed.length}`);
}

/** The highest side an operator may take with `cpuSides` CPU sides (cpuSideCount: ON_CPU and the wider budgets' sides). */
export function lastSideOf(cpuSides: number): number {
  return cpuSides > 1 ? budgetSide(cpuSides - 2) : ON_GPU;
}

/**
 * Checks one tenant's sides: `allowed` its operators' GPU flags, `lastSide` lastSideOf's.
 * @throws HetschedError INVALID_ARGUMENT, naming tenant number `tenant`, where an operator count
 * differs from the graph's, a pinned operator is on the GPU, or a side is one the machine has not.
 */
export function checkTenantSides(
  allowed: readonly boolean[],
  sides: Uint8Array,
  tenant: number,
  lastSide: number,
): void {
  if (sides.length !== allowed.length)
    invalid(`tenant ${tenant}: ${sides.length} operators assigned, the graph has ${allowed.length}`);
  for (let op = 0; op < sides.length; op++) {
    const side = sides[op] as number;
    if (side === ON_GPU && !allowed[op]) invalid(`tenant ${tenant}: operator ${op} may not run on the GPU`);
    if (side > lastSide) invalid(`tenant ${tenant}: operator ${op} has side ${side}`);
  }
}

function invalid(message: string): never {
  throw new HetschedError(Code.InvalidArgument, message);
}
