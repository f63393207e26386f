import { Code, HetschedError } from '../common/index.js';
import type { DataType__Output } from '../gen/hetsched/v1/DataType.js';
import type { Tensor, Tensor__Output } from '../gen/hetsched/v1/Tensor.js';
import type { TensorContents, TensorContents__Output } from '../gen/hetsched/v1/TensorContents.js';
import {
  DTYPE_NAMES,
  type DType,
  type ElementValue,
  type TensorData,
  tensorBytes,
  tensorFromBytes,
  tensorFromValues,
  tensorValues,
} from '../tensor/index.js';

type WireDType = Exclude<DataType__Output, 'DATA_TYPE_UNSPECIFIED'>;

const toWire = new Map<DType, WireDType>(
  DTYPE_NAMES.map((dtype) => [dtype, `DATA_TYPE_${dtype.toUpperCase()}` as WireDType]),
);
const fromWire = new Map<string, DType>([...toWire].map(([dtype, wire]) => [wire, dtype]));

/** Which TensorContents list carries each dtype (see tensor.proto). */
const CONTENTS_FIELD: Record<DType, keyof TensorContents__Output> = {
  float32: 'floatValues',
  float16: 'floatValues',
  float64: 'doubleValues',
  int8: 'intValues',
  int16: 'intValues',
  int32: 'intValues',
  uint8: 'intValues',
  uint16: 'intValues',
  int64: 'int64Values',
  uint32: 'uintValues',
  uint64: 'uint64Values',
  bool: 'boolValues',
};

/** Largest tensor rank accepted; no ONNX operator needs more and it bounds per-request work. */
const MAX_RANK = 16;

export function wireDType(dtype: DType): WireDType {
  return toWire.get(dtype) ?? 'DATA_TYPE_FLOAT32';
}

/** Parses a wire shape (int64 as decimal strings), rejecting negative or absurd dimensions. */
export function parseShape(shape: readonly string[], what: string): number[] {
  if (shape.length > MAX_RANK) {
    throw new HetschedError(
      Code.InvalidArgument,
      `${what}: rank ${shape.length} is over the limit of ${MAX_RANK}`,
    );
  }
  return shape.map((text) => {
    const dim = Number(text);
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new HetschedError(Code.InvalidArgument, `${what}: dimension ${text} is not a size >= 0`);
    }
    return dim;
  });
}

/** A request tensor to the engine's form: raw bytes copied once into an owned buffer, or typed values checked and packed. */
export function fromWireTensor(tensor: Tensor__Output): TensorData {
  const name = tensor.name;
  const dtype = fromWire.get(tensor.dtype);
  if (!dtype) {
    throw new HetschedError(
      Code.InvalidArgument,
      `tensor '${name}': dtype must be set (got ${tensor.dtype})`,
    );
  }
  const dims = parseShape(tensor.shape, `tensor '${name}'`);
  if (tensor.data === 'raw') return tensorFromBytes(dtype, dims, tensor.raw ?? new Uint8Array(), name);
  if (tensor.data === 'contents' && tensor.contents) {
    const field = CONTENTS_FIELD[dtype];
    const values = tensor.contents[field] as readonly ElementValue[];
    const others = (Object.keys(CONTENTS_FIELD) as DType[])
      .map((other) => CONTENTS_FIELD[other])
      .filter((other) => other !== field && (tensor.contents?.[other]?.length ?? 0) > 0);
    if (others.length > 0) {
      throw new HetschedError(
        Code.InvalidArgument,
        `tensor '${name}': a ${dtype} tensor carries its values in contents.${snake(field)}, not ${[...new Set(others)].map(snake).join(', ')}`,
      );
    }
    return tensorFromValues(dtype, dims, values, name);
  }
  throw new HetschedError(Code.InvalidArgument, `tensor '${name}': set raw or contents`);
}

/** An engine tensor to the wire, as raw bytes (a view, no copy) or as typed values. */
export function toWireTensor(name: string, tensor: TensorData, encoding: 'raw' | 'contents'): Tensor {
  const base = { name, dtype: wireDType(tensor.dtype), shape: tensor.dims.map(String) };
  if (encoding === 'raw') return { ...base, raw: tensorBytes(tensor) };
  const values = tensorValues(tensor);
  const wireValues = typeof values[0] === 'bigint' ? (values as bigint[]).map(String) : values;
  const contents: TensorContents = { [CONTENTS_FIELD[tensor.dtype]]: wireValues };
  return { ...base, contents };
}

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
