import { type ProcessorCosts, UNFITTED_SEGMENT_COSTS } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import type { TensorData } from '../tensor/index.js';
import { attributeFusedKernels } from './fused-attribution.js';
import type { GpuProvider } from './gpu-provider.js';
import { nameNodesByIndex, nodeNameOf } from './name-nodes.js';
import { timingOf } from './timing.js';
import type { TimeReply } from './worker-protocol.js';
import { runInWorker } from './worker-thread.js';

export interface MeasureOptions {
  readonly provider: 'cpu' | GpuProvider;
  readonly threads: number;
  readonly warmup: number;
  readonly runs: number;
  /** A session run's fixed cost on this processor (from the machine profile), taken out of the fusion ratio. */
  readonly launchMs: number;
  readonly timeoutMs?: number;
}

/**
 * Measures a model's per-operator costs on one processor configuration, off the main thread:
 * each operator's kernel time with onnxruntime's optimisations off (one kernel per operator), and
 * with them on (fused and re-laid-out kernels mapped back to the operators whose work they do),
 * and the whole model's run time. Control-flow operators are timed whole (their kernel spans their
 * subgraphs).
 */
export async function measureModel(
  modelBytes: Uint8Array,
  graph: GraphIR,
  feeds: Readonly<Record<string, TensorData>>,
  options: MeasureOptions,
): Promise<ProcessorCosts> {
  const reply = await runInWorker<TimeReply>(
    {
      kind: 'time',
      provider: options.provider,
      threads: options.threads,
      model: nameNodesByIndex(modelBytes),
      feeds,
      warmup: options.warmup,
      runs: options.runs,
    },
    options.timeoutMs ?? 600_000,
  );
  const ops: ProcessorCosts['ops'] = {};
  let sumOfOpsMs = 0;
  for (const op of graph.ops) {
    const timing = timingOf((reply.kernelsUs[nodeNameOf(op.onnxIndex)] ?? []).map((us) => us / 1000));
    ops[op.id] = timing;
    sumOfOpsMs += timing.medianMs;
  }
  const attribution = attributeFusedKernels(graph, reply.fusedKernels);
  const wholeComputeMs = timingOf(reply.wholeMs).medianMs - options.launchMs;
  let profiledKernelsMs = 0;
  for (const runs of attribution.fusedMs.values()) profiledKernelsMs += timingOf(runs).medianMs;
  const fusedMs = scaleToWhole(
    correctControlFlow(graph, attribution.fusedMs, wholeComputeMs),
    wholeComputeMs,
  );
  const fused: ProcessorCosts['fused'] = {};
  for (const [id, runs] of fusedMs) fused[id] = timingOf(runs);
  // A segment's session optimises a control-flow operator's subgraphs whether or not the segment
  // cuts its fused group: its time is the optimised one either way.
  for (const op of graph.ops) {
    const timing = fused[op.id];
    if (op.subgraphNodeCount > 0 && timing) {
      sumOfOpsMs += timing.medianMs - (ops[op.id]?.medianMs ?? 0);
      ops[op.id] = timing;
    }
  }
  return {
    ops,
    fused,
    absorbedInto: Object.fromEntries(attribution.absorbedInto),
    whole: timingOf(reply.wholeMs),
    sumOfOpsMs,
    profiledKernelsMs,
    // Until fitted on measured segments (see fitSegmentCost).
    ...UNFITTED_SEGMENT_COSTS,
  };
}

/**
 * Profiling inflates a control-flow operator's kernel: every node of its subgraphs writes an event
 * inside it, and these nodes are many and small (Silero VAD's If holds 248 of them; profiled, it
 * takes four times the whole unprofiled run). The unprofiled whole run bounds the sum of the
 * kernels, so the excess is taken out of the control-flow operators, in proportion to their time
 * (never below a tenth of it). Other kernels are left as measured.
 */
function correctControlFlow(
  graph: GraphIR,
  fusedMs: ReadonlyMap<string, number[]>,
  wholeComputeMs: number,
): ReadonlyMap<string, number[]> {
  const controlFlow = graph.ops.filter((op) => op.subgraphNodeCount > 0 && fusedMs.has(op.id));
  if (controlFlow.length === 0 || !(wholeComputeMs > 0)) return fusedMs;
  let total = 0;
  for (const runs of fusedMs.values()) total += timingOf(runs).medianMs;
  const inControlFlow = controlFlow.reduce((sum, op) => sum + timingOf(fusedMs.get(op.id) ?? []).medianMs, 0);
  const excess = total - wholeComputeMs;
  if (excess <= 0 || inControlFlow <= 0) return fusedMs;
  const scale = Math.max(0.1, (inControlFlow - excess) / inControlFlow);
  const corrected = new Map(fusedMs);
  for (const op of controlFlow) {
    corrected.set(
      op.id,
      (fusedMs.get(op.id) ?? []).map((ms) => ms * scale),
    );
  }
  return corrected;
}

/**
 * Profiling costs every kernel it records (how much: `profiledKernelsMs` against `whole`, which
 * `npm run bench -- costmodel` reports as `profiled_over_whole`), and the fused times are what a
 * segment that keeps its groups whole is priced at, with no fitted coefficient to absorb the
 * excess. So when the kernels still sum to more than the unprofiled whole run (less its launch),
 * all of them are scaled down to it.
 */
function scaleToWhole(
  fusedMs: ReadonlyMap<string, number[]>,
  wholeComputeMs: number,
): ReadonlyMap<string, number[]> {
  let total = 0;
  for (const runs of fusedMs.values()) total += timingOf(runs).medianMs;
  if (!(wholeComputeMs > 0) || total <= wholeComputeMs) return fusedMs;
  const scale = wholeComputeMs / total;
  return new Map([...fusedMs].map(([id, runs]) => [id, runs.map((ms) => ms * scale)]));
}
