import { Code, HetschedError } from '../common/index.js';

/**
 * The protobuf wire types hetsched reads. Groups (3 and 4) are deprecated and absent from ONNX's
 * schema, so the reader rejects them rather than skipping them.
 */
export enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

/**
 * One field of a protobuf message, located in the buffer it was read from. All offsets are byte
 * offsets into that buffer, with `start <= valueStart <= valueEnd <= end`.
 */
export interface WireField {
  readonly fieldNumber: number;
  readonly wireType: WireType;
  /** Where the field's tag begins. */
  readonly start: number;
  /** One past the field's last byte: `start..end` is the whole field, tag included. */
  readonly end: number;
  /**
   * Where the value begins: the payload of a length-delimited field (after its length prefix),
   * the 8 or 4 bytes of a fixed field, the bytes of a varint.
   */
  readonly valueStart: number;
  readonly valueEnd: number;
  /**
   * The value of a varint field as an unsigned 64-bit integer (`BigInt.asIntN(64, v)` gives an
   * int64's sign back); 0n for the other wire types.
   */
  readonly varint: bigint;
}

/** A varint has at most 10 bytes: 64 bits in 7-bit groups. */
const MAX_VARINT_BYTES = 10;
/** Field numbers run from 1 to 2^29 - 1. */
const MAX_FIELD_NUMBER = 0x1fff_ffff;

function malformed(what: string, offset: number): HetschedError {
  return new HetschedError(Code.InvalidArgument, `malformed protobuf: ${what} at byte ${offset}`);
}

/**
 * Reads the varint at `offset`, which must end before `end`. Returns its value and the offset
 * after it. Bits above 64 in a tenth byte are dropped, as protobuf's own parsers do.
 */
export function readVarint(bytes: Uint8Array, offset: number, end: number): { value: bigint; next: number } {
  // Most varints (tags, lengths) fit in 28 bits: accumulate those with number arithmetic and only
  // switch to bigint for the rare long ones.
  let low = 0;
  let position = offset;
  for (let shift = 0; shift < 28; shift += 7) {
    if (position >= end) throw malformed('truncated varint', offset);
    const byte = bytes[position++] ?? 0;
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) return { value: BigInt(low), next: position };
  }
  let value = BigInt(low);
  for (let shift = 28n; position - offset < MAX_VARINT_BYTES; shift += 7n) {
    if (position >= end) throw malformed('truncated varint', offset);
    const byte = bytes[position++] ?? 0;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return { value: BigInt.asUintN(64, value), next: position };
  }
  throw malformed('varint longer than 10 bytes', offset);
}

/** {@link readVarint} for a length or tag: InvalidArgument unless it is at most `max`. */
function readSmallVarint(
  bytes: Uint8Array,
  offset: number,
  end: number,
  max: number,
  what: string,
): { value: number; next: number } {
  const { value, next } = readVarint(bytes, offset, end);
  if (value > BigInt(max)) throw malformed(`${what} ${value} out of range`, offset);
  return { value: Number(value), next };
}

/**
 * The fields of the message encoded in `bytes[start..end)` (the whole array unless given), in the
 * order they are written. Reads lazily: a malformed field throws InvalidArgument only when the
 * iteration reaches it. Length-delimited payloads are located, not parsed.
 */
export function* wireFields(bytes: Uint8Array, start = 0, end = bytes.length): Generator<WireField> {
  if (
    !(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= bytes.length)
  ) {
    throw new RangeError(`byte range [${start}, ${end}) is not inside a buffer of ${bytes.length} bytes`);
  }
  let position = start;
  while (position < end) {
    const fieldStart = position;
    const tag = readSmallVarint(bytes, position, end, 0xffff_ffff, 'tag');
    position = tag.next;
    const fieldNumber = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (fieldNumber === 0) throw malformed('field number 0', fieldStart);
    if (fieldNumber > MAX_FIELD_NUMBER) throw malformed(`field number ${fieldNumber}`, fieldStart);
    switch (wireType) {
      case WireType.Varint: {
        const { value, next } = readVarint(bytes, position, end);
        yield field(fieldNumber, wireType, fieldStart, next, position, next, value);
        position = next;
        break;
      }
      case WireType.Fixed64:
      case WireType.Fixed32: {
        const next = position + (wireType === WireType.Fixed64 ? 8 : 4);
        if (next > end) throw malformed(`truncated fixed-width field ${fieldNumber}`, fieldStart);
        yield field(fieldNumber, wireType, fieldStart, next, position, next, 0n);
        position = next;
        break;
      }
      case WireType.LengthDelimited: {
        const length = readSmallVarint(bytes, position, end, Number.MAX_SAFE_INTEGER, 'length');
        const next = length.next + length.value;
        if (next > end) {
          throw malformed(
            `field ${fieldNumber} claims ${length.value} bytes but ${end - length.next} remain`,
            fieldStart,
          );
        }
        yield field(fieldNumber, wireType, fieldStart, next, length.next, next, 0n);
        position = next;
        break;
      }
      case 3:
      case 4:
        throw malformed(`group wire type ${wireType} (field ${fieldNumber}) is not supported`, fieldStart);
      default:
        throw malformed(`invalid wire type ${wireType} (field ${fieldNumber})`, fieldStart);
    }
  }
}

function field(
  fieldNumber: number,
  wireType: WireType,
  start: number,
  end: number,
  valueStart: number,
  valueEnd: number,
  varint: bigint,
): WireField {
  return { fieldNumber, wireType, start, end, valueStart, valueEnd, varint };
}

/** How many bytes the varint encoding of `value` takes (1 to 10). */
export function varintLength(value: number | bigint): number {
  let remaining = toUint64(value);
  let length = 1;
  while (remaining >= 0x80n) {
    remaining >>= 7n;
    length++;
  }
  return length;
}

/**
 * The varint encoding of `value`. A negative value is written as its 64-bit two's complement
 * (10 bytes), which is how protobuf encodes a negative int32 or int64.
 */
export function varint(value: number | bigint): Uint8Array {
  const out = new Uint8Array(varintLength(value));
  writeVarint(out, 0, value);
  return out;
}

/** Writes the varint encoding of `value` into `target` at `offset`; returns the offset after it. */
export function writeVarint(target: Uint8Array, offset: number, value: number | bigint): number {
  let position = offset;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 0x7fff_ffff) {
    // Tags and lengths: skip bigint arithmetic.
    let remaining = value;
    while (remaining >= 0x80) {
      target[position++] = (remaining & 0x7f) | 0x80;
      remaining >>>= 7;
    }
    target[position++] = remaining;
    return position;
  }
  let remaining = toUint64(value);
  while (remaining >= 0x80n) {
    target[position++] = Number(remaining & 0x7fn) | 0x80;
    remaining >>= 7n;
  }
  target[position++] = Number(remaining);
  return position;
}

function toUint64(value: number | bigint): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`varint value ${value} is not a safe integer`);
  }
  const big = BigInt(value);
  if (big < -(1n << 63n) || big >= 1n << 64n)
    throw new RangeError(`varint value ${big} does not fit 64 bits`);
  return BigInt.asUintN(64, big);
}

/** The encoded tag (key) of a field. */
export function tag(fieldNumber: number, wireType: WireType): Uint8Array {
  return varint(tagValue(fieldNumber, wireType));
}

function tagValue(fieldNumber: number, wireType: WireType): number {
  if (!Number.isInteger(fieldNumber) || fieldNumber < 1 || fieldNumber > MAX_FIELD_NUMBER) {
    throw new RangeError(`field number ${fieldNumber} is not in [1, ${MAX_FIELD_NUMBER}]`);
  }
  // fieldNumber * 8 rather than << 3: field numbers above 2^28 would overflow int32 shifts.
  return fieldNumber * 8 + wireType;
}

/**
 * The tag and length prefix of a length-delimited field whose payload is `payloadLength` bytes:
 * write it, then the payload, and the two form the whole field without copying the payload twice.
 */
export function lengthPrefix(fieldNumber: number, payloadLength: number): Uint8Array {
  const key = tagValue(fieldNumber, WireType.LengthDelimited);
  const out = new Uint8Array(varintLength(key) + varintLength(payloadLength));
  writeVarint(out, writeVarint(out, 0, key), payloadLength);
  return out;
}

/** A whole length-delimited field (tag, length, payload) in one new buffer. */
export function lengthDelimited(fieldNumber: number, payload: Uint8Array): Uint8Array {
  return concat([lengthPrefix(fieldNumber, payload.length), payload]);
}

/** The parts one after the other in one new buffer, each copied once. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
