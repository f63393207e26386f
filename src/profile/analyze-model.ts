import ort from 'onnxruntime-node';
import { buildGraph, type Dim, type GraphIR, type ResolvedTensor } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { DTYPES, isDType, type TensorData } from '../tensor/index.js';
import { exposeNodeOutputs } from './expose-outputs.js';

export interface AnalyzeOptions {
  /** The tenant's input shapes (-1 where still open): zero inputs of these shapes are tried when no sample is given. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** Representative inputs (a real request): the shapes they produce are exact. */
  readonly sample?: Readonly<Record<string, TensorData>>;
}

export interface Analysis {
  readonly graph: GraphIR;
  /** Why no run resolved the shapes, when none did (they are then declared or unknown). */
  readonly runFailure?: string;
}

/**
 * Builds a model's graph IR with every tensor's type, and its shape where a run can tell.
 * onnxruntime's session metadata gives every intermediate's element type (which the partitioner
 * needs); a run on the sample inputs (or, failing those, on zeros of the tenant's input shapes)
 * gives exact shapes. Zeros are a guess some models reject (Silero VAD needs a real sample rate):
 * then shapes stay as declared and the reason is returned. Calls onnxruntime: workers only.
 */
export async function analyzeModel(modelBytes: Uint8Array, options: AnalyzeOptions = {}): Promise<Analysis> {
  const model = decodeModel(modelBytes);
  const exposed = exposeNodeOutputs(modelBytes);
  const session = await ort.InferenceSession.create(exposed.bytes, {
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 4,
    intraOpNumThreads: 1,
  });
  try {
    const resolved = new Map<string, ResolvedTensor>();
    for (const value of [...session.inputMetadata, ...session.outputMetadata]) {
      if (value.isTensor) resolved.set(value.name, { dtype: value.type, dims: null });
    }
    const feeds = options.sample ?? zeroFeeds(session.inputMetadata, options.inputShapes ?? {});
    let runFailure: string | undefined;
    if (typeof feeds === 'string') {
      runFailure = feeds;
    } else {
      try {
        const ortFeeds: Record<string, ort.Tensor> = {};
        for (const [name, tensor] of Object.entries(feeds)) {
          // A copy: the caller's sample is a real request whose buffers must stay intact.
          ortFeeds[name] = new ort.Tensor(tensor.dtype, tensor.data.slice(), [...tensor.dims]);
          resolved.set(name, { dtype: tensor.dtype, dims: [...tensor.dims] });
        }
        const outputs = await session.run(ortFeeds);
        for (const [name, tensor] of Object.entries(outputs))
          resolved.set(name, { dtype: tensor.type, dims: [...tensor.dims] });
      } catch (error) {
        runFailure = `onnxruntime could not run the model on ${options.sample ? 'the sample' : 'zero'} inputs: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const graph = buildGraph(model, { resolved, shapesFromRun: runFailure === undefined });
    return runFailure === undefined ? { graph } : { graph, runFailure };
  } finally {
    await session.release();
  }
}

/** Zero-filled feeds of the given shapes, or why there are none (an input dimension still open). */
function zeroFeeds(
  inputs: readonly ort.InferenceSession.ValueMetadata[],
  shapes: Readonly<Record<string, readonly number[]>>,
): Record<string, TensorData> | string {
  const feeds: Record<string, TensorData> = {};
  for (const input of inputs) {
    const declared: readonly Dim[] = input.isTensor ? input.shape : [];
    const dims = shapes[input.name] ?? declared;
    if (
      !input.isTensor ||
      !isDType(input.type) ||
      !dims.every((dim): dim is number => typeof dim === 'number' && dim >= 0)
    ) {
      return `input '${input.name}' has no fixed shape to try zero inputs with; give a sample`;
    }
    const count = dims.reduce((product, dim) => product * dim, 1);
    feeds[input.name] = { dtype: input.type, dims, data: new DTYPES[input.type].array(count) };
  }
  return feeds;
}
