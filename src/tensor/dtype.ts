/**
 * The one map of element types (after onnxruntime's Tensor.DataTypeMap). Everything else that
 * knows about dtypes — ONNX element codes, wire enums, KServe names, typed arrays, byte sizes —
 * derives from this table.
 *
 * `onnx` is TensorProto.DataType; `array` is the typed array onnxruntime-node uses for the dtype
 * (FLOAT16 travels as raw half bits in a Uint16Array; BOOL as one byte per element).
 */
export const DTYPES = {
  float32: { onnx: 1, bytes: 4, array: Float32Array, kserve: 'FP32' },
  float16: { onnx: 10, bytes: 2, array: Uint16Array, kserve: 'FP16' },
  float64: { onnx: 11, bytes: 8, array: Float64Array, kserve: 'FP64' },
  int8: { onnx: 3, bytes: 1, array: Int8Array, kserve: 'INT8' },
  int16: { onnx: 5, bytes: 2, array: Int16Array, kserve: 'INT16' },
  int32: { onnx: 6, bytes: 4, array: Int32Array, kserve: 'INT32' },
  int64: { onnx: 7, bytes: 8, array: BigInt64Array, kserve: 'INT64' },
  uint8: { onnx: 2, bytes: 1, array: Uint8Array, kserve: 'UINT8' },
  uint16: { onnx: 4, bytes: 2, array: Uint16Array, kserve: 'UINT16' },
  uint32: { onnx: 12, bytes: 4, array: Uint32Array, kserve: 'UINT32' },
  uint64: { onnx: 13, bytes: 8, array: BigUint64Array, kserve: 'UINT64' },
  bool: { onnx: 9, bytes: 1, array: Uint8Array, kserve: 'BOOL' },
} as const;

export type DType = keyof typeof DTYPES;

/** The typed array that carries a dtype's elements. */
export type TypedArrayOf<D extends DType> = InstanceType<(typeof DTYPES)[D]['array']>;
export type TypedArray = TypedArrayOf<DType>;

export const DTYPE_NAMES: readonly DType[] = Object.keys(DTYPES) as DType[];

const byOnnx = new Map<number, DType>(DTYPE_NAMES.map((name) => [DTYPES[name].onnx, name]));
const byKserve = new Map<string, DType>(DTYPE_NAMES.map((name) => [DTYPES[name].kserve, name]));

export function isDType(name: string): name is DType {
  return Object.hasOwn(DTYPES, name);
}

/** The dtype of an ONNX TensorProto.DataType code, or undefined for one hetsched does not carry (string, bfloat16, float8...). */
export function dtypeFromOnnx(code: number): DType | undefined {
  return byOnnx.get(code);
}

export function dtypeFromKserve(name: string): DType | undefined {
  return byKserve.get(name);
}

/** True where elements are bigint in JavaScript. */
export function isBigIntDType(dtype: DType): dtype is 'int64' | 'uint64' {
  return dtype === 'int64' || dtype === 'uint64';
}
