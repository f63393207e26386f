/**
 * Operator classes: groups whose cost reacts alike to other work on the CPU (interference is
 * measured per class) and to the hardware (compute- or memory-bound).
 */
export type OpClass = 'conv' | 'matmul' | 'recurrent' | 'normalization' | 'elementwise' | 'data' | 'control';

export const OP_CLASSES: readonly OpClass[] = [
  'conv',
  'matmul',
  'recurrent',
  'normalization',
  'elementwise',
  'data',
  'control',
];

const CLASS_OF: Readonly<Record<string, OpClass>> = {
  Conv: 'conv',
  ConvTranspose: 'conv',
  MaxPool: 'conv',
  AveragePool: 'conv',
  GlobalAveragePool: 'conv',
  MatMul: 'matmul',
  Gemm: 'matmul',
  MatMulInteger: 'matmul',
  LSTM: 'recurrent',
  GRU: 'recurrent',
  RNN: 'recurrent',
  BatchNormalization: 'normalization',
  LayerNormalization: 'normalization',
  InstanceNormalization: 'normalization',
  Softmax: 'normalization',
  LogSoftmax: 'normalization',
  ReduceMean: 'normalization',
  ReduceSum: 'normalization',
  Reshape: 'data',
  Transpose: 'data',
  Concat: 'data',
  Split: 'data',
  Slice: 'data',
  Gather: 'data',
  Squeeze: 'data',
  Unsqueeze: 'data',
  Flatten: 'data',
  Shape: 'data',
  Cast: 'data',
  Pad: 'data',
  Expand: 'data',
  Identity: 'data',
  Tile: 'data',
  Resize: 'data',
  ConstantOfShape: 'data',
  Range: 'data',
  If: 'control',
  Loop: 'control',
  Scan: 'control',
};

/** An operator type's class; anything unlisted is elementwise (one pass over its data). */
export function opClass(opType: string): OpClass {
  return CLASS_OF[opType] ?? 'elementwise';
}
