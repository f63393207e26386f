// Original file: proto/hetsched/v1/tensor.proto

/**
 * Element type of a tensor. Mirrors the ONNX element types that onnxruntime-node can feed.
 */
export const DataType = {
  DATA_TYPE_UNSPECIFIED: 'DATA_TYPE_UNSPECIFIED',
  DATA_TYPE_FLOAT32: 'DATA_TYPE_FLOAT32',
  DATA_TYPE_FLOAT16: 'DATA_TYPE_FLOAT16',
  DATA_TYPE_FLOAT64: 'DATA_TYPE_FLOAT64',
  DATA_TYPE_INT8: 'DATA_TYPE_INT8',
  DATA_TYPE_INT16: 'DATA_TYPE_INT16',
  DATA_TYPE_INT32: 'DATA_TYPE_INT32',
  DATA_TYPE_INT64: 'DATA_TYPE_INT64',
  DATA_TYPE_UINT8: 'DATA_TYPE_UINT8',
  DATA_TYPE_UINT16: 'DATA_TYPE_UINT16',
  DATA_TYPE_UINT32: 'DATA_TYPE_UINT32',
  DATA_TYPE_UINT64: 'DATA_TYPE_UINT64',
  DATA_TYPE_BOOL: 'DATA_TYPE_BOOL',
} as const;

/**
 * Element type of a tensor. Mirrors the ONNX element types that onnxruntime-node can feed.
 */
export type DataType =
  | 'DATA_TYPE_UNSPECIFIED'
  | 0
  | 'DATA_TYPE_FLOAT32'
  | 1
  | 'DATA_TYPE_FLOAT16'
  | 2
  | 'DATA_TYPE_FLOAT64'
  | 3
  | 'DATA_TYPE_INT8'
  | 4
  | 'DATA_TYPE_INT16'
  | 5
  | 'DATA_TYPE_INT32'
  | 6
  | 'DATA_TYPE_INT64'
  | 7
  | 'DATA_TYPE_UINT8'
  | 8
  | 'DATA_TYPE_UINT16'
  | 9
  | 'DATA_TYPE_UINT32'
  | 10
  | 'DATA_TYPE_UINT64'
  | 11
  | 'DATA_TYPE_BOOL'
  | 12

/**
 * Element type of a tensor. Mirrors the ONNX element types that onnxruntime-node can feed.
 */
export type DataType__Output = typeof DataType[keyof typeof DataType]
