import { float16BitsToFloat32, type TensorData } from '../tensor/index.js';

/** Tolerances of the accuracy check. */
export interface Tolerance {
  /** Absolute tolerance. */
  readonly atol: number;
  /** Relative tolerance, against the CPU (reference) value. */
  readonly rtol: number;
}

/** Defaults: float32 kernels that agree to a few ulps pass, Silero v5's 0.1 on the GPU EP does not. */
export const DEFAULT_TOLERANCE: Tolerance = { atol: 1e-4, rtol: 1e-3 };

/** Denominator floor of the relative difference, so that a zero reference gives a finite number. */
const REL_FLOOR = 1e-6;

/** How far a tensor is from its reference. */
export interface TensorDiff {
  /** max |a − b| over elements (Infinity on a shape or type mismatch, or NaN against a number). */
  readonly maxAbsDiff: number;
  /** max |a − b| / max(|b|, 1e-6) over elements, b the reference. */
  readonly maxRelDiff: number;
  /** Whether every element is within tolerance (see {@link diffTensors}). */
  readonly accurate: boolean;
}

const MISMATCH: TensorDiff = {
  maxAbsDiff: Number.POSITIVE_INFINITY,
  maxRelDiff: Number.POSITIVE_INFINITY,
  accurate: false,
};

/**
 * Compares `actual` (the GPU's) with `reference` (the CPU's). Float tensors: an element passes when
 * |a − b| ≤ atol or |a − b| / max(|b|, 1e-6) ≤ rtol, so small values are judged absolutely and
 * large ones relatively; NaN passes only against NaN, an infinity only against the same infinity.
 * The tensor is accurate when every element passes (note that the maxima may come from different
 * elements, so maxAbsDiff > atol and maxRelDiff > rtol can both hold of an accurate tensor).
 * Integer and bool tensors must match exactly.
 */
export function diffTensors(actual: TensorData, reference: TensorData, tolerance: Tolerance): TensorDiff {
  if (
    actual.dtype !== reference.dtype ||
    actual.dims.length !== reference.dims.length ||
    actual.dims.some((dim, i) => dim !== reference.dims[i])
  ) {
    return MISMATCH;
  }
  const float =
    reference.dtype === 'float32' || reference.dtype === 'float64' || reference.dtype === 'float16';
  const read = elementReader(reference);
  const readActual = elementReader(actual);
  let maxAbsDiff = 0;
  let maxRelDiff = 0;
  let accurate = true;
  for (let i = 0; i < reference.data.length; i++) {
    const a = readActual(i);
    const b = read(i);
    if (Object.is(a, b) || a === b) continue;
    const abs = Number.isNaN(a) || Number.isNaN(b) ? Number.POSITIVE_INFINITY : Math.abs(a - b);
    // inf − inf is NaN: two different infinities, or an infinity against a number, differ infinitely.
    const absDiff = Number.isNaN(abs) ? Number.POSITIVE_INFINITY : abs;
    const relDiff = absDiff / Math.max(Math.abs(b), REL_FLOOR);
    maxAbsDiff = Math.max(maxAbsDiff, absDiff);
    maxRelDiff = Math.max(maxRelDiff, Number.isNaN(relDiff) ? Number.POSITIVE_INFINITY : relDiff);
    if (!float || !(absDiff <= tolerance.atol || relDiff <= tolerance.rtol)) accurate = false;
  }
  return { maxAbsDiff, maxRelDiff, accurate };
}

/** Element i as a number (bigints convert; an int64 difference beyond 2^53 only loses precision). */
function elementReader(tensor: TensorData): (i: number) => number {
  const data = tensor.data;
  if (tensor.dtype === 'float16') return (i) => float16BitsToFloat32(Number(data[i]));
  return (i) => Number(data[i]);
}
