import type { GraphIR } from '../graph/index.js';
import { type ProcessorId, poolOf, type Segment } from '../partition/index.js';
import type { CostModel, CostPool } from './cost-model.js';
import { linear } from './cost-model.js';
import type { SimArrival, SimSegment, SimTenant } from './sim-types.js';

export interface TenantLoad {
  readonly name: string;
  readonly sloMs: number;
  readonly weight: number;
  readonly arrival: SimArrival;
}

/**
 * A CPU lane's thread budget: its sessions' intra-op threads, and the CPU pool slots one of its
 * segments holds while it runs (the worker threads those intra-op threads take the cores of).
 */
export interface ThreadBudget {
  readonly threads: number;
  readonly slots: number;
}

/**
 * A tenant as the simulator sees it: each segment of its plan with the time the cost model
 * predicts on its pool, the segments it waits for, and before it starts the cost of receiving
 * its inputs (dispatch to the worker, each tensor's hand-off, and host<->device copies where a GPU
 * is on either side); after the last one, returning the outputs, and the engine's own path per
 * request (machine.cpu.request: checks, queues, dataflow, results); and the CPU worker time it
 * costs waiting on the main thread after each segment's run (machine.cpu.workerIdle). A segment
 * on a CPU lane in `budgets` is priced at that lane's intra-op threads and holds its slots; other
 * CPU segments run at the cost model's own threads on one slot.
 */
export function simTenant(
  cost: CostModel,
  segments: readonly Segment[],
  load: TenantLoad,
  budgets?: ReadonlyMap<ProcessorId, ThreadBudget>,
): SimTenant {
  const { graph, machine } = cost;
  const producer = new Map<string, Segment>();
  for (const segment of segments) for (const name of segment.outputs) producer.set(name, segment);
  // After each run its worker waits for the main thread, longer for more bytes handed in and out.
  let workerIdleMs = 0;
  // Pushed, not mapped: V8's optimised map builds a holey array where its interpreter builds a
  // packed one, and code optimised on one kind (the search's, the simulator's) deopts on the other.
  // No spreads, no sets: the search compiles thousands of plans through here.
  const simSegments: SimSegment[] = [];
  for (const segment of segments) {
    const pool = poolOf(segment.processor) as CostPool;
    const deps: number[] = [];
    let handoffMs = cost.dispatchMs(pool);
    let handedBytes = 0;
    for (const name of segment.outputs) handedBytes += tensorBytes(graph, name);
    for (const name of segment.inputs) {
      const from = producer.get(name);
      const bytes = tensorBytes(graph, name);
      handedBytes += bytes;
      if (from) {
        if (!deps.includes(from.id)) deps.push(from.id);
        handoffMs += cost.boundaryMs(bytes, poolOf(from.processor) as CostPool, pool);
      } else {
        // From the request: into the worker, and onto the device for a GPU.
        handoffMs += linear(machine.cpu.handoff, bytes);
        if (pool !== 'cpu' && machine.gpu) handoffMs += linear(machine.gpu.hostToDevice, bytes);
      }
    }
    deps.sort(ascending);
    const budget = pool === 'cpu' ? budgets?.get(segment.processor) : undefined;
    const priced = budget ? cost.withCpuThreads(budget.threads) : cost;
    const durationMs = priced.segmentMs(segment.ops, segment.inputs, segment.outputs, pool);
    workerIdleMs += cost.workerIdleMs(durationMs, handedBytes);
    const interferenceClass = priced.segmentClass(segment.ops, pool);
    const spreadLogSd = priced.runSpreadLogSd(pool);
    const { id } = segment;
    simSegments.push(
      budget && budget.slots > 1
        ? { id, pool, durationMs, deps, handoffMs, interferenceClass, spreadLogSd, slots: budget.slots }
        : { id, pool, durationMs, deps, handoffMs, interferenceClass, spreadLogSd },
    );
  }
  const returned = graph.outputs.filter((name) => producer.has(name));
  let outputMs = cost.requestPathMs(returned);
  for (const name of returned) {
    const from = producer.get(name) as Segment;
    if (poolOf(from.processor) !== 'cpu' && machine.gpu)
      outputMs += linear(machine.gpu.deviceToHost, tensorBytes(graph, name));
  }
  const { name, sloMs, weight, arrival } = load;
  return { name, sloMs, weight, arrival, segments: simSegments, outputMs, workerIdleMs };
}

function ascending(a: number, b: number): number {
  return a - b;
}

function tensorBytes(graph: GraphIR, name: string): number {
  return graph.tensors[name]?.bytes ?? 0;
}
