import onnxProto from 'onnx-proto';
import { Code, HetschedError } from '../common/index.js';

// onnx-proto is CommonJS: its namespace arrives on the default export.
export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;

/** Parses ONNX model bytes; INVALID_ARGUMENT if they are not a ModelProto with a graph. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new HetschedError(Code.InvalidArgument, 'the model bytes are not an ONNX protobuf (ModelProto)', {
      cause: error,
    });
  }
  if (!model.graph) {
    throw new HetschedError(Code.InvalidArgument, 'the ONNX model has no graph');
  }
  return model;
}

export function encodeModel(model: onnxProto.onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** protobufjs gives int64 fields as Long or number; ONNX's are all well inside 2^53. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
