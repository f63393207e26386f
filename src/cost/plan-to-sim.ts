import type { GraphIR } from '../graph/index.js';
import { type ProcessorId, poolOf, type Segment } from '../partition/index.js';
import type { CostModel, CostPool } from './cost-model.js';
import { linear } from './cost-model.js';
import type { OpClass } from './op-class.js';
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
  const segmentOfOp = scratch.segmentOfOp(graph.ops.length);
  for (let s = 0; s < segments.length; s++) {
    const ops = (segments[s] as Segment).ops;
    for (let m = 0; m < ops.length; m++) segmentOfOp[ops[m] as number] = s;
  }
  // After each run its worker waits for the main thread, longer for more bytes handed in and out.
  let workerIdleMs = 0;
  // Pushed, not mapped: V8's optimised map builds a holey array where its interpreter builds a
  // packed one, and code optimised on one kind (the search's, the simulator's) deopts on the other.
  // No spreads, no sets: the search compiles thousands of plans through here.
  const simSegments: SimSegment[] = [];
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s] as Segment;
    const pool = poolOf(segment.processor) as CostPool;
    const budget = pool === 'cpu' ? budgets?.get(segment.processor) : undefined;
    const priced = budget ? cost.withCpuThreads(budget.threads) : cost;
    const shape = pricedShape(priced, segment, pool);
    const deps: number[] = [];
    let handoffMs = cost.dispatchMs(pool);
    const { inputs, inputBytes, inputProducerOp } = shape;
    for (let i = 0; i < inputs.length; i++) {
      const bytes = inputBytes[i] as number;
      const from = producerOf(segments, segmentOfOp, inputProducerOp[i] as number, inputs[i] as string);
      if (from) {
        insertSorted(deps, from.id);
        handoffMs += cost.boundaryMs(bytes, poolOf(from.processor) as CostPool, pool);
      } else {
        // From the request: into the worker, and onto the device for a GPU.
        handoffMs += linear(machine.cpu.handoff, bytes);
        if (pool !== 'cpu' && machine.gpu) handoffMs += linear(machine.gpu.hostToDevice, bytes);
      }
    }
    const { durationMs, interferenceClass } = shape;
    workerIdleMs += cost.workerIdleMs(durationMs, shape.handedBytes);
    const spreadLogSd = priced.runSpreadLogSd(pool);
    const { id } = segment;
    simSegments.push(
      budget && budget.slots > 1
        ? { id, pool, durationMs, deps, handoffMs, interferenceClass, spreadLogSd, slots: budget.slots }
        : { id, pool, durationMs, deps, handoffMs, interferenceClass, spreadLogSd },
    );
  }
  const returned: string[] = [];
  const returnedFrom: Segment[] = [];
  for (const name of graph.outputs) {
    const from = producerOf(segments, segmentOfOp, graph.tensors[name]?.producer ?? -1, name);
    if (from) {
      returned.push(name);
      returnedFrom.push(from);
    }
  }
  let outputMs = cost.requestPathMs(returned);
  for (let r = 0; r < returned.length; r++) {
    if (poolOf((returnedFrom[r] as Segment).processor) !== 'cpu' && machine.gpu)
      outputMs += linear(machine.gpu.deviceToHost, tensorBytes(graph, returned[r] as string));
  }
  const { name, sloMs, weight, arrival } = load;
  return { name, sloMs, weight, arrival, segments: simSegments, outputMs, workerIdleMs };
}

/**
 * The segment that hands a tensor on: the one holding its producer (`producerOp`; -1 for none)
 * where that segment lists the tensor among its outputs; none for a request input.
 */
function producerOf(
  segments: readonly Segment[],
  segmentOfOp: Int32Array,
  producerOp: number,
  name: string,
): Segment | undefined {
  if (producerOp < 0) return undefined;
  const from = segments[segmentOfOp[producerOp] as number];
  return from?.outputs.includes(name) ? from : undefined;
}

/**
 * What simTenant derives from a segment's operators and edge tensors on one pool: its run (the
 * cost model's segmentMs and segmentClass), and its edge tensors' bytes and producers.
 */
interface PricedShape {
  /** The segment's inputs and outputs it was priced with (the same arrays: see pricedShape). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly durationMs: number;
  readonly interferenceClass: OpClass;
  readonly inputBytes: Float64Array;
  /** Each input's producing operator in the graph, -1 for a request input. */
  readonly inputProducerOp: Int32Array;
  /** Bytes in and out: what its worker waits on the main thread for (CostModel.workerIdleMs). */
  readonly handedBytes: number;
}

/**
 * Priced shapes by cost model and pool, each keyed by its segment's operator array. segmentPlaced
 * gives every segment with the same operators the same arrays (a shape), and the search's plans
 * differ from each other in a few segments each: most segments it prices were priced before. An
 * entry is used only for the very arrays it was priced with; the weak maps let shapes no plan
 * holds go.
 */
const priced = new WeakMap<CostModel, Map<CostPool, WeakMap<readonly number[], PricedShape>>>();

function pricedShape(cost: CostModel, segment: Segment, pool: CostPool): PricedShape {
  let byPool = priced.get(cost);
  if (byPool === undefined) {
    byPool = new Map();
    priced.set(cost, byPool);
  }
  let shapes = byPool.get(pool);
  if (shapes === undefined) {
    shapes = new WeakMap();
    byPool.set(pool, shapes);
  }
  const { ops, inputs, outputs } = segment;
  const known = shapes.get(ops);
  if (known !== undefined && known.inputs === inputs && known.outputs === outputs) return known;
  const { graph } = cost;
  const inputBytes = new Float64Array(inputs.length);
  const inputProducerOp = new Int32Array(inputs.length);
  let handedBytes = 0;
  for (const name of outputs) handedBytes += tensorBytes(graph, name);
  for (let i = 0; i < inputs.length; i++) {
    const tensor = graph.tensors[inputs[i] as string];
    inputBytes[i] = tensor?.bytes ?? 0;
    inputProducerOp[i] = tensor?.producer ?? -1;
    handedBytes += inputBytes[i] as number;
  }
  const shape: PricedShape = {
    inputs,
    outputs,
    durationMs: cost.segmentMs(ops, inputs, outputs, pool),
    interferenceClass: cost.segmentClass(ops, pool),
    inputBytes,
    inputProducerOp,
    handedBytes,
  };
  shapes.set(ops, shape);
  return shape;
}

/** Adds `value` to ascending distinct `values` unless it is there (no sort: it allocates a copy per call). */
function insertSorted(values: number[], value: number): void {
  let at = values.length;
  while (at > 0 && (values[at - 1] as number) > value) at--;
  if (at > 0 && values[at - 1] === value) return;
  values.push(value);
  for (let i = values.length - 1; i > at; i--) values[i] = values[i - 1] as number;
  values[at] = value;
}

function tensorBytes(graph: GraphIR, name: string): number {
  return graph.tensors[name]?.bytes ?? 0;
}

/** Scratch of simTenant, kept between calls (it never runs inside itself). */
const scratch = {
  ops: new Int32Array(64),
  /** Each operator's segment (an index into the segments), -1 for the first `count`. */
  segmentOfOp(count: number): Int32Array {
    if (this.ops.length < count) this.ops = new Int32Array(Math.max(count, 2 * this.ops.length));
    this.ops.fill(-1, 0, count);
    return this.ops;
  },
};
