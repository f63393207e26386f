import { Code, HetschedError } from '../common/index.js';
import { DTYPES, type DType, isBigIntDType } from './dtype.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
import { elementCount, type TensorData } from './tensor.js';

/** One element as typed values carry it: JSON numbers/booleans, protobuf int64 strings, bigints. */
export type ElementValue = number | bigint | boolean | string;

const INTEGER_RANGES: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

const BIGINT_RANGES = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
} as const;

/**
 * Builds a tensor from typed element values, checking count, type and range, so that a value that
 * would silently wrap or truncate is rejected with INVALID_ARGUMENT instead.
 */
export function tensorFromValues(
  dtype: DType,
  dims: readonly number[],
  values: ArrayLike<ElementValue>,
  name: string,
): TensorData {
  const count = elementCount(dims);
  if (values.length !== count) {
    throw new HetschedError(
      Code.InvalidArgument,
      `tensor '${name}': ${values.length} values given, but ${dtype}[${dims.join(',')}] has ${count} elements`,
    );
  }
  const data = new DTYPES[dtype].array(count);
  const bad = (index: number, why: string): HetschedError =>
    new HetschedError(
      Code.InvalidArgument,
      `tensor '${name}' element ${index} (${String(values[index])}): ${why}`,
    );

  if (isBigIntDType(dtype)) {
    const [min, max] = BIGINT_RANGES[dtype];
    const out = data as BigInt64Array | BigUint64Array;
    for (let i = 0; i < count; i++) {
      const value = toBigInt(values[i]);
      if (value === undefined) throw bad(i, `not an integer for ${dtype}`);
      if (value < min || value > max) throw bad(i, `out of range for ${dtype}`);
      out[i] = value;
    }
  } else if (dtype === 'bool') {
    const out = data as Uint8Array;
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (typeof value === 'boolean') out[i] = value ? 1 : 0;
      else if (value === 0 || value === 1) out[i] = value;
      else throw bad(i, 'not a boolean');
    }
  } else {
    const out = data as Exclude<typeof data, BigInt64Array | BigUint64Array>;
    const range = INTEGER_RANGES[dtype];
    for (let i = 0; i < count; i++) {
      const value = toNumber(values[i]);
      if (value === undefined) throw bad(i, `not a number for ${dtype}`);
      if (range) {
        if (!Number.isInteger(value)) throw bad(i, `not an integer for ${dtype}`);
        if (value < range[0] || value > range[1]) throw bad(i, `out of range for ${dtype}`);
      }
      const stored = dtype === 'float16' ? float32ToFloat16Bits(value) : value;
      // A finite value that rounds to infinity would change silently; infinity must be asked for by name.
      if (Number.isFinite(value) && !isFiniteStored(dtype, stored)) throw bad(i, `too large for ${dtype}`);
      out[i] = stored;
    }
  }
  return { dtype, dims: [...dims], data };
}

/**
 * A tensor's elements as plain values: numbers (float16 decoded), booleans, and for 64-bit
 * integers bigints, which callers render as they need (protobuf strings, JSON numbers).
 */
export function tensorValues(tensor: TensorData): number[] | bigint[] | boolean[] {
  const { dtype, data } = tensor;
  if (isBigIntDType(dtype)) return Array.from(data as BigInt64Array | BigUint64Array);
  if (dtype === 'bool') return Array.from(data as Uint8Array, (value) => value !== 0);
  if (dtype === 'float16') return Array.from(data as Uint16Array, float16BitsToFloat32);
  return Array.from(data as Exclude<typeof data, BigInt64Array | BigUint64Array>);
}

function isFiniteStored(dtype: DType, stored: number): boolean {
  if (dtype === 'float16') return (stored & 0x7c00) !== 0x7c00;
  if (dtype === 'float32') return Number.isFinite(Math.fround(stored));
  return Number.isFinite(stored);
}

function toBigInt(value: ElementValue | undefined): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  return undefined;
}

function toNumber(value: ElementValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  // JSON cannot spell NaN or infinities; protobuf JSON spells them as strings.
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}
