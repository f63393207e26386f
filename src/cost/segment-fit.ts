import type { SegmentFeatures } from './cost-model.js';

/** One measured segment: its cost features (see CostModel.segmentFeatures) and time. */
export interface SegmentSample extends SegmentFeatures {
  readonly measuredMs: number;
}

export interface SegmentCoefficients {
  readonly launchMs: number;
  readonly intactRatio: number;
  readonly splitRatio: number;
  readonly perOpMs: number;
  readonly boundaryMsPerMiB: number;
  readonly outputMsPerMiB: number;
  readonly convEdgeMsPerMiB: number;
  readonly perTensorMs: number;
}

/**
 * A processor's segment coefficients before any fit (an analytic profile, or a measured one not
 * yet calibrated): a cut operator runs unfused, a fused group costs its share, nothing else extra.
 */
export const UNFITTED_SEGMENT_COSTS = {
  splitRatio: 1,
  intactRatio: 1,
  perOpMs: 0,
  boundaryMsPerMiB: 0,
  outputMsPerMiB: 0,
  convEdgeMsPerMiB: 0,
  perTensorMs: 0,
  fittedSegments: 0,
} as const;

/** The terms fitted, in order; intactRatio is last. */
const TERMS = [
  'launchMs',
  'splitRatio',
  'perOpMs',
  'boundaryMsPerMiB',
  'outputMsPerMiB',
  'convEdgeMsPerMiB',
  'perTensorMs',
  'intactRatio',
] as const;
const INTACT = TERMS.length - 1;

function row(sample: SegmentFeatures): number[] {
  return [
    1,
    sample.cutSoloMs,
    sample.ops,
    sample.boundaryMiB,
    sample.outputMiB,
    sample.convEdgeMiB,
    sample.tensors,
    sample.intactMs,
  ];
}

/**
 * Fits the segment cost model — measured = launch + intactRatio x intactMs + splitRatio x
 * cutSoloMs + perOpMs x ops + boundaryMsPerMiB x boundaryMiB + outputMsPerMiB x outputMiB +
 * convEdgeMsPerMiB x convEdgeMiB + perTensorMs x tensors — to measured segments, by least squares on the relative error
 * (each row weighted by 1/measured: small segments count as much as large ones). Every term must
 * be non-negative: each subset of terms is solved and the best feasible fit kept. The fused time
 * is the model's main signal, so its ratio is always fitted where any segment holds a fused
 * group whole (else the fallback's stands). With fewer samples than twice the terms the fallback
 * stands.
 */
export function fitSegmentCost(
  samples: readonly SegmentSample[],
  fallback: SegmentCoefficients,
): SegmentCoefficients {
  const rows = samples.filter((sample) => sample.measuredMs > 0 && Number.isFinite(sample.measuredMs));
  if (rows.length < 2 * TERMS.length) return fallback;
  const hasIntact = rows.some((sample) => sample.intactMs > 0);
  const features = rows.map((sample) => row(sample).map((x) => x / sample.measuredMs));
  // Each row is divided by its measured time: the target is 1.
  const targets = rows.map(() => 1);
  let best: { error: number; coefficients: number[] } | undefined;
  for (let mask = 0; mask < 1 << TERMS.length; mask++) {
    if (((mask >> INTACT) & 1) !== (hasIntact ? 1 : 0)) continue;
    const active = TERMS.map((_, k) => k).filter((k) => mask & (1 << k));
    const solved = solve(features, targets, active);
    if (!solved || solved.some((value) => value < 0)) continue;
    const coefficients = new Array<number>(TERMS.length).fill(0);
    active.forEach((k, i) => {
      coefficients[k] = solved[i] ?? 0;
    });
    const error = features.reduce((sum, x, i) => {
      const predicted = x.reduce((total, value, k) => total + value * (coefficients[k] ?? 0), 0);
      return sum + (predicted - (targets[i] ?? 0)) ** 2;
    }, 0);
    if (!best || error < best.error) best = { error, coefficients };
  }
  if (!best) return fallback;
  const fitted = Object.fromEntries(TERMS.map((name, k) => [name, best.coefficients[k] ?? 0])) as Record<
    (typeof TERMS)[number],
    number
  >;
  return {
    ...fitted,
    // A cut operator runs unfused: it cannot cost nothing (a ratio of 0 only means no sample cut one).
    splitRatio: fitted.splitRatio > 0 ? fitted.splitRatio : fallback.splitRatio,
    intactRatio: hasIntact && fitted.intactRatio > 0 ? fitted.intactRatio : fallback.intactRatio,
  };
}

/** Least squares restricted to the `active` columns (normal equations, Gaussian elimination). */
function solve(
  features: readonly number[][],
  targets: readonly number[],
  active: readonly number[],
): number[] | undefined {
  const n = active.length;
  if (n === 0) return [];
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  features.forEach((row, r) => {
    for (let i = 0; i < n; i++) {
      const xi = row[active[i] ?? 0] ?? 0;
      for (let j = 0; j < n; j++)
        (a[i] as number[])[j] = ((a[i] as number[])[j] ?? 0) + xi * (row[active[j] ?? 0] ?? 0);
      (a[i] as number[])[n] = ((a[i] as number[])[n] ?? 0) + xi * (targets[r] ?? 0);
    }
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    if (Math.abs(a[pivot]?.[col] ?? 0) < 1e-15) return undefined;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const row = a[col] as number[];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const other = a[r] as number[];
      const factor = (other[col] ?? 0) / (row[col] ?? 1);
      for (let c = col; c <= n; c++) other[c] = (other[c] ?? 0) - factor * (row[c] ?? 0);
    }
  }
  return a.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}
