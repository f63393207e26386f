import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { node, stringAttr } from './builder.js';
import { onnx } from './codec.js';
import {
  concat,
  lengthDelimited,
  lengthPrefix,
  readVarint,
  tag,
  varint,
  varintLength,
  type WireField,
  WireType,
  wireFields,
  writeVarint,
} from './wire.js';

const bytesOf = (...values: number[]): Uint8Array => Uint8Array.from(values);

function readAll(bytes: Uint8Array): WireField[] {
  return [...wireFields(bytes)];
}

function invalidArgument(run: () => unknown): HetschedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.InvalidArgument);
    return error as HetschedError;
  }
  throw new Error('expected an InvalidArgument error');
}

describe('varint', () => {
  it('writes the encodings of the protobuf documentation', () => {
    expect(varint(0)).toEqual(bytesOf(0));
    expect(varint(1)).toEqual(bytesOf(1));
    expect(varint(127)).toEqual(bytesOf(0x7f));
    expect(varint(150)).toEqual(bytesOf(0x96, 0x01));
    expect(varint(300)).toEqual(bytesOf(0xac, 0x02));
  });

  it('writes 10 bytes for the largest uint64 and for negative int64s, as two’s complement', () => {
    const allOnes = bytesOf(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(varint(2n ** 64n - 1n)).toEqual(allOnes);
    expect(varint(-1n)).toEqual(allOnes);
    expect(varint(-1)).toEqual(allOnes);
    expect(varint(-(2n ** 63n))).toEqual(bytesOf(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
    expect(varintLength(-2)).toBe(10);
  });

  it('round-trips every 64-bit value, signed or unsigned', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (value) => {
        const encoded = varint(value);
        expect(encoded.length).toBe(varintLength(value));
        const { value: decoded, next } = readVarint(encoded, 0, encoded.length);
        expect(next).toBe(encoded.length);
        expect(decoded).toBe(BigInt.asUintN(64, value));
        if (value < 0n) expect(BigInt.asIntN(64, decoded)).toBe(value);
      }),
    );
  });

  it('round-trips safe integers given as numbers, across the number/bigint boundary of the writer', () => {
    for (const value of [0x7fff_ffff, 0x8000_0000, 2 ** 32, Number.MAX_SAFE_INTEGER, -12345]) {
      const encoded = varint(value);
      expect(encoded).toEqual(varint(BigInt(value)));
      expect(BigInt.asIntN(64, readVarint(encoded, 0, encoded.length).value)).toBe(BigInt(value));
    }
  });

  it('writes in place and returns the offset after the varint', () => {
    const target = new Uint8Array(4);
    expect(writeVarint(target, 1, 300)).toBe(3);
    expect(target).toEqual(bytesOf(0, 0xac, 0x02, 0));
  });

  it('rejects values that are not 64-bit integers', () => {
    expect(() => varint(2n ** 64n)).toThrow(RangeError);
    expect(() => varint(-(2n ** 63n) - 1n)).toThrow(RangeError);
    expect(() => varint(1.5)).toThrow(RangeError);
    expect(() => varint(2 ** 60)).toThrow(RangeError);
  });
});

describe('tag and length-delimited fields', () => {
  it('writes keys as fieldNumber * 8 + wireType', () => {
    expect(tag(1, WireType.Varint)).toEqual(bytesOf(0x08));
    expect(tag(2, WireType.LengthDelimited)).toEqual(bytesOf(0x12));
    expect(tag(60, WireType.Varint)).toEqual(bytesOf(0xe0, 0x03));
    expect(tag(2 ** 29 - 1, WireType.Fixed32)).toEqual(varint((2 ** 29 - 1) * 8 + 5));
    expect(() => tag(0, WireType.Varint)).toThrow(RangeError);
    expect(() => tag(2 ** 29, WireType.Varint)).toThrow(RangeError);
  });

  it('frames a payload with its tag and length', () => {
    const payload = new Uint8Array(200).fill(7);
    const field = lengthDelimited(3, payload);
    expect(field.subarray(0, 3)).toEqual(bytesOf(0x1a, 0xc8, 0x01));
    expect(field.subarray(3)).toEqual(payload);
    expect(lengthPrefix(3, 200)).toEqual(field.subarray(0, 3));
  });

  it('concatenates parts into one new buffer', () => {
    const whole = concat([bytesOf(1, 2), new Uint8Array(), bytesOf(3)]);
    expect(whole).toEqual(bytesOf(1, 2, 3));
    expect(concat([])).toEqual(new Uint8Array());
  });
});

describe('wireFields', () => {
  it('locates fields of all four wire types, tag and payload', () => {
    const bytes = concat([
      tag(1, WireType.Varint),
      varint(-5),
      tag(2, WireType.Fixed64),
      new Uint8Array(8).fill(0xaa),
      lengthDelimited(3, bytesOf(9, 8, 7)),
      tag(4, WireType.Fixed32),
      bytesOf(1, 2, 3, 4),
    ]);
    const fields = readAll(bytes);
    expect(fields.map((f) => [f.fieldNumber, f.wireType, f.start, f.end, f.valueStart, f.valueEnd])).toEqual([
      [1, WireType.Varint, 0, 11, 1, 11],
      [2, WireType.Fixed64, 11, 20, 12, 20],
      [3, WireType.LengthDelimited, 20, 25, 22, 25],
      [4, WireType.Fixed32, 25, 30, 26, 30],
    ]);
    expect(BigInt.asIntN(64, fields[0]?.varint ?? 0n)).toBe(-5n);
    expect(bytes.subarray(fields[2]?.valueStart, fields[2]?.valueEnd)).toEqual(bytesOf(9, 8, 7));
  });

  it('reads only the given byte range', () => {
    const inner = concat([tag(1, WireType.Varint), varint(7)]);
    const bytes = concat([bytesOf(0xff), inner, bytesOf(0xff)]);
    const fields = [...wireFields(bytes, 1, 1 + inner.length)];
    expect(fields.map((f) => [f.fieldNumber, f.start, f.end, f.varint])).toEqual([[1, 1, 3, 7n]]);
    expect(() => [...wireFields(bytes, 2, 99)]).toThrow(RangeError);
  });

  it('agrees with onnx-proto on the fields of an encoded NodeProto', () => {
    const relu = node('Relu', ['x'], ['y'], [stringAttr('note', 'hi')], 'relu0');
    const bytes = onnx.NodeProto.encode(relu).finish();
    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
    const fields = readAll(bytes);
    expect(fields.map((f) => f.fieldNumber)).toEqual([1, 2, 3, 4, 5, 7]);
    const text = new TextDecoder();
    const opType = fields.find((f) => f.fieldNumber === 4);
    expect(text.decode(bytes.subarray(opType?.valueStart, opType?.valueEnd))).toBe('Relu');
    expect(fields.at(-1)?.end).toBe(bytes.length);
  });

  it('reads an empty message as no fields', () => {
    expect(readAll(new Uint8Array())).toEqual([]);
  });

  describe('rejects malformed input with InvalidArgument', () => {
    it.each([
      ['a truncated varint value', bytesOf(0x08, 0x80), /truncated varint/],
      ['a truncated tag', bytesOf(0x80), /truncated varint/],
      ['a varint longer than 10 bytes', bytesOf(0x08, ...new Array<number>(10).fill(0xff), 0x01), /10 bytes/],
      ['a length past the end', bytesOf(0x0a, 0x05, 1, 2), /claims 5 bytes but 2 remain/],
      ['a truncated length', bytesOf(0x0a), /truncated varint/],
      ['a truncated fixed64', bytesOf(0x09, 1, 2, 3), /truncated fixed-width/],
      ['a truncated fixed32', bytesOf(0x0d, 1), /truncated fixed-width/],
      ['a start-group wire type', bytesOf(0x0b), /group wire type 3/],
      ['an end-group wire type', bytesOf(0x0c), /group wire type 4/],
      ['wire type 6', bytesOf(0x0e), /invalid wire type 6/],
      ['field number 0', bytesOf(0x00, 0x00), /field number 0/],
      ['a tag above 32 bits', concat([varint(2n ** 33n), bytesOf(0)]), /tag .* out of range/],
    ])('%s', (_, bytes, message) => {
      expect(invalidArgument(() => readAll(bytes)).message).toMatch(message);
    });

    it('after yielding the well-formed fields before the bad one', () => {
      const bytes = concat([tag(1, WireType.Varint), varint(3), bytesOf(0x0b)]);
      const iterator = wireFields(bytes);
      expect(iterator.next().value?.varint).toBe(3n);
      invalidArgument(() => iterator.next());
    });
  });
});
