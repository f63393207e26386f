export {
  DTYPE_NAMES,
  DTYPES,
  type DType,
  dtypeFromKserve,
  dtypeFromOnnx,
  isBigIntDType,
  isDType,
  type TypedArray,
  type TypedArrayOf,
} from './dtype.js';
export { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
export { type TensorJson, tensorFromJson, tensorToJson } from './json.js';
export { checkAgainstSpec, formatShape, type TensorSpec } from './spec.js';
export {
  byteLength,
  copyFeeds,
  copyTensor,
  elementCount,
  type TensorData,
  tensorBytes,
  tensorFromBytes,
  transferList,
  zeros,
} from './tensor.js';
export { type ElementValue, tensorFromValues, tensorValues } from './values.js';
