import { encodeModel, onnx } from '../../src/onnx/index.js';

/**
 * Tiny hand-made ONNX models for tests that need a specific signature: y = Relu(x) over float32
 * (or another dtype, with Identity), `dims` where strings name open dimensions.
 */
export function reluModel(
  options: { dims?: (number | string)[]; opset?: number; dtype?: number; op?: string } = {},
): Uint8Array {
  const dims = options.dims ?? [1, 4];
  const elemType = options.dtype ?? onnx.TensorProto.DataType.FLOAT;
  const shape = { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) };
  return encodeModel(
    onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: options.opset ?? 17 }],
      graph: {
        name: 'relu',
        node: [{ opType: options.op ?? 'Relu', input: ['x'], output: ['y'], name: 'node0' }],
        input: [{ name: 'x', type: { tensorType: { elemType, shape } } }],
        output: [{ name: 'y', type: { tensorType: { elemType, shape } } }],
      },
    }),
  );
}
