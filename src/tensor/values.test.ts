import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import type { DType } from './dtype.js';
import { type ElementValue, tensorFromValues, tensorValues } from './values.js';

function expectInvalid(dtype: DType, dims: number[], values: ElementValue[], fragment: string): void {
  let caught: unknown;
  try {
    tensorFromValues(dtype, dims, values, 'x');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
  expect((caught as HetschedError).message).toBe(fragment);
}

describe('tensorFromValues', () => {
  it('packs values into the dtype array and copies the dims', () => {
    const dims = [2, 2];
    const tensor = tensorFromValues('float32', dims, [0.5, -1, 2, 3], 'x');
    dims[1] = 7;
    expect(tensor).toEqual({ dtype: 'float32', dims: [2, 2], data: new Float32Array([0.5, -1, 2, 3]) });
  });

  it('takes one value for a scalar and none for an empty tensor', () => {
    expect(tensorFromValues('int32', [], [7], 'x').data).toEqual(new Int32Array([7]));
    expect(tensorFromValues('int32', [3, 0], [], 'x').data).toEqual(new Int32Array());
  });

  it('checks the count against the shape', () => {
    expectInvalid(
      'float32',
      [2, 2],
      [1, 2, 3],
      "tensor 'x': 3 values given, but float32[2,2] has 4 elements",
    );
    expectInvalid('int8', [], [], "tensor 'x': 0 values given, but int8[] has 1 elements");
  });

  it.each([
    ['int8', -128, 127, -129, 128],
    ['int16', -32768, 32767, -32769, 32768],
    ['int32', -2147483648, 2147483647, -2147483649, 2147483648],
    ['uint8', 0, 255, -1, 256],
    ['uint16', 0, 65535, -1, 65536],
    ['uint32', 0, 4294967295, -1, 4294967296],
  ] as const)('%s accepts [%d, %d] and rejects %d and %d', (dtype, min, max, below, above) => {
    expect(tensorValues(tensorFromValues(dtype, [2], [min, max], 'x'))).toEqual([min, max]);
    expectInvalid(dtype, [2], [min, below], `tensor 'x' element 1 (${below}): out of range for ${dtype}`);
    expectInvalid(dtype, [1], [above], `tensor 'x' element 0 (${above}): out of range for ${dtype}`);
  });

  it('rejects fractions, NaN and non-numbers for 32-bit-and-smaller integers', () => {
    expectInvalid('int32', [2], [1, 1.5], "tensor 'x' element 1 (1.5): not an integer for int32");
    expectInvalid('uint8', [1], [Number.NaN], "tensor 'x' element 0 (NaN): not an integer for uint8");
    expectInvalid('int16', [1], ['5'], "tensor 'x' element 0 (5): not a number for int16");
    expectInvalid('int8', [1], [true], "tensor 'x' element 0 (true): not a number for int8");
    expectInvalid('int32', [1], [3n], "tensor 'x' element 0 (3): not a number for int32");
  });

  it('accepts any double for floats, with NaN and infinities spelled as strings', () => {
    const tensor = tensorFromValues('float64', [4], [0.1, 'NaN', 'Infinity', '-Infinity'], 'x');
    expect(Array.from(tensor.data as Float64Array)).toEqual([
      0.1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(tensorFromValues('float32', [1], [0.1], 'x').data).toEqual(new Float32Array([0.1]));
    expectInvalid('float32', [1], ['nan'], "tensor 'x' element 0 (nan): not a number for float32");
    expectInvalid('float64', [1], ['1.5'], "tensor 'x' element 0 (1.5): not a number for float64");
    expectInvalid('float32', [1], [false], "tensor 'x' element 0 (false): not a number for float32");
  });

  it('stores float16 as rounded half bits', () => {
    const tensor = tensorFromValues('float16', [5], [1, 0.1, -2, 'Infinity', 'NaN'], 'x');
    expect(tensor.data).toEqual(new Uint16Array([0x3c00, 0x2e66, 0xc000, 0x7c00, 0x7e00]));
  });

  it('takes int64 as bigints, safe integers or decimal strings', () => {
    const tensor = tensorFromValues(
      'int64',
      [5],
      [-(2n ** 63n), 2n ** 63n - 1n, 42, ' -7 ', '9007199254740993'],
      'x',
    );
    expect(tensor.data).toEqual(
      new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 42n, -7n, 9007199254740993n]),
    );
  });

  it('rejects int64 values that are out of range or would have lost digits', () => {
    expectInvalid(
      'int64',
      [1],
      [2n ** 63n],
      "tensor 'x' element 0 (9223372036854775808): out of range for int64",
    );
    expectInvalid(
      'int64',
      [1],
      ['-9223372036854775809'],
      "tensor 'x' element 0 (-9223372036854775809): out of range for int64",
    );
    expectInvalid(
      'int64',
      [1],
      [2 ** 53],
      "tensor 'x' element 0 (9007199254740992): not an integer for int64",
    );
    expectInvalid('int64', [1], [1.5], "tensor 'x' element 0 (1.5): not an integer for int64");
    expectInvalid('int64', [1], ['1e3'], "tensor 'x' element 0 (1e3): not an integer for int64");
    expectInvalid('int64', [1], [true], "tensor 'x' element 0 (true): not an integer for int64");
  });

  it('takes uint64 up to 2^64-1 and nothing negative', () => {
    const tensor = tensorFromValues('uint64', [2], ['18446744073709551615', 0], 'x');
    expect(tensor.data).toEqual(new BigUint64Array([2n ** 64n - 1n, 0n]));
    expectInvalid('uint64', [1], [-1], "tensor 'x' element 0 (-1): out of range for uint64");
    expectInvalid(
      'uint64',
      [1],
      ['18446744073709551616'],
      "tensor 'x' element 0 (18446744073709551616): out of range for uint64",
    );
  });

  it('takes bool as booleans or 0/1', () => {
    const tensor = tensorFromValues('bool', [4], [true, false, 0, 1], 'x');
    expect(tensor.data).toEqual(new Uint8Array([1, 0, 0, 1]));
    expectInvalid('bool', [1], [2], "tensor 'x' element 0 (2): not a boolean");
    expectInvalid('bool', [1], ['true'], "tensor 'x' element 0 (true): not a boolean");
  });
});

describe('tensorValues', () => {
  it('gives numbers, decoded halves, booleans and bigints', () => {
    expect(tensorValues({ dtype: 'float32', dims: [2], data: new Float32Array([0.5, -1]) })).toEqual([
      0.5, -1,
    ]);
    expect(
      tensorValues({ dtype: 'float16', dims: [3], data: new Uint16Array([0x3c00, 0x3555, 0xfc00]) }),
    ).toEqual([1, 0.333251953125, Number.NEGATIVE_INFINITY]);
    expect(tensorValues({ dtype: 'bool', dims: [3], data: new Uint8Array([1, 0, 5]) })).toEqual([
      true,
      false,
      true,
    ]);
    expect(tensorValues({ dtype: 'uint64', dims: [1], data: new BigUint64Array([2n ** 64n - 1n]) })).toEqual([
      2n ** 64n - 1n,
    ]);
    expect(tensorValues({ dtype: 'uint8', dims: [2], data: new Uint8Array([0, 255]) })).toEqual([0, 255]);
  });

  it('inverts tensorFromValues for every dtype', () => {
    const samples: [DType, ElementValue[]][] = [
      ['float32', [1.5, -0.25]],
      ['float16', [1, -65504]],
      ['float64', [0.1, 1e300]],
      ['int8', [-128, 127]],
      ['int16', [-32768, 32767]],
      ['int32', [-2147483648, 2147483647]],
      ['int64', [-(2n ** 63n), 2n ** 63n - 1n]],
      ['uint8', [0, 255]],
      ['uint16', [0, 65535]],
      ['uint32', [0, 4294967295]],
      ['uint64', [0n, 2n ** 64n - 1n]],
      ['bool', [true, false]],
    ];
    for (const [dtype, values] of samples) {
      expect(tensorValues(tensorFromValues(dtype, [2], values, 'x')), dtype).toEqual(values);
    }
  });
});

describe('float overflow', () => {
  it('rejects finite values that would round to infinity, naming the element', () => {
    expect(() => tensorFromValues('float32', [2], [1, 1e39], 'x')).toThrow(
      /element 1 \(1e\+39\): too large for float32/,
    );
    expect(() => tensorFromValues('float16', [1], [65520], 'h')).toThrow(/too large for float16/);
    expect(() => tensorFromValues('float64', [1], [1e308 * 10], 'd')).not.toThrow();
  });

  it('keeps the largest finite values and explicit infinities', () => {
    expect(tensorValues(tensorFromValues('float16', [2], [65519, 'Infinity'], 'h'))).toEqual([
      65504,
      Number.POSITIVE_INFINITY,
    ]);
    expect(tensorValues(tensorFromValues('float32', [1], [3.4028234663852886e38], 'x'))).toEqual([
      3.4028234663852886e38,
    ]);
  });
});
