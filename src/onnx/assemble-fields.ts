/**
 * Field numbers from onnx.proto, checked against onnx-proto's generated decoder
 * (node_modules/onnx-proto/dist/onnx.js). Only those that model assembly must tell apart; every
 * other field is carried as raw bytes.
 */
export const MODEL_GRAPH = 7;

/** GraphProto fields. */
export const GRAPH = {
  node: 1,
  name: 2,
  initializer: 5,
  docString: 10,
  input: 11,
  output: 12,
  valueInfo: 13,
  sparseInitializer: 15,
} as const;

/** TensorProto.name. */
export const TENSOR_NAME = 8;

/** SparseTensorProto.values: the TensorProto whose name names the sparse tensor. */
export const SPARSE_TENSOR_VALUES = 1;
