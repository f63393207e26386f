import { describe, expect, it } from 'vitest';
import { DTYPE_NAMES, DTYPES, dtypeFromKserve, dtypeFromOnnx, isBigIntDType, isDType } from './dtype.js';

describe('DTYPES', () => {
  it('lists the twelve dtypes hetsched carries, in table order', () => {
    expect(DTYPE_NAMES).toEqual([
      'float32',
      'float16',
      'float64',
      'int8',
      'int16',
      'int32',
      'int64',
      'uint8',
      'uint16',
      'uint32',
      'uint64',
      'bool',
    ]);
  });

  it.each(DTYPE_NAMES)('%s: the typed array element size equals its byte size', (dtype) => {
    expect(DTYPES[dtype].array.BYTES_PER_ELEMENT).toBe(DTYPES[dtype].bytes);
  });

  it('gives every dtype its own ONNX code and KServe name', () => {
    expect(new Set(DTYPE_NAMES.map((dtype) => DTYPES[dtype].onnx)).size).toBe(12);
    expect(new Set(DTYPE_NAMES.map((dtype) => DTYPES[dtype].kserve)).size).toBe(12);
  });

  it('carries float16 as raw bits in a Uint16Array and bool as bytes', () => {
    expect(DTYPES.float16.array).toBe(Uint16Array);
    expect(DTYPES.bool.array).toBe(Uint8Array);
    expect(DTYPES.int64.array).toBe(BigInt64Array);
    expect(DTYPES.uint64.array).toBe(BigUint64Array);
  });
});

describe('dtypeFromOnnx', () => {
  it('maps TensorProto.DataType codes', () => {
    expect(dtypeFromOnnx(1)).toBe('float32');
    expect(dtypeFromOnnx(2)).toBe('uint8');
    expect(dtypeFromOnnx(7)).toBe('int64');
    expect(dtypeFromOnnx(9)).toBe('bool');
    expect(dtypeFromOnnx(10)).toBe('float16');
    expect(dtypeFromOnnx(11)).toBe('float64');
    expect(dtypeFromOnnx(13)).toBe('uint64');
  });

  it('is undefined for types hetsched does not carry (undefined, string, bfloat16, float8)', () => {
    expect(dtypeFromOnnx(0)).toBeUndefined();
    expect(dtypeFromOnnx(8)).toBeUndefined();
    expect(dtypeFromOnnx(16)).toBeUndefined();
    expect(dtypeFromOnnx(17)).toBeUndefined();
  });

  it('round-trips every dtype', () => {
    for (const dtype of DTYPE_NAMES) expect(dtypeFromOnnx(DTYPES[dtype].onnx)).toBe(dtype);
  });
});

describe('dtypeFromKserve', () => {
  it('maps KServe names and rejects unknown or lower-case ones', () => {
    expect(dtypeFromKserve('FP16')).toBe('float16');
    expect(dtypeFromKserve('INT64')).toBe('int64');
    expect(dtypeFromKserve('BOOL')).toBe('bool');
    expect(dtypeFromKserve('BF16')).toBeUndefined();
    expect(dtypeFromKserve('fp32')).toBeUndefined();
  });
});

describe('isDType / isBigIntDType', () => {
  it('accepts only own table keys', () => {
    expect(isDType('float32')).toBe(true);
    expect(isDType('bool')).toBe(true);
    expect(isDType('FLOAT32')).toBe(false);
    expect(isDType('bfloat16')).toBe(false);
    // Inherited Object members must not pass as dtypes.
    expect(isDType('toString')).toBe(false);
    expect(isDType('__proto__')).toBe(false);
  });

  it('is true for the 64-bit integers only', () => {
    expect(DTYPE_NAMES.filter(isBigIntDType)).toEqual(['int64', 'uint64']);
  });
});
