import { Code, HetschedError, Marks } from '../common/index.js';
import type { GraphIR, OpNode } from '../graph/index.js';
import { type OpPrices, opPricesOf, segmentMsCeilingOf } from './bound-prices.js';
import { OP_CLASSES, type OpClass, opClass } from './op-class.js';
import { type PoolCosts, poolCosts } from './pool-costs.js';
import type { LinearCost, MachineProfile, ModelProfile } from './profile-types.js';
import { workerWaitFloors, workerWaitMs } from './worker-wait.js';

/** Which pool a cost is asked for: the CPU pools or a GPU. */
export type CostPool = 'cpu' | `gpu:${number}`;

export interface CostModelOptions {
  /** Intra-op threads of CPU sessions (picks the CPU profile measured with that many). */
  readonly cpuThreads: number;
}

/**
 * Predicts what a placement costs, from a machine profile (launch, hand-off and copy costs) and a
 * model profile (per-operator times on each processor, unfused and as onnxruntime fuses them, and
 * coefficients fitted on measured segments). A segment keeps the fused time of the fused groups it
 * holds whole, pays for the members of groups it cuts (they run unfused), a per-operator and a
 * per-MiB cost at its edges, and its processor's launch cost. A tensor crossing between segments
 * costs a hand-off each way through the main thread, plus the device copy where a GPU is on either
 * side. Pure.
 */
export class CostModel {
  private readonly pools = new Map<CostPool, PoolCosts>();
  /** Per operator: 1 for a convolution (the segment fit's edge term), and its class's index in OP_CLASSES. */
  private readonly convolution: Uint8Array;
  private readonly classIndex: Uint8Array;
  /**
   * Scratch of segmentFeatures and segmentClass, which the search calls for every segment of every
   * plan it tries: reused rather than a Map and a Set per call. Invisible to callers (each call
   * clears what it uses before reading it), so the model stays pure to them.
   */
  private readonly members: Marks;
  private readonly groupsSeen: Marks;
  private readonly groupCount: Int32Array;
  private readonly classMs = new Float64Array(OP_CLASSES.length);
  private readonly classOrder: number[] = [];
  /** Per pool, the least multiplier any segment's fused time is priced at (see wholeIntactRatio). */
  private readonly intactFloor = new Map<CostPool, number>();
  /** Siblings priced at other CPU thread counts (withCpuThreads), built once each. */
  private readonly atThreads = new Map<number, CostModel>();

  constructor(
    readonly graph: GraphIR,
    readonly machine: MachineProfile,
    readonly model: ModelProfile,
    readonly options: CostModelOptions,
  ) {
    this.atThreads.set(options.cpuThreads, this);
    const cpu = model.cpu[String(options.cpuThreads)] ?? model.cpu['1'] ?? Object.values(model.cpu)[0];
    if (!cpu) throw new HetschedError(Code.FailedPrecondition, 'the model profile has no CPU measurements');
    this.pools.set('cpu', poolCosts(graph, cpu));
    if (model.gpu) this.pools.set('gpu:0', poolCosts(graph, model.gpu));
    const count = graph.ops.length;
    this.convolution = Uint8Array.from(graph.ops, (op) =>
      op.opType === 'Conv' || op.opType === 'ConvTranspose' ? 1 : 0,
    );
    this.classIndex = Uint8Array.from(graph.ops, (op) => OP_CLASSES.indexOf(opClass(op.opType)));
    this.members = new Marks(count);
    this.groupsSeen = new Marks(count);
    this.groupCount = new Int32Array(count);
    const all = graph.ops.map((op) => op.index);
    for (const pool of this.pools.keys()) this.intactFloor.set(pool, this.wholeIntactRatio(pool, all));
  }

  /**
   * The fused time's multiplier in the whole model's measured run, where it is below the fitted
   * intact ratio (segments start colder than the whole model runs): what is left of the run after
   * the launch and edge terms, against its fused time. The fitted ratio where nothing was measured.
   */
  private wholeIntactRatio(pool: CostPool, all: readonly number[]): number {
    const { coefficients, wholeMs } = this.costs(pool);
    if (wholeMs === undefined) return coefficients.intactRatio;
    const features = this.segmentFeatures(all, this.graph.inputs, this.graph.outputs, pool);
    const edgesMs =
      (coefficients.launchMs ?? this.launchMs(pool)) +
      coefficients.boundaryMsPerMiB * features.boundaryMiB +
      coefficients.outputMsPerMiB * features.outputMiB +
      coefficients.convEdgeMsPerMiB * features.convEdgeMiB +
      coefficients.perTensorMs * features.tensors;
    if (!(features.intactMs > 0)) return coefficients.intactRatio;
    return Math.min(coefficients.intactRatio, Math.max(0, wholeMs - edgesMs) / features.intactMs);
  }

  /** The CPU intra-op thread counts the model profile has measurements for, ascending. */
  get measuredCpuThreads(): number[] {
    return Object.keys(this.model.cpu)
      .map(Number)
      .filter((threads) => Number.isInteger(threads) && threads > 0)
      .sort((a, b) => a - b);
  }

  /**
   * The same model priced with CPU sessions of `threads` intra-op threads (a CPU segment's thread
   * budget): the profile's measurements at that count. Built once per count; the GPU's prices and
   * the machine's costs are the same.
   * @throws HetschedError FAILED_PRECONDITION where the profile has no measurements at that count.
   */
  withCpuThreads(threads: number): CostModel {
    const known = this.atThreads.get(threads);
    if (known) return known;
    if (!this.model.cpu[String(threads)]) {
      throw new HetschedError(
        Code.FailedPrecondition,
        `the model profile has no CPU measurements at ${threads} intra-op thread(s) (it has ${this.measuredCpuThreads.join(', ')}): profile it with --threads ${threads}`,
      );
    }
    const sibling = new CostModel(this.graph, this.machine, this.model, { cpuThreads: threads });
    this.atThreads.set(threads, sibling);
    return sibling;
  }

  /** Whether this model has costs on a GPU (a measured or analytic GPU profile). */
  get hasGpu(): boolean {
    return this.pools.has('gpu:0') && this.machine.gpu !== null;
  }

  /**
   * How much a run's time varies from run to run on a pool, as a log-normal σ: from the spread
   * (10th to 90th percentile) of the whole model's measured runs; 0 where none was measured (an
   * analytic profile).
   */
  runSpreadLogSd(pool: CostPool): number {
    return this.costs(pool).runLogSd;
  }

  /** One operator's unfused time on a pool, in ms. */
  opMs(op: OpNode, pool: CostPool): number {
    return this.costs(pool).solo[op.index] ?? 0;
  }

  /**
   * What a segment's time is made of (see ProcessorCosts): the fused time of the fused groups it
   * holds whole, the unfused time of the members of groups it cuts, its operator count, and the
   * MiB of its boundary tensors, all of them and those a convolution in it touches.
   */
  segmentFeatures(
    opIndices: readonly number[],
    inputs: readonly string[],
    outputs: readonly string[],
    pool: CostPool,
  ): SegmentFeatures {
    const costs = this.costs(pool);
    const { members, groupsSeen, groupCount } = this;
    members.clear();
    groupsSeen.clear();
    for (const index of opIndices) {
      members.add(index);
      const group = costs.groupOf[index] ?? index;
      if (!groupsSeen.has(group)) {
        groupsSeen.add(group);
        groupCount[group] = 0;
      }
      groupCount[group] = (groupCount[group] ?? 0) + 1;
    }
    let intactMs = 0;
    let cutSoloMs = 0;
    let cutOps = 0;
    for (const index of opIndices) {
      const group = costs.groupOf[index] ?? index;
      if ((groupCount[group] ?? 0) === (costs.groupSize[group] ?? 1)) intactMs += costs.fused[index] ?? 0;
      else {
        cutSoloMs += costs.solo[index] ?? 0;
        cutOps++;
      }
    }
    let boundaryBytes = 0;
    let convEdgeBytes = 0;
    let outputBytes = 0;
    let tensors = 0;
    for (const name of outputs) outputBytes += this.graph.tensors[name]?.bytes ?? 0;
    for (const boundary of [inputs, outputs])
      for (const name of boundary) {
        const tensor = this.graph.tensors[name];
        if (!tensor) continue;
        tensors++;
        const bytes = tensor.bytes ?? 0;
        boundaryBytes += bytes;
        if (this.convolutionTouches(members, tensor.consumers, tensor.producer)) convEdgeBytes += bytes;
      }
    return {
      intactMs,
      cutSoloMs,
      ops: cutOps,
      boundaryMiB: boundaryBytes / MiB,
      convEdgeMiB: convEdgeBytes / MiB,
      outputMiB: outputBytes / MiB,
      tensors,
    };
  }

  /**
   * Whether a convolution among a segment's operators (`members`) reads or writes a tensor. A loop,
   * not a closure per call: the search prices thousands of segments.
   */
  private convolutionTouches(members: Marks, consumers: readonly number[], producer: number | null): boolean {
    const { convolution } = this;
    for (let c = 0; c < consumers.length; c++) {
      const consumer = consumers[c] as number;
      if (members.has(consumer) && convolution[consumer] === 1) return true;
    }
    return producer !== null && members.has(producer) && convolution[producer] === 1;
  }

  /** A segment's predicted time on its pool, in ms, from its operators (indices in graph.ops) and boundary tensors. */
  segmentMs(
    opIndices: readonly number[],
    inputs: readonly string[],
    outputs: readonly string[],
    pool: CostPool,
  ): number {
    const { coefficients, wholeMs } = this.costs(pool);
    // The whole model as one segment was measured as such: no fit prices it better.
    if (wholeMs !== undefined && opIndices.length === this.graph.ops.length) return wholeMs;
    const features = this.segmentFeatures(opIndices, inputs, outputs, pool);
    return (
      (coefficients.launchMs ?? this.launchMs(pool)) +
      coefficients.intactRatio * features.intactMs +
      coefficients.splitRatio * features.cutSoloMs +
      coefficients.perOpMs * features.ops +
      coefficients.boundaryMsPerMiB * features.boundaryMiB +
      coefficients.outputMsPerMiB * features.outputMiB +
      coefficients.convEdgeMsPerMiB * features.convEdgeMiB +
      coefficients.perTensorMs * features.tensors
    );
  }

  /**
   * The least an operator adds to any segment on a pool, in ms: its part of the whole model's
   * measured run, its fused share in a smaller segment, or its split price (with the per-operator
   * term) when its group is cut, whichever is lowest; an operator alone in its group is never cut.
   * Launches and boundaries only add to it, so a sum of floors never exceeds a plan's busy time:
   * what an upper bound on throughput needs.
   */
  opFloorMs(opIndex: number, pool: CostPool): number {
    const { fusedMs, wholeModelMs, splitMs, groupSize } = this.opPrices(opIndex, pool);
    const intactMs = Math.min(fusedMs, wholeModelMs);
    return groupSize > 1 ? Math.min(intactMs, splitMs) : intactMs;
  }

  /**
   * An operator's prices on a pool (ms, opPricesOf): what segmentMs charges it in a segment smaller
   * than the model, its part of the whole model's measured run (at that run's ratio where it is
   * lower: segments start colder than the whole model runs), and its split price; and its group.
   */
  opPrices(opIndex: number, pool: CostPool): OpPrices {
    const costs = this.costs(pool);
    const whole = this.intactFloor.get(pool === 'cpu' ? 'cpu' : 'gpu:0') ?? costs.coefficients.intactRatio;
    return opPricesOf(costs, whole, opIndex);
  }

  /**
   * What every segment on a pool pays beyond its operators (see segmentMs): its launch, a cost per
   * MiB of each boundary tensor, more per MiB of its outputs, and more per MiB of those a
   * convolution in it reads or writes.
   */
  segmentOverheads(pool: CostPool): SegmentOverheads {
    const { coefficients } = this.costs(pool);
    return {
      launchMs: coefficients.launchMs ?? this.launchMs(pool),
      boundaryMsPerMiB: coefficients.boundaryMsPerMiB,
      outputMsPerMiB: coefficients.outputMsPerMiB,
      convEdgeMsPerMiB: coefficients.convEdgeMsPerMiB,
      perTensorMs: coefficients.perTensorMs,
    };
  }

  /** Whether an operator is a convolution (the segment fit's edge term applies to its tensors). */
  isConvolution(opIndex: number): boolean {
    return this.convolution[opIndex] === 1;
  }

  /** The operator class that dominates a segment's time (its interference class); ties go to the class met first. */
  segmentClass(opIndices: readonly number[], pool: CostPool): OpClass {
    const { solo } = this.costs(pool);
    const { classMs, classOrder } = this;
    classMs.fill(-1);
    classOrder.length = 0;
    for (const index of opIndices) {
      const kind = this.classIndex[index];
      if (kind === undefined) continue;
      if ((classMs[kind] ?? 0) < 0) {
        classMs[kind] = 0;
        classOrder.push(kind);
      }
      classMs[kind] = (classMs[kind] ?? 0) + (solo[index] ?? 0);
    }
    let best: OpClass = 'elementwise';
    let bestMs = -1;
    for (const kind of classOrder) {
      const ms = classMs[kind] ?? 0;
      if (ms > bestMs) {
        best = OP_CLASSES[kind] ?? best;
        bestMs = ms;
      }
    }
    return best;
  }

  /** Moving a tensor of `bytes` from one pool to another (or from/to the request, pool 'cpu'), in ms. */
  boundaryMs(bytes: number, from: CostPool, to: CostPool): number {
    const handoff = linear(this.machine.cpu.handoff, bytes);
    // Every crossing goes through the main thread: out of one worker, into the next.
    let ms = 2 * handoff;
    if (from !== 'cpu') ms += linear(this.gpuMachine().deviceToHost, bytes);
    if (to !== 'cpu') ms += linear(this.gpuMachine().hostToDevice, bytes);
    return ms;
  }

  /**
   * What every request holds its dispatcher slot for outside its segments, wherever they run, in
   * ms: the engine's own path (checks, queues, dataflow, results) by the request's and reply's
   * bytes, and handing each of `returned` (default: the outputs an operator computes) back to the
   * main thread, one after the other. Copies off a GPU come on top where an output is computed there.
   */
  requestPathMs(returned?: readonly string[]): number {
    const { graph, machine } = this;
    const bytesOf = (name: string): number => graph.tensors[name]?.bytes ?? 0;
    const requestBytes = this.requestBytes();
    const handedBack =
      returned ?? graph.outputs.filter((name) => (graph.tensors[name]?.producer ?? null) !== null);
    let ms = linear(machine.cpu.request, requestBytes);
    for (const name of handedBack) ms += linear(machine.cpu.handoff, bytesOf(name));
    return ms;
  }

  /**
   * CPU worker time a segment run of `runMs` costs beyond its session while the CPU pool is
   * saturated, in ms (workerWaitMs over machine.cpu.workerIdle). 0 where not measured.
   */
  workerIdleMs(runMs: number, handedBytes: number): number {
    return workerWaitMs(this.machine.cpu.workerIdle, runMs, handedBytes);
  }

  /**
   * The least the workers wait after one segment run of at most `maxRunMs`, beyond the bytes
   * handed, in ms: a bound's term, per segment (workerWaitFloors).
   */
  workerIdleFixedFloorMs(maxRunMs = Number.POSITIVE_INFINITY): number {
    return workerWaitFloors(this.machine.cpu.workerIdle, maxRunMs).fixedMs;
  }

  /**
   * The least the workers wait per MiB a segment hands in or out, after runs of at most
   * `maxRunMs`, in ms: a bound's term, per tensor that crosses between segments.
   */
  workerIdleMsPerMiBFloor(maxRunMs = Number.POSITIVE_INFINITY): number {
    return workerWaitFloors(this.machine.cpu.workerIdle, maxRunMs).msPerMiB;
  }

  /**
   * The least the workers wait per MiB handed after runs of at most `maxRunMs`, for the request's
   * own inputs and outputs (each handed at least once), in ms: a bound's term, per request.
   */
  workerIdleBytesFloorMs(maxRunMs = Number.POSITIVE_INFINITY): number {
    return (this.workerIdleMsPerMiBFloor(maxRunMs) * this.requestBytes()) / MiB;
  }

  /** No segment of this model runs longer than this on a pool (ms), whichever operators it holds (segmentMsCeilingOf). */
  segmentMsCeiling(pool: CostPool): number {
    const costs = this.costs(pool);
    return segmentMsCeilingOf(this.graph, costs, costs.coefficients.launchMs ?? this.launchMs(pool));
  }

  /** The bytes of a request's own tensors: its inputs and its outputs. */
  requestBytes(): number {
    const { graph } = this;
    const bytesOf = (name: string): number => graph.tensors[name]?.bytes ?? 0;
    return [...graph.inputs, ...graph.outputs].reduce((sum, name) => sum + bytesOf(name), 0);
  }

  /** Posting a segment to its pool's worker and the reply back, beyond its tensors, in ms. */
  dispatchMs(pool: CostPool): number {
    return pool === 'cpu' ? this.machine.cpu.dispatchMs : this.gpuMachine().dispatchMs;
  }

  /** A session run's fixed cost on a pool, in ms. */
  launchMs(pool: CostPool): number {
    return pool === 'cpu' ? this.machine.cpu.segmentLaunchMs : this.gpuMachine().segmentLaunchMs;
  }

  private costs(pool: CostPool): PoolCosts {
    const costs = this.pools.get(pool === 'cpu' ? 'cpu' : 'gpu:0');
    if (!costs) throw new HetschedError(Code.FailedPrecondition, `no ${pool} costs in the model profile`);
    return costs;
  }

  private gpuMachine(): NonNullable<MachineProfile['gpu']> {
    const gpu = this.machine.gpu;
    if (!gpu)
      throw new HetschedError(
        Code.FailedPrecondition,
        `the machine profile '${this.machine.name}' has no GPU`,
      );
    return gpu;
  }
}

/** A segment's costs beyond its operators' own, on one pool. */
export interface SegmentOverheads {
  readonly launchMs: number;
  readonly boundaryMsPerMiB: number;
  /** Extra, per MiB of the segment's outputs. */
  readonly outputMsPerMiB: number;
  readonly convEdgeMsPerMiB: number;
  /** Per boundary tensor, whatever its size. */
  readonly perTensorMs: number;
}

/** The parts of a segment's time before the fitted coefficients weigh them. */
export interface SegmentFeatures {
  /** ms */
  readonly intactMs: number;
  /** ms */
  readonly cutSoloMs: number;
  /**
   * Operators of cut fused groups: each runs as a kernel of its own, with its own overhead (an
   * intact group's measured fused time already holds its kernels' overheads).
   */
  readonly ops: number;
  /** Inputs and outputs. */
  readonly boundaryMiB: number;
  readonly convEdgeMiB: number;
  readonly outputMiB: number;
  /** Boundary tensors: inputs and outputs. */
  readonly tensors: number;
}

const MiB = 1 << 20;

/** A linear cost at a size in bytes, in ms. */
export function linear(cost: LinearCost, bytes: number): number {
  return cost.fixedMs + (bytes / (1 << 20)) * cost.msPerMiB;
}
