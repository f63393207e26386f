import { Code, HetschedError } from '../common/index.js';
import type { CostPool } from '../cost/index.js';
import { linearExpression, solveLpText } from './highs.js';
import type { SearchProblem } from './problem.js';

/**
 * An upper bound on the weighted throughput any placement of a SearchProblem can reach, from a
 * linear program: every tenant's arrivals scaled by one factor λ (tenant i at λ·rate_i), each
 * operator split fractionally between the pools it may use (Σ_pool y = λ), and each pool's work
 * per second within its slots: Σ_i rate_i · Σ_op ms(op, pool) · y(op, pool) <= 1000 · slots.
 * Maximise λ; the bound is λ · Σ_i weight_i · rate_i.
 *
 * Why it bounds: a real placement is one such split (y = 0 or λ), and pays on top of it launches,
 * hand-offs and copies (ignored here), CPU interference (>= 1x) and idle slots waiting on
 * dependencies. It assumes tenants are served in proportion to their rates, as they are when
 * every tenant is inside its SLO (the 'throughput' objective). Each operator is priced at its
 * floor (CostModel.opFloorMs: the cheaper of its fused share and its split price), so no segment
 * the cost model prices costs less than the LP charges for its operators.
 */

export interface LpBoundOptions {
  /** Refuse problems whose LP has more columns than this. Default 20000. */
  readonly maxVariables: number;
  /** HiGHS wall-clock limit, s. Default 10. */
  readonly timeLimitS: number;
}

export interface LpThroughputBound {
  /** λ · Σ weight · rate: no placement's weighted throughput (requests/s) exceeds it. Infinity where nothing costs anything. */
  readonly boundWeightedThroughputPerS: number;
  /** The largest load scale the pools could carry; > 1 means the expected rates fit. */
  readonly lambda: number;
  /** The bound at the expected rates: min(1, λ) · Σ weight · rate (completions cannot exceed arrivals). */
  readonly offeredBoundPerS: number;
  /** HiGHS's model status. */
  readonly status: string;
}

const DEFAULTS: LpBoundOptions = { maxVariables: 20000, timeLimitS: 10 };
const GPU: CostPool = 'gpu:0';

export async function lpThroughputBound(
  problem: SearchProblem,
  options: Partial<LpBoundOptions> = {},
): Promise<LpThroughputBound> {
  const resolved = { ...DEFAULTS, ...options };
  const { cpuSlots, gpuSlots } = problem.machine;
  if (!(cpuSlots >= 0 && gpuSlots >= 0))
    throw new HetschedError(Code.InvalidArgument, `slots must be >= 0, got cpu ${cpuSlots}, gpu ${gpuSlots}`);
  let weightedRatePerS = 0;
  // λ's own coefficient in each capacity row: operators that have one pool only need no split column.
  let cpuLambdaMs = 0;
  const gpuLambdaMs = 0;
  const cpuTerms: [number, string][] = [];
  const gpuTerms: [number, string][] = [];
  const splitRows: string[] = [];
  let columns = 1;
  problem.tenants.forEach((tenant, t) => {
    const { cost, ratePerS } = tenant;
    if (!(ratePerS >= 0 && tenant.weight >= 0))
      throw new HetschedError(Code.InvalidArgument, `tenant '${tenant.name}': rate and weight must be >= 0`);
    weightedRatePerS += tenant.weight * ratePerS;
    if (ratePerS === 0) return;
    const gpuUsable = gpuSlots > 0 && cost.hasGpu;
    for (const op of tenant.graph.ops) {
      const cpuMs = cost.opFloorMs(op.index, 'cpu');
      const onGpu = gpuUsable && (tenant.gpuAllowed[op.index] ?? false);
      if (!onGpu) cpuLambdaMs += ratePerS * cpuMs;
      else {
        const gpuMs = cost.opFloorMs(op.index, GPU);
        const yc = `c_${t}_${op.index}`;
        const yg = `g_${t}_${op.index}`;
        columns += 2;
        cpuTerms.push([ratePerS * cpuMs, yc]);
        gpuTerms.push([ratePerS * gpuMs, yg]);
        splitRows.push(
          ` s_${t}_${op.index}: ${linearExpression([
            [1, yc],
            [1, yg],
            [-1, 'lam'],
          ])} = 0`,
        );
      }
    }
  });
  if (columns > resolved.maxVariables)
    throw new HetschedError(
      Code.InvalidArgument,
      `the LP bound would have ${columns} variables, more than the limit of ${resolved.maxVariables}`,
    );
  // Written as constraints even when empty of splits, so that λ always appears in a row.
  const rows = [
    ` cpu: ${linearExpression([[cpuLambdaMs, 'lam'], ...cpuTerms]) || '0 lam'} <= ${1000 * cpuSlots}`,
    ` gpu: ${linearExpression([[gpuLambdaMs, 'lam'], ...gpuTerms]) || '0 lam'} <= ${1000 * gpuSlots}`,
    ...splitRows,
  ];
  const lpText = ['Maximize', ' load: 1 lam', 'Subject To', ...rows, 'End'].join('\n');
  const solution = await solveLpText(lpText, { timeLimitS: resolved.timeLimitS });
  let lambda: number;
  if (solution.status === 'Optimal') lambda = solution.primal.get('lam') ?? 0;
  else if (solution.status === 'Unbounded') lambda = Infinity;
  else
    throw new HetschedError(Code.Internal, `the LP bound did not solve (HiGHS status '${solution.status}')`);
  const scaled = (scale: number): number => (weightedRatePerS === 0 ? 0 : scale * weightedRatePerS);
  return {
    boundWeightedThroughputPerS: scaled(lambda),
    lambda,
    offeredBoundPerS: scaled(Math.min(1, lambda)),
    status: solution.status,
  };
}
