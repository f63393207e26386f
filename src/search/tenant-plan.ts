import { type CostPool, type SimTenant, simTenant, type ThreadBudget } from '../cost/index.js';
import { type ProcessorId, segmentPlaced } from '../partition/index.js';
import { budgetLane, budgetSide, ON_CPU, ON_GPU, type SearchTenant } from './problem.js';

const GPU: ProcessorId = 'gpu:0';
const CPU: ProcessorId = 'cpu';

/**
 * One tenant's placement compiled for the simulator, with the load left out (the throughput
 * objective re-simulates it at many rates), plus what the analytic bounds need.
 */
export interface TenantPlan {
  /** The simulator's tenant at `ratePerS` 1; callers replace `arrival`. */
  readonly sim: SimTenant;
  readonly segmentCount: number;
  /**
   * Pool-busy time of one request (slot-ms): the sum of its segments' durations times the slots
   * they hold on each pool, and its workers' waits on the main thread on the CPU's.
   */
  readonly busyMsByPool: ReadonlyMap<CostPool, number>;
  /** Segments of one request on each pool (each a visit to that pool's queue). */
  readonly visitsByPool: ReadonlyMap<CostPool, number>;
  /**
   * Latency of one request alone on the machine (ms): the critical path of hand-offs and segment
   * times, plus returning the outputs. No plan of this tenant's can answer faster under load.
   */
  readonly unloadedMs: number;
}

/**
 * The machine's wider CPU thread budgets by the lane their segments run on, and each side's
 * processor (ON_CPU, ON_GPU, then the budgets' lanes): what compileTenant places by.
 */
export interface CpuLanes {
  readonly processorOf: readonly ProcessorId[];
  readonly budgets: ReadonlyMap<ProcessorId, ThreadBudget>;
}

export function cpuLanes(budgets: readonly ThreadBudget[] = []): CpuLanes {
  const processorOf: ProcessorId[] = [];
  processorOf[ON_CPU] = CPU;
  processorOf[ON_GPU] = GPU;
  const byLane = new Map<ProcessorId, ThreadBudget>();
  budgets.forEach((budget, j) => {
    const side = budgetSide(j);
    processorOf[side] = budgetLane(side);
    byLane.set(budgetLane(side), budget);
  });
  return { processorOf, budgets: byLane };
}

const NO_BUDGETS = cpuLanes();

/**
 * Places, segments and prices one tenant's assignment (a side per operator index): a segment on a
 * wider budget's lane is priced at its threads and holds its slots.
 */
export function compileTenant(
  tenant: SearchTenant,
  sides: Uint8Array,
  lanes: CpuLanes = NO_BUDGETS,
): TenantPlan {
  const { processorOf, budgets } = lanes;
  const segments = segmentPlaced(tenant.graph, (index) => processorOf[sides[index] ?? ON_CPU] ?? CPU);
  const sim = simTenant(
    tenant.cost,
    segments,
    {
      name: tenant.name,
      sloMs: tenant.sloMs,
      weight: tenant.weight,
      arrival: { kind: 'poisson', ratePerS: 1 },
    },
    budgets.size > 0 ? budgets : undefined,
  );
  // The CPU workers' waits on the main thread are CPU busy time too (they hold a slot, no visit).
  const busyMsByPool = new Map<CostPool, number>(sim.workerIdleMs ? [['cpu', sim.workerIdleMs]] : []);
  const visitsByPool = new Map<CostPool, number>();
  const finishMs = new Float64Array(sim.segments.length);
  let lastMs = 0;
  for (const segment of sim.segments) {
    // A wide segment keeps all its slots busy.
    busyMsByPool.set(
      segment.pool,
      (busyMsByPool.get(segment.pool) ?? 0) + (segment.slots ?? 1) * segment.durationMs,
    );
    visitsByPool.set(segment.pool, (visitsByPool.get(segment.pool) ?? 0) + 1);
    let readyMs = 0;
    for (const dep of segment.deps) readyMs = Math.max(readyMs, finishMs[dep] ?? 0);
    const doneMs = readyMs + segment.handoffMs + segment.durationMs;
    finishMs[segment.id] = doneMs;
    lastMs = Math.max(lastMs, doneMs);
  }
  return {
    sim,
    segmentCount: segments.length,
    busyMsByPool,
    visitsByPool,
    unloadedMs: lastMs + (sim.outputMs ?? 0),
  };
}
