import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { tensorFromJson, tensorToJson } from './json.js';

function expectInvalid(value: unknown, message: string): void {
  let caught: unknown;
  try {
    tensorFromJson('img', value);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
  expect((caught as HetschedError).message).toBe(message);
}

describe('tensorFromJson', () => {
  it('reads {dtype, dims, data}', () => {
    expect(tensorFromJson('img', { dtype: 'float32', dims: [1, 3], data: [0.5, 1, 2] })).toEqual({
      dtype: 'float32',
      dims: [1, 3],
      data: new Float32Array([0.5, 1, 2]),
    });
  });

  it('reads 64-bit integers written as strings and NaN/infinities as strings', () => {
    expect(
      tensorFromJson('ids', { dtype: 'int64', dims: [2], data: ['-9223372036854775808', 5] }).data,
    ).toEqual(new BigInt64Array([-(2n ** 63n), 5n]));
    expect(tensorFromJson('f', { dtype: 'float64', dims: [2], data: ['NaN', '-Infinity'] }).data).toEqual(
      new Float64Array([Number.NaN, Number.NEGATIVE_INFINITY]),
    );
  });

  it('rejects what is not an object', () => {
    expectInvalid(null, "tensor 'img' must be an object {dtype, dims, data}");
    expectInvalid(3, "tensor 'img' must be an object {dtype, dims, data}");
    expectInvalid('float32', "tensor 'img' must be an object {dtype, dims, data}");
  });

  it('rejects an unknown or missing dtype', () => {
    expectInvalid({ dtype: 'bfloat16', dims: [1], data: [1] }, 'tensor \'img\': unknown dtype "bfloat16"');
    expectInvalid({ dtype: 'FLOAT32', dims: [1], data: [1] }, 'tensor \'img\': unknown dtype "FLOAT32"');
    expectInvalid({ dims: [1], data: [1] }, "tensor 'img': unknown dtype undefined");
    expectInvalid({ dtype: 1, dims: [1], data: [1] }, "tensor 'img': unknown dtype 1");
  });

  it('rejects dims that are not a list of sizes >= 0', () => {
    const message = "tensor 'img': dims must be a list of sizes >= 0";
    expectInvalid({ dtype: 'float32', dims: [-1], data: [] }, message);
    expectInvalid({ dtype: 'float32', dims: [1.5], data: [1] }, message);
    expectInvalid({ dtype: 'float32', dims: ['2'], data: [1, 2] }, message);
    expectInvalid({ dtype: 'float32', dims: 2, data: [1, 2] }, message);
  });

  it('rejects data that is not a list, or does not fit the shape or dtype', () => {
    expectInvalid({ dtype: 'float32', dims: [1], data: 1 }, "tensor 'img': data must be a list");
    expectInvalid(
      { dtype: 'float32', dims: [2], data: [1] },
      "tensor 'img': 1 values given, but float32[2] has 2 elements",
    );
    expectInvalid(
      { dtype: 'uint8', dims: [1], data: [300] },
      "tensor 'img' element 0 (300): out of range for uint8",
    );
    expectInvalid(
      { dtype: 'float32', dims: [1], data: [null] },
      "tensor 'img' element 0 (null): not a number for float32",
    );
  });
});

describe('tensorToJson', () => {
  it('writes 64-bit integers as numbers where exact, as strings otherwise', () => {
    const tensor = tensorFromJson('x', {
      dtype: 'int64',
      dims: [3],
      data: [9007199254740991, '9007199254740992', '-9223372036854775808'],
    });
    expect(tensorToJson(tensor)).toEqual({
      dtype: 'int64',
      dims: [3],
      data: [9007199254740991, '9007199254740992', '-9223372036854775808'],
    });
  });

  it('spells NaN and infinities as strings, decodes halves and writes booleans', () => {
    expect(
      tensorToJson({
        dtype: 'float32',
        dims: [3],
        data: new Float32Array([Number.NaN, Number.POSITIVE_INFINITY, 1]),
      }),
    ).toEqual({ dtype: 'float32', dims: [3], data: ['NaN', 'Infinity', 1] });
    expect(
      tensorToJson({ dtype: 'float16', dims: [2], data: new Uint16Array([0x3800, 0xfc00]) }).data,
    ).toEqual([0.5, '-Infinity']);
    expect(tensorToJson({ dtype: 'bool', dims: [2, 1], data: new Uint8Array([0, 1]) })).toEqual({
      dtype: 'bool',
      dims: [2, 1],
      data: [false, true],
    });
  });

  it('round-trips every dtype through JSON text', () => {
    const cases = [
      { dtype: 'float32', dims: [2], data: [1.5, 'NaN'] },
      { dtype: 'float16', dims: [2], data: [0.333251953125, '-Infinity'] },
      { dtype: 'float64', dims: [1, 2], data: [0.1, 1e300] },
      { dtype: 'int8', dims: [2], data: [-128, 127] },
      { dtype: 'int16', dims: [2], data: [-32768, 32767] },
      { dtype: 'int32', dims: [2], data: [-2147483648, 2147483647] },
      { dtype: 'int64', dims: [2], data: ['-9223372036854775808', 12] },
      { dtype: 'uint8', dims: [2], data: [0, 255] },
      { dtype: 'uint16', dims: [2], data: [0, 65535] },
      { dtype: 'uint32', dims: [2], data: [0, 4294967295] },
      { dtype: 'uint64', dims: [2], data: ['18446744073709551615', 0] },
      { dtype: 'bool', dims: [], data: [true] },
      { dtype: 'float32', dims: [0, 4], data: [] },
    ];
    for (const json of cases) {
      const text = JSON.stringify(tensorToJson(tensorFromJson('x', json)));
      expect(JSON.parse(text), json.dtype).toEqual(json);
    }
  });
});
