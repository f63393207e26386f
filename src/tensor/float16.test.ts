import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The adjacent double away from zero (+1) or toward zero (-1), for a finite non-zero value. */
function nextDouble(value: number, direction: 1 | -1): number {
  f64[0] = value;
  i64[0] = (i64[0] ?? 0n) + BigInt(direction);
  return f64[0] ?? Number.NaN;
}

describe('float32ToFloat16Bits', () => {
  it.each([
    [0, 0x0000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [65504, 0x7bff],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [1023 * 2 ** -24, 0x03ff],
  ])('encodes %d as %i', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  it('keeps the sign of zero', () => {
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(-(2 ** -26))).toBe(0x8000);
  });

  it('rounds half-way cases to even, in normals and subnormals', () => {
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToFloat16Bits(2049)).toBe(0x6800);
    expect(float32ToFloat16Bits(2051)).toBe(0x6802);
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000);
    expect(float32ToFloat16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(float32ToFloat16Bits(0.75 * 2 ** -24)).toBe(0x0001);
  });

  it('carries out of the mantissa: largest subnormal to smallest normal, largest normal to infinity', () => {
    expect(float32ToFloat16Bits(1023.5 * 2 ** -24)).toBe(0x0400);
    expect(float32ToFloat16Bits(65519)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
  });

  it('sends overflow to infinity and underflow to zero', () => {
    expect(float32ToFloat16Bits(1e6)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-1e6)).toBe(0xfc00);
    expect(float32ToFloat16Bits(1e300)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0x0000);
    expect(float32ToFloat16Bits(1e-40)).toBe(0x0000);
  });

  it('maps infinities to infinities and NaN to a quiet NaN', () => {
    expect(float32ToFloat16Bits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(float32ToFloat16Bits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
    expect(float32ToFloat16Bits(Number.NaN)).toBe(0x7e00);
  });

  // Regression: doubles were rounded to single first, so one just past a half-way point could
  // land on it and then round to even, the wrong way.
  it('rounds a double once, not via single precision', () => {
    expect(float32ToFloat16Bits(1 + 2 ** -11 + 2 ** -30)).toBe(0x3c01);
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11 - 2 ** -40)).toBe(0x3c01);
    expect(float32ToFloat16Bits(65520 - 2 ** -12)).toBe(0x7bff);
    expect(float32ToFloat16Bits(2 ** -25 + 2 ** -60)).toBe(0x0001);
    expect(float32ToFloat16Bits(-(2 ** -25 + 2 ** -60))).toBe(0x8001);
    expect(float32ToFloat16Bits(1023.5 * 2 ** -24 - 2 ** -60)).toBe(0x03ff);
  });

  it('rounds the mid-point between every pair of adjacent halves, and the doubles beside it, correctly', () => {
    const failures: string[] = [];
    for (let bits = 0; bits < 0x7c00; bits++) {
      const low = float16BitsToFloat32(bits);
      const high = bits === 0x7bff ? 65536 : float16BitsToFloat32(bits + 1);
      const mid = (low + high) / 2;
      const even = bits % 2 === 0 ? bits : bits + 1;
      for (const sign of [1, -1]) {
        const signBit = sign < 0 ? 0x8000 : 0;
        const cases: [number, number][] = [
          [sign * mid, even | signBit],
          [sign * nextDouble(mid, 1), (bits + 1) | signBit],
          [sign * nextDouble(mid, -1), bits | signBit],
        ];
        for (const [value, expected] of cases) {
          const got = float32ToFloat16Bits(value);
          if (got !== expected) failures.push(`${value}: ${got.toString(16)} != ${expected.toString(16)}`);
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe('float16BitsToFloat32', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x7c00, Number.POSITIVE_INFINITY],
    [0xfc00, Number.NEGATIVE_INFINITY],
  ])('decodes %i as %d', (bits, value) => {
    expect(float16BitsToFloat32(bits)).toBe(value);
  });

  it('decodes signed zeros and NaNs', () => {
    expect(Object.is(float16BitsToFloat32(0x8000), -0)).toBe(true);
    expect(Object.is(float16BitsToFloat32(0x0000), 0)).toBe(true);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
    expect(float16BitsToFloat32(0x7c01)).toBeNaN();
    expect(float16BitsToFloat32(0xfe00)).toBeNaN();
  });

  it('round-trips every non-NaN half bit pattern exactly', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits <= 0xffff; bits++) {
      const value = float16BitsToFloat32(bits);
      if (Number.isNaN(value)) continue;
      if (float32ToFloat16Bits(value) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it('decodes to values a Float32Array holds exactly', () => {
    const f32 = new Float32Array(0x7c00);
    for (let bits = 0; bits < 0x7c00; bits++) f32[bits] = float16BitsToFloat32(bits);
    const inexact = [...f32.keys()].filter((bits) => f32[bits] !== float16BitsToFloat32(bits));
    expect(inexact).toEqual([]);
    expect(f32[0x7bff]).toBe(65504);
  });
});
