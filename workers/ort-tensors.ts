import ort from 'onnxruntime-node';
import { type DType, isDType, type TensorData } from '../src/tensor/index.js';

export function toOrtTensor(tensor: TensorData): ort.Tensor {
  return new ort.Tensor(tensor.dtype, tensor.data, tensor.dims);
}

/** onnxruntime's output tensors own their ArrayBuffers (offset 0, exact length), so they can be transferred as they are. */
export function fromOrtTensor(name: string, tensor: ort.Tensor): TensorData {
  if (!isDType(tensor.type)) {
    throw new Error(`output '${name}' has type ${tensor.type}, which hetsched does not carry`);
  }
  return { dtype: tensor.type as DType, dims: [...tensor.dims], data: tensor.data as TensorData['data'] };
}
