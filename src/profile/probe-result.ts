import { Code, HetschedError } from '../common/index.js';
import type { TensorData } from '../tensor/index.js';
import { providerKind } from './gpu-provider.js';
import type { KernelEvent } from './ort-trace.js';
import { type ProbeNode, probeNodeOwner } from './probe-model.js';
import { diffTensors, type TensorDiff, type Tolerance } from './tensor-diff.js';

/** The verdict on one main-graph node. */
export interface NodeVerdict {
  /** Position in graph.node, the node's identity (about half of PP-OCR's nodes have no name). */
  readonly index: number;
  /** The node's name in the model ('' where it has none). */
  readonly name: string;
  readonly opType: string;
  /**
   * Where onnxruntime ran it in the GPU session: 'gpu' on the GPU EP, 'cpu' where it fell back to
   * the CPU EP (unsupported operator or type, or onnxruntime keeping a shape computation on the
   * CPU), 'none' where no kernel ran (a Constant, which onnxruntime turns into an initializer).
   * A control-flow node counts as 'gpu' when any kernel of it, its own or one in its subgraphs, ran
   * on the GPU EP; `gpuKernels` and `cpuKernels` give the split.
   */
  readonly provider: 'gpu' | 'cpu' | 'none';
  /** Kernel executions of this node and of the nodes in its subgraphs, per side. */
  readonly gpuKernels: number;
  readonly cpuKernels: number;
  /** The node's own kernel time in the GPU session, in µs (a control-flow node's includes its subgraphs). */
  readonly kernelUs: number;
  /** Over all its outputs, GPU session against CPU EP (see diffTensors for the rule). */
  readonly maxAbsDiff: number;
  readonly maxRelDiff: number;
  readonly accurate: boolean;
  /** The same per output, by the output's name in the model. */
  readonly outputs: ReadonlyArray<TensorDiff & { readonly name: string }>;
}

/** Where the probe's time went, in seconds of wall time in the worker. */
export interface ProbeTiming {
  /** CPU session with every node output exposed: creation and the one run. */
  readonly cpuSeconds: number;
  /** Creating the GPU session of the probe model (slow on SwiftShader: shaders compile here and in the run). */
  readonly gpuSessionSeconds: number;
  /** The one run of the probe model on the GPU EP. */
  readonly gpuRunSeconds: number;
  readonly totalSeconds: number;
}

/** What {@link probeGpuOperators} found, one verdict per main-graph node, in graph.node order. */
export interface ProbeResult {
  readonly provider: 'webgpu' | 'cuda';
  readonly tolerance: Tolerance;
  readonly nodes: readonly NodeVerdict[];
  readonly timing: ProbeTiming;
}

/** Joins the profile's kernel events and the two runs' tensors into one verdict per node. */
export function nodeVerdicts(
  nodes: readonly ProbeNode[],
  kernels: readonly KernelEvent[],
  cpuValues: ReadonlyMap<string, TensorData>,
  gpuValues: ReadonlyMap<string, TensorData>,
  tolerance: Tolerance,
): NodeVerdict[] {
  const byIndex = new Map<number, Array<KernelEvent & { own: boolean }>>();
  for (const kernel of kernels) {
    const owner = probeNodeOwner(kernel.nodeName);
    // Copies and layout Transposes onnxruntime inserted belong to no node of the model.
    if (owner === undefined) continue;
    const list = byIndex.get(owner.index) ?? [];
    list.push({ ...kernel, own: owner.own });
    byIndex.set(owner.index, list);
  }
  return nodes.map((node) => {
    const events = byIndex.get(node.index) ?? [];
    const gpuKernels = events.filter((event) => providerKind(event.provider) === 'gpu').length;
    const cpuKernels = events.length - gpuKernels;
    const outputs = node.outputs.map((output) => {
      const reference = cpuValues.get(output.original);
      const actual = gpuValues.get(output.probe);
      if (!reference || !actual) {
        throw new HetschedError(
          Code.Internal,
          `probe: node ${node.index} (${node.opType}) has no ${reference ? 'GPU' : 'CPU'} value for '${output.original}'`,
        );
      }
      return { name: output.original, ...diffTensors(actual, reference, tolerance) };
    });
    return {
      index: node.index,
      name: node.name,
      opType: node.opType,
      provider: gpuKernels > 0 ? 'gpu' : cpuKernels > 0 ? 'cpu' : 'none',
      gpuKernels,
      cpuKernels,
      kernelUs: events.reduce((sum, event) => sum + (event.own ? event.durationUs : 0), 0),
      maxAbsDiff: Math.max(0, ...outputs.map((output) => output.maxAbsDiff)),
      maxRelDiff: Math.max(0, ...outputs.map((output) => output.maxRelDiff)),
      accurate: outputs.every((output) => output.accurate),
      outputs,
    };
  });
}

/** Counts for a log line or a test: nodes per provider, the inaccurate ones, op types that fell back. */
export interface ProbeSummary {
  readonly gpu: number;
  readonly cpu: number;
  readonly none: number;
  readonly inaccurate: readonly NodeVerdict[];
  /** Op types with at least one node on the CPU EP, with how many, most first. */
  readonly cpuOpTypes: ReadonlyArray<readonly [opType: string, nodes: number]>;
}

export function summarizeProbe(result: ProbeResult): ProbeSummary {
  const count = (provider: NodeVerdict['provider']) =>
    result.nodes.filter((node) => node.provider === provider).length;
  const cpuOpTypes = new Map<string, number>();
  for (const node of result.nodes) {
    if (node.provider === 'cpu') cpuOpTypes.set(node.opType, (cpuOpTypes.get(node.opType) ?? 0) + 1);
  }
  return {
    gpu: count('gpu'),
    cpu: count('cpu'),
    none: count('none'),
    inaccurate: result.nodes.filter((node) => !node.accurate),
    cpuOpTypes: [...cpuOpTypes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
  };
}
