/**
 * IEEE 754 half <-> single conversions, for tensors sent as typed values rather than raw bits.
 * Round to nearest, ties to even; overflow goes to infinity; NaN stays NaN. The input may be any
 * JavaScript number (JSON values are doubles), and is rounded to half once, not via single.
 */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  // Rounding a double to single first may land exactly half-way between two halves: then the
  // double's side of that point, not ties-to-even, decides (else 1 + 2^-11 + 2^-30 would round down).
  const beyondSingle = Math.abs(value) - Math.abs(f32[0] ?? 0);
  const tieRoundsUp = (halfMantissa: number): boolean =>
    beyondSingle > 0 || (beyondSingle === 0 && (halfMantissa & 1) === 1);
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    const halfMantissa = mantissa >>> shift;
    const remainder = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    const roundUp = remainder > halfway || (remainder === halfway && tieRoundsUp(halfMantissa));
    return sign | (halfMantissa + (roundUp ? 1 : 0));
  }
  const halfMantissa = mantissa >>> 13;
  const remainder = mantissa & 0x1fff;
  const roundUp = remainder > 0x1000 || (remainder === 0x1000 && tieRoundsUp(halfMantissa));
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  return (sign | (halfExponent << 10) | halfMantissa) + (roundUp ? 1 : 0);
}

export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
