import { Code, HetschedError } from '../common/index.js';
import type { CostPool } from '../cost/index.js';
import { algorithmFor, inThreadLpSolver, type LpTextSolver } from '../solver/index.js';
import { requestSlotsOf } from './capacity.js';
import { ALL, BoundLp, INVERSE_LAMBDA, LAMBDA, NONE, type Terms } from './lp-builder.js';
import {
  type CpuPricing,
  chargeOperators,
  cpuFloors,
  cpuPricings,
  gateCuts,
  type OperatorCharges,
  type PoolPrices,
  poolPrices,
} from './lp-prices.js';
import { chargeSegments, longestPath } from './lp-segments.js';
import { chargeTensors } from './lp-tensors.js';
import { wholeRunSavings } from './lp-whole-run.js';
import { type Assignment, ON_CPU, ON_GPU, type SearchProblem, type SearchTenant } from './problem.js';

/**
 * An upper bound on the weighted throughput any placement of a SearchProblem can reach, from a
 * linear program: every tenant's arrivals scaled by one factor λ (tenant i at λ·rate_i), each
 * operator split fractionally between the pools it may use (a movable operator's GPU share g is a
 * column, 0 <= g <= λ, and its CPU share is λ − g: no column and no row of its own), and each pool's work
 * per second within its slots: Σ_i rate_i · (its operators' and segments' ms on the pool) <= 1000 · slots.
 * Maximise λ; the bound is λ · Σ_i weight_i · rate_i. (HiGHS solves it with λ fixed at 1 and the
 * capacities scaled by 1/λ instead: lp-builder.ts.)
 *
 * What the LP charges a pool, each term no more than any placement pays there (CostModel.segmentMs):
 * - every operator its fused share in a segment smaller than the model; per fused group, on the
 *   part of the requests in which the group is cut, each member its split price instead, at least
 *   where the group is split between pools, and where that is cheaper only where the tenant runs
 *   in two segments or more (lp-prices.ts: chargeOperators, gateCuts); and where the tenant runs
 *   wholly on one pool, the whole model's measured run where it differs from that sum, cheaper or
 *   dearer (a dearer one capped at a second segment's launch and wait where the request may run
 *   in two), and on the CPU its worker's wait after a run that long;
 * - a segment launch per run of operators on the pool along a longest path of the graph, and at
 *   least one wherever the tenant has any operator there;
 * - the per-MiB and per-tensor boundary terms of the tensors that must cross a segment edge whatever the split:
 *   request inputs at the pools that read them, graph outputs at the pool that writes them, an
 *   activation read on another pool than its producer's (x ≥ y_consumer − y_producer), and one that
 *   skips ahead on its producer's pool past an operator on the other pool (SkipLink), each at both
 *   ends: handed out of its producer's segment once, into a reader's segment once per pool, though
 *   a placement may read it in several segments there;
 * - on the CPU, the workers' waits on the main thread: per segment counted above, the least fixed
 *   part a run can wait that is no longer than any segment of the tenant runs on that pool
 *   (CostModel.workerIdleFixedFloorMs of its segmentMsCeiling); per request, the least per-MiB
 *   part for its own inputs and outputs (workerIdleBytesFloorMs), and for each tensor handed
 *   between segments above, at both ends (workerIdleMsPerMiBFloor).
 * And the dispatcher's slots (Little's law: Σ_i λ·rate_i · latency_i <= 1000 · slots), each request
 * at least its engine path and, along a longest path of its graph, the operators' floors, a
 * dispatch and launch per run of one pool and a hand-off where the pool changes.
 * Where the machine has wider CPU thread budgets, every CPU price is the least over the pool's own
 * threads and each budget's (an operator's CPU-pool price times the slots the budget holds, its
 * latency price as it is), and a group may be cut between two CPU lanes with no GPU in the
 * request: a looser bound, still above any plan.
 * Queueing, CPU interference (>= 1x) and idle slots waiting on dependencies only lose capacity:
 * all left out, so the bound stays sound. It assumes tenants are served in proportion to their
 * rates, as they are when every tenant is inside its SLO (the 'throughput' objective).
 */

export interface LpBoundOptions {
  /**
   * Refuse (RESOURCE_EXHAUSTED) problems whose LP has more columns than this: about three per
   * movable operator, so the default holds the search bench's 5 synthetic tenants of 2,000
   * operators (its search_s_5x2000 run notes when it does not). Default 50,000.
   */
  readonly maxVariables: number;
  /** HiGHS wall-clock limit, s (RESOURCE_EXHAUSTED past it). Default 10. */
  readonly timeLimitS: number;
}

export interface LpThroughputBound {
  /** λ · Σ weight · rate: no placement's weighted throughput (requests/s) exceeds it. Infinity where nothing costs anything. */
  readonly boundWeightedThroughputPerS: number;
  /** The largest load scale the pools could carry; > 1 means the expected rates fit. */
  readonly lambda: number;
  /** The bound at the expected rates: min(1, λ) · Σ weight · rate (completions cannot exceed arrivals). */
  readonly offeredBoundPerS: number;
  /** HiGHS's model status: 'Infeasible' where no load above 0 fits (λ = 0, the LP being written with λ at 1). */
  readonly status: string;
}

const DEFAULTS: LpBoundOptions = { maxVariables: 50_000, timeLimitS: 10 };
const GPU: CostPool = 'gpu:0';
const CPU: CostPool = 'cpu';

/** The bound, and the LP's placement rounded to whole operators: a starting point for the search. */
export interface LpBoundSolution {
  readonly bound: LpThroughputBound;
  /**
   * Each movable operator on the GPU where the LP ran at least half its share there, everything
   * else on the CPU. A placement (its capacity can be far below the bound), not a bound.
   */
  readonly rounded: Assignment;
}

export async function lpThroughputBound(
  problem: SearchProblem,
  options: Partial<LpBoundOptions> = {},
): Promise<LpThroughputBound> {
  return (await solveLpBound(problem, options)).bound;
}

/**
 * Writes the LP here, at once (before the first await), and solves it with `solver`: on this
 * thread by default; a worker's solver, made before this call, loads its modules while the LP is written.
 */
export async function solveLpBound(
  problem: SearchProblem,
  options: Partial<LpBoundOptions> = {},
  solver: LpTextSolver = inThreadLpSolver,
): Promise<LpBoundSolution> {
  const resolved = { ...DEFAULTS, ...options };
  let written: WrittenLp;
  try {
    written = writeBoundLp(problem, resolved);
  } catch (error) {
    solver.cancel();
    throw error;
  }
  const { lpText, weightedRatePerS } = written;
  // The primal simplex up to a few MB, the interior point method past that (algorithmFor): the
  // same optimum, in less time.
  const solution = await solver.solve(lpText, {
    timeLimitS: resolved.timeLimitS,
    solver: algorithmFor(lpText),
  });
  let lambda: number;
  // 1/λ at its least; 0 where nothing costs anything (λ unbounded). Infeasible with λ at 1: no
  // load above 0 fits (a pool with no slots that a tenant cannot avoid), λ = 0.
  if (solution.status === 'Optimal') {
    const inverse = solution.primal.get(INVERSE_LAMBDA) ?? 0;
    lambda = inverse > 0 ? 1 / inverse : Number.POSITIVE_INFINITY;
  } else if (solution.status === 'Infeasible') lambda = 0;
  else if (solution.status === 'Time limit reached')
    throw new HetschedError(
      Code.ResourceExhausted,
      `the LP bound did not solve within ${resolved.timeLimitS} s`,
    );
  else
    throw new HetschedError(Code.Internal, `the LP bound did not solve (HiGHS status '${solution.status}')`);
  const scaled = (scale: number): number => (weightedRatePerS === 0 ? 0 : scale * weightedRatePerS);
  const rounded = problem.tenants.map((tenant, t) =>
    Uint8Array.from(tenant.graph.ops, (op) => {
      // Its share of the requests (λ at 1).
      const onGpu = solution.primal.get(gpuColumn(t, op.index)) ?? 0;
      return lambda > 0 && onGpu >= 1 / 2 ? ON_GPU : ON_CPU;
    }),
  );
  return {
    bound: {
      boundWeightedThroughputPerS: scaled(lambda),
      lambda,
      offeredBoundPerS: scaled(Math.min(1, lambda)),
      status: solution.status,
    },
    rounded,
  };
}

/** The bound's LP as HiGHS reads it (CPLEX LP format): what `npm run bench -- highs` solves. */
export function boundLpText(problem: SearchProblem, options: Partial<LpBoundOptions> = {}): string {
  return writeBoundLp(problem, { ...DEFAULTS, ...options }).lpText;
}

interface WrittenLp {
  readonly lpText: string;
  /** Σ weight · rate: the bound is λ times this. */
  readonly weightedRatePerS: number;
}

/** The LP in CPLEX LP format (RESOURCE_EXHAUSTED past `maxVariables` columns). */
function writeBoundLp(problem: SearchProblem, resolved: LpBoundOptions): WrittenLp {
  const { cpuSlots, gpuSlots } = problem.machine;
  if (!(cpuSlots >= 0 && gpuSlots >= 0))
    throw new HetschedError(Code.InvalidArgument, `slots must be >= 0, got cpu ${cpuSlots}, gpu ${gpuSlots}`);
  const lp = new BoundLp();
  let weightedRatePerS = 0;
  problem.tenants.forEach((tenant, t) => {
    if (!(tenant.ratePerS >= 0 && tenant.weight >= 0))
      throw new HetschedError(Code.InvalidArgument, `tenant '${tenant.name}': rate and weight must be >= 0`);
    weightedRatePerS += tenant.weight * tenant.ratePerS;
    if (tenant.ratePerS > 0)
      addTenant(
        lp,
        tenant,
        t,
        gpuSlots > 0 && tenant.cost.hasGpu,
        cpuPricings(tenant.cost, problem.machine.cpuBudgets),
      );
    if (lp.columns > resolved.maxVariables)
      throw new HetschedError(
        Code.ResourceExhausted,
        `the LP bound would have more than ${resolved.maxVariables} variables`,
      );
  });
  const lpText = [
    'Minimize',
    ` time: 1 ${INVERSE_LAMBDA}`,
    'Subject To',
    ...lp.capacityRow('cpu', CPU, cpuSlots),
    ...lp.capacityRow('gpu', GPU, gpuSlots),
    ...lp.capacityRow('slots', 'slots', requestSlotsOf(problem.machine)),
    ...lp.rows,
    'Bounds',
    ...lp.shares.map((column) => ` ${column} <= 1`),
    'End',
  ].join('\n');
  return { lpText, weightedRatePerS };
}

/** The column of an operator's GPU share. */
function gpuColumn(t: number, opIndex: number): string {
  return `g_${t}_${opIndex}`;
}

/** One tenant's columns, rows and charges; per unit of λ it pays `ratePerS` times its per-request ms. */
function addTenant(
  lp: BoundLp,
  tenant: SearchTenant,
  t: number,
  gpuUsable: boolean,
  pricings: readonly CpuPricing[],
): void {
  const { cost, graph, ratePerS } = tenant;
  const floors = cpuFloors(pricings);
  // Every request's own path through the engine holds its slot too, wherever it runs.
  lp.charge('slots', ratePerS * cost.requestPathMs(), ALL);
  const pools: readonly CostPool[] = gpuUsable ? [CPU, GPU] : [CPU];
  // The longest any segment of this tenant can run on each pool, at any thread budget: the
  // workers' waits after it are no shorter than after a run that long.
  const ceilingMs = new Map(
    pools.map((pool) => [
      pool,
      Math.max(
        ...(pool === CPU ? pricings.map((p) => p.cost) : [cost]).map((model) => model.segmentMsCeiling(pool)),
      ),
    ]),
  );
  const waitPerMiB = (pool: CostPool): number => cost.workerIdleMsPerMiBFloor(ceilingMs.get(pool) ?? 0);
  // The waits' per-MiB part costs the CPU pool for the request's own tensors at least.
  lp.charge(CPU, ratePerS * cost.workerIdleBytesFloorMs(Math.max(...ceilingMs.values())), ALL);
  // share[pool][op]: the operator's part of the λ requests run on that pool.
  const share = new Map<CostPool, Terms[]>(pools.map((pool) => [pool, []]));
  for (const op of graph.ops) {
    const movable = gpuUsable && (tenant.gpuAllowed[op.index] ?? false);
    if (!movable) {
      (share.get(CPU) as Terms[])[op.index] = ALL;
      if (gpuUsable) (share.get(GPU) as Terms[])[op.index] = NONE;
      continue;
    }
    const onGpu = lp.share(gpuColumn(t, op.index));
    // The CPU share written as λ − g rather than a column tied by an equality row: the same LP
    // with one column and one equality fewer per movable operator, for HiGHS to solve.
    (share.get(CPU) as Terms[])[op.index] = [
      [1, LAMBDA],
      [-1, onGpu],
    ];
    (share.get(GPU) as Terms[])[op.index] = [[1, onGpu]];
  }
  const overheads = new Map(
    pools.map((pool) => [pool, pool === CPU && floors ? floors.overheads : cost.segmentOverheads(pool)]),
  );
  const launchMs = (pool: CostPool): number => (overheads.get(pool) ?? cost.segmentOverheads(pool)).launchMs;
  // Per unit of λ: a tensor of `miB` at a segment edge on `pool`, touched by a convolution or not,
  // written there (an output) or read.
  const edgeMs = (pool: CostPool, miB: number, convolution: boolean, written = false): number => {
    const { boundaryMsPerMiB, convEdgeMsPerMiB, outputMsPerMiB, perTensorMs } =
      overheads.get(pool) ?? cost.segmentOverheads(pool);
    const perMiB = boundaryMsPerMiB + (convolution ? convEdgeMsPerMiB : 0) + (written ? outputMsPerMiB : 0);
    // With the per-tensor term: once per tensor on each side of an edge (the convolution's extra
    // charge below is a difference of two of these, so it adds none).
    return ratePerS * (miB * perMiB + perTensorMs);
  };
  const prices = new Map(
    pools.map((pool) => [pool, pool === CPU && floors ? floors.prices : poolPrices(cost, pool)]),
  );
  const pricesOn = (pool: CostPool): PoolPrices => prices.get(pool) ?? poolPrices(cost, pool);
  const path = longestPath(graph);
  const operatorCharges: OperatorCharges[] = [];
  const segmentsOn = new Map<CostPool, Terms>();
  for (const pool of pools) {
    const shares = share.get(pool) as Terms[];
    const shareOf = (index: number): Terms => shares[index] ?? NONE;
    const side = pool === CPU ? 'c' : 'g';
    operatorCharges.push(chargeOperators(lp, ratePerS, pool, pricesOn(pool), shareOf, `${side}_${t}`));
    const segments = chargeSegments({
      lp,
      tenant,
      t,
      pool,
      shareOf,
      path,
      pathFloorMs: (index) =>
        pool === CPU && floors ? (floors.pathMs[index] ?? 0) : cost.opFloorMs(index, pool),
      launchMs: launchMs(pool),
      runFloorMs: Math.min(launchMs(pool), ...pricesOn(pool).wholeRunLatenciesMs),
      waitFloorMs: cost.workerIdleFixedFloorMs(ceilingMs.get(pool) ?? 0),
      bothPools: gpuUsable,
    });
    segmentsOn.set(pool, segments);
  }
  const requestEdgesMs = chargeTensors({
    lp,
    tenant,
    t,
    pools,
    shareOf: (pool, index) => share.get(pool)?.[index] ?? NONE,
    edgeMs,
    waitPerMiB,
  });
  const wholeSavingMs = wholeRunSavings({
    tenant,
    cpuLanes: floors !== undefined,
    charges: operatorCharges,
    launchMs,
    requestEdgesMs,
    prices: pricesOn,
    ceilingMs,
  });
  gateCuts(
    lp,
    operatorCharges,
    wholeSavingMs,
    segmentsOn,
    new Map(pools.map((pool) => [pool, share.get(pool) ?? []])),
    new Set(floors ? [CPU] : []),
    String(t),
  );
}
