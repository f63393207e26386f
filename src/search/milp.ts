import { Code, HetschedError } from '../common/index.js';
import { linearExpression, solveLpText } from '../solver/index.js';
import {
  type AdditiveInstance,
  type ExactSolution,
  gpuAllowedOf,
  validateAdditive,
  weightedLatencyMs,
} from './additive.js';

/**
 * The exact optimum of a small additive instance whose tenants are DAGs, as a MILP solved by
 * HiGHS: a binary x per operator the GPU may take (1: on the GPU; pinned operators are the
 * constant 0), and per edge u -> v between two such operators a continuous a >= x_v - x_u
 * (CPU -> GPU) and b >= x_u - x_v (GPU -> CPU), each priced by its direction's switch cost.
 * Minimising with non-negative costs drives a and b down to max(0, ...), so they need not be
 * binary. An edge with one end pinned prices the other end's x directly.
 */

export interface MilpOptions {
  /** Refuse instances with more columns (binaries + switch indicators) than this. Default 400. */
  readonly maxVariables: number;
  /** HiGHS wall-clock limit, s. Default 10. */
  readonly timeLimitS: number;
}

export interface MilpSolution extends ExactSolution {
  /** HiGHS's model status; 'Optimal' means proved optimal (gap 0). */
  readonly status: string;
  readonly optimal: boolean;
  /** Columns in the model (binaries + switch indicators). */
  readonly variables: number;
}

const DEFAULTS: MilpOptions = { maxVariables: 400, timeLimitS: 10 };

/** Columns the MILP of an instance has; compare with MilpOptions.maxVariables before solving. */
export function milpVariableCount(instance: AdditiveInstance): number {
  let count = 0;
  for (const tenant of instance.tenants) {
    if (tenant.weight === 0) continue;
    const allowed = gpuAllowedOf(tenant);
    count += allowed.filter(Boolean).length;
    for (const edge of tenant.edges) {
      if (!(allowed[edge.from] && allowed[edge.to])) continue;
      if (edge.cpuToGpuMs > 0) count++;
      if (edge.gpuToCpuMs > 0) count++;
    }
  }
  return count;
}

/** Solves an additive instance exactly. Throws INVALID_ARGUMENT beyond `maxVariables`, INTERNAL where HiGHS finds no solution. */
export async function solveAdditiveMilp(
  instance: AdditiveInstance,
  options: Partial<MilpOptions> = {},
): Promise<MilpSolution> {
  const resolved = { ...DEFAULTS, ...options };
  validateAdditive(instance);
  const variables = milpVariableCount(instance);
  if (variables > resolved.maxVariables)
    throw new HetschedError(
      Code.InvalidArgument,
      `the MILP would have ${variables} variables, more than the limit of ${resolved.maxVariables}: ` +
        'use chain DP for chains, or a heuristic search',
    );
  const assignment = instance.tenants.map((tenant) => new Uint8Array(tenant.cpuMs.length));
  if (variables === 0)
    return {
      assignment,
      score: -weightedLatencyMs(instance, assignment),
      status: 'Empty',
      optimal: true,
      variables,
    };

  const objective: [number, string][] = [];
  const constraints: string[] = [];
  const binaries: string[] = [];
  const bounds: string[] = [];
  instance.tenants.forEach((tenant, t) => {
    // A weightless tenant costs nothing wherever it goes: it stays on the CPU.
    if (tenant.weight === 0) return;
    const allowed = gpuAllowedOf(tenant);
    const x = (op: number): string => `x_${t}_${op}`;
    // Per-column cost, summed: a column may be priced by its operator and by its pinned neighbours.
    const xCost = new Map<number, number>();
    const addX = (op: number, ms: number): void => {
      xCost.set(op, (xCost.get(op) ?? 0) + ms);
    };
    allowed.forEach((ok, op) => {
      if (ok) addX(op, (tenant.gpuMs[op] ?? 0) - (tenant.cpuMs[op] ?? 0));
    });
    tenant.edges.forEach((edge, e) => {
      const { from, to } = edge;
      if (allowed[from] && allowed[to]) {
        if (edge.cpuToGpuMs > 0) {
          const a = `a_${t}_${e}`;
          objective.push([tenant.weight * edge.cpuToGpuMs, a]);
          constraints.push(
            ` up_${t}_${e}: ${linearExpression([
              [1, a],
              [-1, x(to)],
              [1, x(from)],
            ])} >= 0`,
          );
          bounds.push(` 0 <= ${a} <= 1`);
        }
        if (edge.gpuToCpuMs > 0) {
          const b = `b_${t}_${e}`;
          objective.push([tenant.weight * edge.gpuToCpuMs, b]);
          constraints.push(
            ` down_${t}_${e}: ${linearExpression([
              [1, b],
              [-1, x(from)],
              [1, x(to)],
            ])} >= 0`,
          );
          bounds.push(` 0 <= ${b} <= 1`);
        }
      } else if (allowed[to]) addX(to, edge.cpuToGpuMs);
      else if (allowed[from]) addX(from, edge.gpuToCpuMs);
    });
    for (const [op, ms] of xCost) objective.push([tenant.weight * ms, x(op)]);
    allowed.forEach((ok, op) => {
      if (ok) binaries.push(x(op));
    });
  });
  // An objective with every coefficient 0 would be empty text; a zero term keeps it well-formed.
  const objectiveText = linearExpression(objective) || `0 ${binaries[0] ?? ''}`;
  const lpText = [
    'Minimize',
    ` latency: ${objectiveText}`,
    'Subject To',
    ...(constraints.length > 0 ? constraints : [` keep: ${binaries[0] ?? ''} >= 0`]),
    'Bounds',
    ...bounds,
    'Binaries',
    ...chunk(binaries, 10).map((line) => ` ${line.join(' ')}`),
    'End',
  ].join('\n');
  const solution = await solveLpText(lpText, { timeLimitS: resolved.timeLimitS });
  if (solution.primal.size === 0)
    throw new HetschedError(Code.Internal, `HiGHS found no placement (status '${solution.status}')`);
  instance.tenants.forEach((tenant, t) => {
    const sides = assignment[t];
    if (!sides || tenant.weight === 0) return;
    for (let op = 0; op < sides.length; op++)
      sides[op] = (solution.primal.get(`x_${t}_${op}`) ?? 0) > 0.5 ? 1 : 0;
  });
  return {
    assignment,
    score: -weightedLatencyMs(instance, assignment),
    status: solution.status,
    optimal: solution.status === 'Optimal',
    variables,
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
