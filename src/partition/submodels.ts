import { Code, HetschedError } from '../common/index.js';
import type { GraphIR, OpNode } from '../graph/index.js';
import { assembleModel, indexModel, onnx } from '../onnx/index.js';
import { DTYPES, isDType } from '../tensor/index.js';
import type { ProcessorId } from './processor.js';
import type { Segment } from './segments.js';

/** One segment written as a standalone ONNX model. */
export interface SegmentModel {
  readonly segment: number;
  readonly processor: ProcessorId;
  readonly bytes: Uint8Array;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * Writes every segment as a standalone ONNX model: its operators (and the Constant nodes they
 * read, duplicated into each segment that needs them) and only the initializers they use, copied
 * byte for byte from the original; the model's opsets, IR version and local functions kept; as
 * inputs and outputs its boundary tensors plus the original graph inputs and outputs it touches.
 * Boundary tensors are declared with their element type and no shape, so that a segment accepts
 * whatever shape the request brings, as the whole model would.
 */
export function buildSegmentModels(
  modelBytes: Uint8Array,
  graph: GraphIR,
  segments: readonly Segment[],
): SegmentModel[] {
  const layout = indexModel(modelBytes);
  const originalInputs = byName(layout.inputs);
  const originalOutputs = byName(layout.outputs);
  const constantByOutput = new Map(graph.constants.map((constant) => [constant.output, constant.onnxIndex]));
  return segments.map((segment) => {
    const ops = segment.ops.map((index) => graph.ops[index] as OpNode);
    const reads = ops.flatMap((op) => [...op.inputs, ...op.implicitInputs]).filter((name) => name !== '');
    const constantNodes = [...new Set(reads.flatMap((name) => constantByOutput.get(name) ?? []))].sort(
      (a, b) => a - b,
    );
    const initializers = [...new Set(reads.filter((name) => graph.tensors[name]?.kind === 'initializer'))];
    const declare = (name: string, originals: ReadonlyMap<string, Uint8Array>) =>
      originals.get(name) ?? typedValueInfo(name, graph.tensors[name]?.dtype ?? 'unknown');
    const bytes = assembleModel(layout, {
      graphName: `${graph.graphName || 'graph'}_segment${segment.id}`,
      nodeIndices: [...constantNodes, ...ops.map((op) => op.onnxIndex)],
      initializerNames: initializers,
      inputs: segment.inputs.map((name) => declare(name, originalInputs)),
      outputs: segment.outputs.map((name) => declare(name, originalOutputs)),
    });
    return {
      segment: segment.id,
      processor: segment.processor,
      bytes,
      inputs: segment.inputs,
      outputs: segment.outputs,
    };
  });
}

/** ValueInfoProto messages by the value's name. */
function byName(messages: readonly Uint8Array[]): Map<string, Uint8Array> {
  return new Map(messages.map((message) => [onnx.ValueInfoProto.decode(message).name ?? '', message]));
}

/** A ValueInfoProto with the element type and no shape. */
function typedValueInfo(name: string, dtype: string): Uint8Array {
  const onnxCode = isDType(dtype)
    ? DTYPES[dtype].onnx
    : Number(/^onnx:(\d+)$/.exec(dtype)?.[1] ?? Number.NaN);
  if (!Number.isInteger(onnxCode)) {
    throw new HetschedError(
      Code.Internal,
      `tensor '${name}' crosses segments but its element type is unknown`,
    );
  }
  return onnx.ValueInfoProto.encode({ name, type: { tensorType: { elemType: onnxCode } } }).finish();
}
