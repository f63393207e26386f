import { describe, expect, it } from 'vitest';
import { float32ToFloat16Bits, type TensorData } from '../tensor/index.js';
import { DEFAULT_TOLERANCE, diffTensors } from './tensor-diff.js';

const f32 = (...values: number[]): TensorData => ({
  dtype: 'float32',
  dims: [values.length],
  data: Float32Array.from(values),
});

describe('diffTensors', () => {
  it('passes identical tensors with zero differences', () => {
    expect(diffTensors(f32(1, -2, 0), f32(1, -2, -0), DEFAULT_TOLERANCE)).toEqual({
      maxAbsDiff: 0,
      maxRelDiff: 0,
      accurate: true,
    });
  });

  it('judges small values absolutely and large ones relatively, element by element', () => {
    // 1e-5 on a value near 0: relative difference huge, absolute within atol.
    const small = diffTensors(f32(1e-5), f32(0), DEFAULT_TOLERANCE);
    expect(small.accurate).toBe(true);
    expect(small.maxRelDiff).toBeCloseTo(10, 5);
    // 0.05 on 1000: absolute difference far above atol, relative 5e-5 within rtol.
    expect(diffTensors(f32(1000.05), f32(1000), DEFAULT_TOLERANCE).accurate).toBe(true);
    // 0.1 on 0.5 (Silero v5's output on SwiftShader): neither.
    const silero = diffTensors(f32(0.6), f32(0.5), DEFAULT_TOLERANCE);
    expect(silero.accurate).toBe(false);
    expect(silero.maxAbsDiff).toBeCloseTo(0.1, 6);
    expect(silero.maxRelDiff).toBeCloseTo(0.2, 6);
  });

  it('fails when any one element is out of tolerance, whatever the maxima say', () => {
    // Element 0 passes relatively, element 1 absolutely; element 2 fails both ways.
    const diff = diffTensors(f32(1000.05, 1e-5, 0.01), f32(1000, 0, 0.02), DEFAULT_TOLERANCE);
    expect(diff.accurate).toBe(false);
    expect(diffTensors(f32(1000.05, 1e-5), f32(1000, 0), DEFAULT_TOLERANCE).accurate).toBe(true);
  });

  it('takes NaN as equal only to NaN and an infinity only to the same infinity', () => {
    expect(
      diffTensors(
        f32(Number.NaN, Number.POSITIVE_INFINITY),
        f32(Number.NaN, Number.POSITIVE_INFINITY),
        DEFAULT_TOLERANCE,
      ).accurate,
    ).toBe(true);
    const nan = diffTensors(f32(Number.NaN), f32(1), DEFAULT_TOLERANCE);
    expect(nan).toEqual({
      maxAbsDiff: Number.POSITIVE_INFINITY,
      maxRelDiff: Number.POSITIVE_INFINITY,
      accurate: false,
    });
    expect(
      diffTensors(f32(Number.NEGATIVE_INFINITY), f32(Number.POSITIVE_INFINITY), DEFAULT_TOLERANCE).accurate,
    ).toBe(false);
  });

  it('requires integer and bool tensors to match exactly', () => {
    const ints = (...values: bigint[]): TensorData => ({
      dtype: 'int64',
      dims: [values.length],
      data: BigInt64Array.from(values),
    });
    const diff = diffTensors(ints(1n, 5n), ints(1n, 4n), { atol: 10, rtol: 10 });
    expect(diff).toEqual({ maxAbsDiff: 1, maxRelDiff: 0.25, accurate: false });
    expect(diffTensors(ints(3n), ints(3n), DEFAULT_TOLERANCE).accurate).toBe(true);
    const bools = (...values: number[]): TensorData => ({
      dtype: 'bool',
      dims: [values.length],
      data: Uint8Array.from(values),
    });
    expect(diffTensors(bools(1, 0), bools(1, 1), { atol: 1, rtol: 1 }).accurate).toBe(false);
  });

  it('compares float16 by value, not by bits', () => {
    const half = (...values: number[]): TensorData => ({
      dtype: 'float16',
      dims: [values.length],
      data: Uint16Array.from(values.map(float32ToFloat16Bits)),
    });
    const diff = diffTensors(half(1.0009765625), half(1), { atol: 0, rtol: 1e-3 });
    expect(diff.maxAbsDiff).toBeCloseTo(0.0009765625, 10);
    expect(diff.accurate).toBe(true);
  });

  it('reports a shape or type mismatch as an infinite difference', () => {
    const mismatch = {
      maxAbsDiff: Number.POSITIVE_INFINITY,
      maxRelDiff: Number.POSITIVE_INFINITY,
      accurate: false,
    };
    expect(diffTensors(f32(1, 2), f32(1), DEFAULT_TOLERANCE)).toEqual(mismatch);
    expect(
      diffTensors(
        { dtype: 'float32', dims: [1, 2], data: Float32Array.of(1, 2) },
        f32(1, 2),
        DEFAULT_TOLERANCE,
      ),
    ).toEqual(mismatch);
    expect(
      diffTensors({ dtype: 'float64', dims: [1], data: Float64Array.of(1) }, f32(1), DEFAULT_TOLERANCE),
    ).toEqual(mismatch);
  });
});
