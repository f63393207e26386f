import { Code, HetschedError } from '../common/index.js';
import { type DType, isDType } from './dtype.js';
import type { TensorData } from './tensor.js';
import { type ElementValue, tensorFromValues, tensorValues } from './values.js';

/** A tensor in hetsched's JSON files: `{"dtype": "float32", "dims": [1, 3], "data": [0.5, 1, 2]}`. */
export interface TensorJson {
  readonly dtype: DType;
  readonly dims: readonly number[];
  /** Numbers (NaN and infinities as the strings "NaN", "Infinity", "-Infinity"), booleans, or 64-bit integers as strings where a number would lose digits. */
  readonly data: readonly (number | boolean | string)[];
}

export function tensorFromJson(name: string, value: unknown): TensorData {
  const object = value as Partial<Record<keyof TensorJson, unknown>> | null;
  if (typeof object !== 'object' || object === null) {
    throw new HetschedError(Code.InvalidArgument, `tensor '${name}' must be an object {dtype, dims, data}`);
  }
  const { dtype, dims, data } = object;
  if (typeof dtype !== 'string' || !isDType(dtype)) {
    throw new HetschedError(Code.InvalidArgument, `tensor '${name}': unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(dims) || !dims.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw new HetschedError(Code.InvalidArgument, `tensor '${name}': dims must be a list of sizes >= 0`);
  }
  if (!Array.isArray(data))
    throw new HetschedError(Code.InvalidArgument, `tensor '${name}': data must be a list`);
  return tensorFromValues(dtype, dims as number[], data as ElementValue[], name);
}

export function tensorToJson(tensor: TensorData): TensorJson {
  const data = tensorValues(tensor).map((value): number | boolean | string => {
    if (typeof value === 'bigint') {
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : String(value);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  });
  return { dtype: tensor.dtype, dims: [...tensor.dims], data };
}
