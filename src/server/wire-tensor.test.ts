import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import type { Tensor, Tensor__Output } from '../gen/hetsched/v1/Tensor.js';
import type { TensorContents__Output } from '../gen/hetsched/v1/TensorContents.js';
import {
  DTYPE_NAMES,
  type DType,
  type ElementValue,
  type TensorData,
  tensorFromValues,
} from '../tensor/index.js';
import { protos } from './proto.js';
import { fromWireTensor, parseShape, toWireTensor, wireDType } from './wire-tensor.js';

/** Sends tensors through the real Infer response codec (proto-loader, the server's options) and back. */
function overTheWire(tensors: Tensor[]): Tensor__Output[] {
  const method = protos().grpc.hetsched.v1.InferenceService.service.Infer;
  const bytes = method.responseSerialize({ model: 'm', outputs: tensors });
  return method.responseDeserialize(bytes).outputs;
}

function onlyTensor(tensors: Tensor__Output[]): Tensor__Output {
  expect(tensors).toHaveLength(1);
  const [tensor] = tensors;
  if (!tensor) throw new Error('no tensor came back');
  return tensor;
}

const NO_CONTENTS: TensorContents__Output = {
  floatValues: [],
  doubleValues: [],
  intValues: [],
  int64Values: [],
  uintValues: [],
  uint64Values: [],
  boolValues: [],
};

/** A decoded request tensor, as proto-loader hands it to the service with defaults on. */
function wire(
  fields: Partial<Omit<Tensor__Output, 'contents'>> & { contents?: Partial<TensorContents__Output> },
): Tensor__Output {
  const { contents, ...rest } = fields;
  return {
    name: 'x',
    dtype: 'DATA_TYPE_FLOAT32',
    shape: [],
    ...rest,
    ...(contents && { contents: { ...NO_CONTENTS, ...contents }, data: 'contents' as const }),
  };
}

function expectInvalid(tensor: Tensor__Output, message: string): void {
  let caught: unknown;
  try {
    fromWireTensor(tensor);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
  expect((caught as HetschedError).message).toBe(message);
}

/** Two extreme values and a typical one per dtype, each exact in its dtype. */
const SAMPLES: Record<DType, ElementValue[]> = {
  float32: [1.5, -3.4028234663852886e38, Number.NaN],
  float16: [0.333251953125, -65504, Number.POSITIVE_INFINITY],
  float64: [0.1, 1.7976931348623157e308, -0],
  int8: [-128, 127, 3],
  int16: [-32768, 32767, -3],
  int32: [-2147483648, 2147483647, 5],
  int64: [-(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n],
  uint8: [0, 255, 7],
  uint16: [0, 65535, 9],
  uint32: [0, 4294967295, 11],
  uint64: [0n, 2n ** 64n - 1n, 13n],
  bool: [true, false, true],
};

describe('wire tensors', () => {
  describe.each(['raw', 'contents'] as const)('%s encoding', (encoding) => {
    it.each(DTYPE_NAMES)('round-trips %s through the protobuf codec', (dtype) => {
      const original: TensorData = tensorFromValues(dtype, [3, 1], SAMPLES[dtype], 'x');
      const sent = toWireTensor('out', original, encoding);
      expect(sent.dtype).toBe(`DATA_TYPE_${dtype.toUpperCase()}`);
      expect(sent.shape).toEqual(['3', '1']);
      const received = onlyTensor(overTheWire([sent]));
      expect(received.data).toBe(encoding);
      const back = fromWireTensor(received);
      expect(back.dtype).toBe(dtype);
      expect(back.dims).toEqual([3, 1]);
      expect(back.data).toEqual(original.data);
      expect(back.data.byteOffset).toBe(0);
    });

    it('round-trips a scalar and an empty tensor', () => {
      const scalar = tensorFromValues('int32', [], [42], 'x');
      const empty = tensorFromValues('float32', [2, 0], [], 'x');
      const [scalarBack, emptyBack] = overTheWire([
        toWireTensor('s', scalar, encoding),
        toWireTensor('e', empty, encoding),
      ]).map(fromWireTensor);
      expect(scalarBack).toEqual(scalar);
      expect(emptyBack).toEqual(empty);
    });
  });

  it('puts each dtype in the contents list tensor.proto names', () => {
    const field = (dtype: DType): string[] => {
      const { contents } = toWireTensor(
        'x',
        tensorFromValues(dtype, [1], [SAMPLES[dtype][1] ?? 0], 'x'),
        'contents',
      );
      return Object.keys(contents ?? {});
    };
    expect(DTYPE_NAMES.map((dtype) => [dtype, field(dtype)])).toEqual([
      ['float32', ['floatValues']],
      ['float16', ['floatValues']],
      ['float64', ['doubleValues']],
      ['int8', ['intValues']],
      ['int16', ['intValues']],
      ['int32', ['intValues']],
      ['int64', ['int64Values']],
      ['uint8', ['intValues']],
      ['uint16', ['intValues']],
      ['uint32', ['uintValues']],
      ['uint64', ['uint64Values']],
      ['bool', ['boolValues']],
    ]);
  });

  it('sends 64-bit integers in contents as decimal strings and halves as their float value', () => {
    const int64 = toWireTensor('i', tensorFromValues('int64', [1], [-(2n ** 63n)], 'i'), 'contents');
    expect(int64.contents).toEqual({ int64Values: ['-9223372036854775808'] });
    const half = toWireTensor('h', tensorFromValues('float16', [1], [0.1], 'h'), 'contents');
    expect(half.contents).toEqual({ floatValues: [0.0999755859375] });
  });

  it('sends raw bytes as a view of the tensor, without copying', () => {
    const tensor = tensorFromValues('uint16', [2], [1, 258], 'x');
    const sent = toWireTensor('x', tensor, 'raw');
    expect(sent.raw).toBeInstanceOf(Uint8Array);
    expect([...(sent.raw as Uint8Array)]).toEqual([1, 0, 2, 1]);
    expect((sent.raw as Uint8Array).buffer).toBe(tensor.data.buffer);
  });

  it('reads float16 contents by rounding each float to the nearest half', () => {
    const tensor = fromWireTensor(
      wire({ dtype: 'DATA_TYPE_FLOAT16', shape: ['2'], contents: { floatValues: [1, 0.1] } }),
    );
    expect(tensor.data).toEqual(new Uint16Array([0x3c00, 0x2e66]));
  });

  it('maps every dtype to its wire enum', () => {
    expect(DTYPE_NAMES.map(wireDType)).toEqual([
      'DATA_TYPE_FLOAT32',
      'DATA_TYPE_FLOAT16',
      'DATA_TYPE_FLOAT64',
      'DATA_TYPE_INT8',
      'DATA_TYPE_INT16',
      'DATA_TYPE_INT32',
      'DATA_TYPE_INT64',
      'DATA_TYPE_UINT8',
      'DATA_TYPE_UINT16',
      'DATA_TYPE_UINT32',
      'DATA_TYPE_UINT64',
      'DATA_TYPE_BOOL',
    ]);
  });
});

describe('fromWireTensor errors', () => {
  it('requires a dtype', () => {
    expectInvalid(
      wire({ name: 'img', dtype: 'DATA_TYPE_UNSPECIFIED', shape: ['1'], raw: Buffer.alloc(4), data: 'raw' }),
      "tensor 'img': dtype must be set (got DATA_TYPE_UNSPECIFIED)",
    );
  });

  it('requires raw or contents', () => {
    expectInvalid(wire({ name: 'img', shape: ['1'] }), "tensor 'img': set raw or contents");
  });

  it('rejects negative, fractional, unsafe and too many dimensions', () => {
    expectInvalid(
      wire({ name: 'img', shape: ['1', '-1'], raw: Buffer.alloc(4), data: 'raw' }),
      "tensor 'img': dimension -1 is not a size >= 0",
    );
    expectInvalid(
      wire({ name: 'img', shape: ['9007199254740993'], raw: Buffer.alloc(4), data: 'raw' }),
      "tensor 'img': dimension 9007199254740993 is not a size >= 0",
    );
    expectInvalid(
      wire({ name: 'img', shape: Array.from({ length: 17 }, () => '1'), raw: Buffer.alloc(4), data: 'raw' }),
      "tensor 'img': rank 17 is over the limit of 16",
    );
  });

  it('rejects raw bytes that do not fit the shape', () => {
    expectInvalid(
      wire({ name: 'img', shape: ['2', '2'], raw: Buffer.alloc(12), data: 'raw' }),
      "tensor 'img': 12 bytes given, but float32[2,2] needs 16",
    );
    expectInvalid(
      wire({ name: 'ids', dtype: 'DATA_TYPE_INT64', shape: ['1'], data: 'raw' }),
      "tensor 'ids': 0 bytes given, but int64[1] needs 8",
    );
  });

  it('rejects values in a contents list the dtype does not use', () => {
    expectInvalid(
      wire({ name: 'img', shape: ['2'], contents: { floatValues: [1, 2], intValues: [1, 2] } }),
      "tensor 'img': a float32 tensor carries its values in contents.float_values, not int_values",
    );
    expectInvalid(
      wire({ name: 'h', dtype: 'DATA_TYPE_FLOAT16', shape: ['1'], contents: { doubleValues: [1] } }),
      "tensor 'h': a float16 tensor carries its values in contents.float_values, not double_values",
    );
    expectInvalid(
      wire({
        name: 'ids',
        dtype: 'DATA_TYPE_UINT32',
        shape: ['1'],
        contents: { intValues: [1], int64Values: ['1'], boolValues: [true] },
      }),
      "tensor 'ids': a uint32 tensor carries its values in contents.uint_values, not int_values, int64_values, bool_values",
    );
  });

  it('rejects a contents count that does not match the shape', () => {
    expectInvalid(
      wire({ name: 'ids', dtype: 'DATA_TYPE_INT32', shape: ['2'], contents: { intValues: [1] } }),
      "tensor 'ids': 1 values given, but int32[2] has 2 elements",
    );
    expectInvalid(
      wire({ name: 'ids', dtype: 'DATA_TYPE_INT32', shape: ['2'], contents: {} }),
      "tensor 'ids': 0 values given, but int32[2] has 2 elements",
    );
  });

  it('rejects contents values out of the dtype range', () => {
    expectInvalid(
      wire({ name: 'px', dtype: 'DATA_TYPE_UINT8', shape: ['2'], contents: { intValues: [255, 256] } }),
      "tensor 'px' element 1 (256): out of range for uint8",
    );
    expectInvalid(
      wire({ name: 'q', dtype: 'DATA_TYPE_INT8', shape: ['1'], contents: { intValues: [-129] } }),
      "tensor 'q' element 0 (-129): out of range for int8",
    );
  });
});

describe('parseShape', () => {
  it('parses int64 decimal strings', () => {
    expect(parseShape(['1', '0', '224'], 'input')).toEqual([1, 0, 224]);
    expect(parseShape([], 'input')).toEqual([]);
    expect(
      parseShape(
        Array.from({ length: 16 }, () => '1'),
        'input',
      ),
    ).toHaveLength(16);
  });
});
