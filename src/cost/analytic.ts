import { Code, HetschedError } from '../common/index.js';
import type { GraphIR, OpNode } from '../graph/index.js';
import type { MachineProfile, ModelProfile, ProcessorCosts, Roofline, Timing } from './profile-types.js';
import { UNFITTED_SEGMENT_COSTS } from './segment-fit.js';

/**
 * Analytic (roofline) operator costs: what hetsched predicts for hardware it cannot measure, from
 * spec-sheet peaks and an operator's flops and bytes. An operator takes its fixed dispatch cost
 * plus the longer of its arithmetic time and its memory-traffic time:
 *
 *   t = launch + max(flops / (peak x computeEfficiency), bytes / (bandwidth x memoryEfficiency))
 *
 * Assumptions, all of which make the figures a first-order guide rather than a measurement:
 * - bytes = activationBytesIn + bytesOut + weightBytes: every input is read once and every output
 *   written once from main memory (no cache reuse between operators, no re-reads inside one);
 * - arithmetic and memory traffic overlap perfectly (the max, not the sum);
 * - an unknown part (flops or activation bytes null: shapes not inferred) costs nothing beyond the
 *   launch, so an unknown operator is priced at its floor, never at a guess;
 * - data-movement operators (Reshape, Transpose, Gather...: flops 0) are memory-bound by
 *   construction; a Reshape that onnxruntime executes as a view is overpriced by its copy;
 * - control flow (If, Loop, Scan): the graph IR does not price subgraphs, so each subgraph node
 *   adds one launch (a floor: an If counts both branches, a Loop one iteration) and nothing else.
 * Units: GB/s and TFLOPS are decimal (1e9 bytes/s, 1e12 flop/s), as on spec sheets; times in ms.
 */

/**
 * Operators that run on matrix units (tensor cores) when their data is float16. Other float16
 * operators are priced at the FP32 peak: the tensor-core peak is out of reach for elementwise
 * kernels, and non-tensor FP16 throughput (1-4x FP32, by architecture) is not in the roofline. Such
 * operators are memory-bound anyway at a few flops per element, so the choice rarely shows.
 */
export const MATRIX_OPS: ReadonlySet<string> = new Set([
  'MatMul',
  'Gemm',
  'Conv',
  'ConvTranspose',
  'Einsum',
  'LSTM',
  'GRU',
  'RNN',
  'Attention',
  'MultiHeadAttention',
]);

/**
 * Fixed cost of one CPU kernel in onnxruntime's sequential executor, in microseconds: node
 * dispatch, shape checks and output allocation (about 1-3 µs on a server core; assumption). The
 * machine profile has no field for it because a measured profile includes it in each op's time.
 */
export const CPU_KERNEL_OVERHEAD_US = 2;

const BYTES_PER_GB = 1e9;
const FLOPS_PER_TFLOP = 1e12;
const FLOPS_PER_GFLOP = 1e9;
const MS_PER_S = 1e3;
const US_PER_MS = 1e3;

/**
 * Roofline time of one operator on a GPU, in ms: `kernelLaunchUs` (once per kernel, plus once per
 * subgraph node) plus the longer of compute time at `peak x computeEfficiency` and memory time at
 * `memoryGBps x memoryEfficiency`. The peak is `peakTflopsFp16` (dense tensor-core) for a
 * {@link MATRIX_OPS} operator whose output is float16, else `peakTflopsFp32`. Always finite and
 * at least the launch cost.
 * @param dtype the operator's data type (hetsched dtype name of its first output); 'float32' unless given.
 */
export function analyticGpuOpMs(op: OpNode, roofline: Roofline, dtype = 'float32'): number {
  const peakTflops =
    dtype === 'float16' && MATRIX_OPS.has(op.opType) ? roofline.peakTflopsFp16 : roofline.peakTflopsFp32;
  const flopsPerMs = (peakTflops * roofline.computeEfficiency * FLOPS_PER_TFLOP) / MS_PER_S;
  const bytesPerMs = (roofline.memoryGBps * roofline.memoryEfficiency * BYTES_PER_GB) / MS_PER_S;
  const launchMs = (roofline.kernelLaunchUs / US_PER_MS) * (1 + op.subgraphNodeCount);
  return launchMs + Math.max((op.flops ?? 0) / flopsPerMs, knownBytes(op) / bytesPerMs);
}

/**
 * Roofline time of one operator on the CPU with `threads` intra-op threads, in ms:
 * {@link CPU_KERNEL_OVERHEAD_US} plus the longer of compute time at
 * `gflopsPerCore x min(threads, cores)` and memory time at `memoryGBps`. Assumes compute scales
 * perfectly with threads (an upper bound on the speed-up: small operators scale worse) and that
 * one thread can draw the whole CPU's sustained bandwidth (single-thread DRAM bandwidth is lower,
 * but operators' working sets are often in cache, which is faster: the two errors roughly cancel).
 * The dtype does not matter: onnxruntime's CPU kernels compute float16 no faster than float32.
 * Interference between tenants is not included: the cost model applies `cpu.interference`.
 * @throws HetschedError INVALID_ARGUMENT when `threads` is not a positive integer.
 */
export function analyticCpuOpMs(op: OpNode, cpu: MachineProfile['cpu'], threads: number): number {
  checkThreads(threads);
  const flopsPerMs = (cpu.gflopsPerCore * Math.min(threads, cpu.cores) * FLOPS_PER_GFLOP) / MS_PER_S;
  const bytesPerMs = (cpu.memoryGBps * BYTES_PER_GB) / MS_PER_S;
  const overheadMs = (CPU_KERNEL_OVERHEAD_US / US_PER_MS) * (1 + op.subgraphNodeCount);
  return overheadMs + Math.max((op.flops ?? 0) / flopsPerMs, knownBytes(op) / bytesPerMs);
}

/** The data type an operator computes in: its first output's dtype ('unknown' if not inferred). */
export function opDtype(graph: GraphIR, op: OpNode): string {
  const output = op.outputs.find((name) => name !== '');
  return (output === undefined ? undefined : graph.tensors[output]?.dtype) ?? 'unknown';
}

/** The model a profile describes: its file's hash and the input shapes the costs hold for. */
export interface AnalyticModelMeta {
  readonly sha256: string;
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
}

/** Options of {@link analyticModelProfile}. */
export interface AnalyticProfileOptions {
  /** Intra-op thread counts to price the CPU at; [1] unless given. Positive integers. */
  readonly cpuThreads?: readonly number[];
}

/**
 * A model profile predicted from a machine profile's roofline instead of measured, in the same
 * shape as a measured one so that the cost model and the search need not tell them apart:
 * - `cpu`: per thread count in `options.cpuThreads` ([1] by default), every op priced by
 *   {@link analyticCpuOpMs}; `gpu`: every op priced by {@link analyticGpuOpMs} when the machine
 *   has a GPU with a roofline, else null.
 * - `whole` = the processor's `segmentLaunchMs` + the sum of its ops, fused time = unfused time and
 *   `splitRatio` 1: an analytic profile does not model onnxruntime's fusion or layout
 *   optimisations (a measured profile fits its own; `npm run bench -- costmodel` prints them per
 *   model as `split_ratio`), which makes whole-model predictions pessimistic.
 * - p10 = p90 = median and runs 0: nothing was run, there is no spread.
 * - `gpu.accuracy`: every op `runsOnGpu: true, accurate: true` with zero differences, because
 *   nothing was measured. The planner's accuracy guard (an operator is trusted on the GPU only
 *   where its GPU result matched the CPU's) therefore has nothing to go on: it needs a measured
 *   GPU profile, and plans from an analytic one must be checked on the real hardware.
 * Transfers between host and device are not in any op's time: the cost model prices them from
 * `machine.gpu.hostToDevice` / `deviceToHost` where a plan crosses processors.
 * @throws HetschedError INVALID_ARGUMENT for an empty or non-positive-integer `cpuThreads`.
 */
export function analyticModelProfile(
  graph: GraphIR,
  machine: MachineProfile,
  meta: AnalyticModelMeta,
  options: AnalyticProfileOptions = {},
): ModelProfile {
  const cpuThreads = options.cpuThreads ?? [1];
  if (cpuThreads.length === 0) {
    throw new HetschedError(Code.InvalidArgument, 'cpuThreads must list at least one thread count');
  }
  cpuThreads.forEach(checkThreads);
  const cpu: Record<string, ProcessorCosts> = {};
  for (const threads of cpuThreads) {
    cpu[String(threads)] = processorCosts(graph, machine.cpu.segmentLaunchMs, (op) =>
      analyticCpuOpMs(op, machine.cpu, threads),
    );
  }
  const roofline = machine.gpu?.roofline ?? null;
  const gpu =
    machine.gpu && roofline
      ? {
          ...processorCosts(graph, machine.gpu.segmentLaunchMs, (op) =>
            analyticGpuOpMs(op, roofline, opDtype(graph, op)),
          ),
          accuracy: Object.fromEntries(
            graph.ops.map((op) => [op.id, { runsOnGpu: true, accurate: true, maxAbsDiff: 0, maxRelDiff: 0 }]),
          ),
        }
      : null;
  return {
    kind: 'hetsched.model-profile',
    version: 1,
    source: 'analytic',
    machine: machine.name,
    fingerprint: machine.fingerprint,
    model: {
      sha256: meta.sha256,
      inputShapes: Object.fromEntries(
        Object.entries(meta.inputShapes).map(([name, dims]) => [name, [...dims]]),
      ),
    },
    cpu,
    gpu,
  };
}

/** Every op priced by `opMs`, their sum, and the whole model as one segment (no fusion). */
function processorCosts(graph: GraphIR, launchMs: number, opMs: (op: OpNode) => number): ProcessorCosts {
  const ops: Record<string, Timing> = {};
  let sumOfOpsMs = 0;
  for (const op of graph.ops) {
    const ms = opMs(op);
    ops[op.id] = predicted(ms);
    sumOfOpsMs += ms;
  }
  // Neither fusion nor the cost of a session's edges is modelled analytically: ratio 1, nothing per MiB.
  return {
    ops,
    fused: ops,
    absorbedInto: {},
    whole: predicted(launchMs + sumOfOpsMs),
    sumOfOpsMs,
    ...UNFITTED_SEGMENT_COSTS,
  };
}

/** A prediction as a Timing: no spread, no runs. */
function predicted(ms: number): Timing {
  return { medianMs: ms, p10Ms: ms, p90Ms: ms, runs: 0 };
}

/** Bytes an operator moves, counting an unknown activation size as 0. */
function knownBytes(op: OpNode): number {
  return (op.activationBytesIn ?? 0) + (op.bytesOut ?? 0) + op.weightBytes;
}

function checkThreads(threads: number): void {
  if (!Number.isSafeInteger(threads) || threads < 1) {
    throw new HetschedError(
      Code.InvalidArgument,
      `a CPU thread count must be a positive integer, not ${threads}`,
    );
  }
}
