import type { CostPool } from '../cost/index.js';
import { isConnected } from '../graph/index.js';
import type { OperatorCharges, PoolPrices } from './lp-prices.js';
import type { SearchTenant } from './problem.js';

/**
 * How the whole model run as one segment differs from what the LP bound charges it (its fused
 * operators, a launch and the edges of the request's own tensors, lp-bound.ts), per unit of λ, by
 * pool: positive, a saving; negative, a surcharge (lp-prices.ts gateCuts applies both).
 */

const CPU: CostPool = 'cpu';
/** Relative differences below this are floating-point rounding. */
const ROUNDING = 1e-9;

export interface WholeRunInputs {
  readonly tenant: SearchTenant;
  /** Whether the machine has CPU lanes (thread budgets): a request wholly on the CPU may then run in two segments. */
  readonly cpuLanes: boolean;
  /** chargeOperators' results, one per pool the tenant may use. */
  readonly charges: readonly OperatorCharges[];
  /** What the LP charges a segment's launch, and the request's own tensors' edges, on each pool. */
  readonly launchMs: (pool: CostPool) => number;
  readonly requestEdgesMs: ReadonlyMap<CostPool, number>;
  /** The operators' prices on each pool, with the whole model's run (lp-prices.ts). */
  readonly prices: (pool: CostPool) => PoolPrices;
  /** The longest any segment of the tenant runs on each pool (the workers' wait floors' range). */
  readonly ceilingMs: ReadonlyMap<CostPool, number>;
}

/**
 * Where the measured run costs less, the difference. Where it costs more, a request wholly on the
 * pool pays that much more, unless it may run in two segments or more (CPU lanes; a graph of parts
 * that share no tensor): then at most a second launch and worker's wait, which the LP may not
 * count. On the CPU the one segment's worker waits as long as a run of the whole model's length
 * waits (machine.cpu.workerIdle), which may be longer than the floors charged for any run.
 */
export function wholeRunSavings(inputs: WholeRunInputs): Map<CostPool, number> {
  const { tenant, charges, launchMs, requestEdgesMs, prices, ceilingMs } = inputs;
  const { cost, graph, ratePerS } = tenant;
  const connected = isConnected(graph);
  const waitFloorMs = (pool: CostPool): number => cost.workerIdleFixedFloorMs(ceilingMs.get(pool) ?? 0);
  const wholeWaitExtraMs = (pool: CostPool): number => {
    if (pool !== CPU) return 0;
    // The least wait after the whole run at any thread count: waits are not monotone in run length.
    const waitMs = Math.min(
      ...prices(CPU).wholeRunLatenciesMs.map((runMs) => cost.workerIdleMs(runMs, cost.requestBytes())),
    );
    const chargedMs = waitFloorMs(CPU) + cost.workerIdleBytesFloorMs(Math.max(...ceilingMs.values()));
    return Math.max(0, waitMs - chargedMs);
  };
  return new Map(
    charges.map(({ pool, fusedMs }) => {
      const chargedMs = fusedMs + ratePerS * launchMs(pool) + (requestEdgesMs.get(pool) ?? 0);
      const savingMs = chargedMs - ratePerS * (prices(pool).wholeRunMs + wholeWaitExtraMs(pool));
      if (Math.abs(savingMs) <= ROUNDING * chargedMs) return [pool, 0] as const;
      if (savingMs > 0) return [pool, savingMs] as const;
      const oneSegment = connected && !(pool === CPU && inputs.cpuLanes);
      const secondSegmentMs = ratePerS * (launchMs(pool) + waitFloorMs(pool));
      return [pool, oneSegment ? savingMs : Math.max(savingMs, -secondSegmentMs)] as const;
    }),
  );
}
