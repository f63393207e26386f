import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import { fitSegmentCost, type SegmentCoefficients, type SegmentSample } from './segment-fit.js';

const FALLBACK: SegmentCoefficients = {
  launchMs: 0.123,
  intactRatio: 1.05,
  splitRatio: 1.5,
  perOpMs: 0.0042,
  boundaryMsPerMiB: 0.77,
  outputMsPerMiB: 0.11,
  convEdgeMsPerMiB: 0.33,
  perTensorMs: 0.002,
};

/** The model the fit assumes, written out term by term. */
function predict(c: SegmentCoefficients, s: Omit<SegmentSample, 'measuredMs'>): number {
  return (
    c.launchMs +
    c.intactRatio * s.intactMs +
    c.splitRatio * s.cutSoloMs +
    c.perOpMs * s.ops +
    c.boundaryMsPerMiB * s.boundaryMiB +
    c.outputMsPerMiB * s.outputMiB +
    c.convEdgeMsPerMiB * s.convEdgeMiB +
    c.perTensorMs * s.tensors
  );
}

/** Random segment features, varied enough that every term is identifiable. */
function features(rng: Rng): Omit<SegmentSample, 'measuredMs'> {
  const boundaryMiB = rng.range(0, 8);
  return {
    intactMs: rng.range(0, 20),
    cutSoloMs: rng.range(0, 5),
    ops: rng.int(1, 200),
    boundaryMiB,
    convEdgeMiB: boundaryMiB * rng.float(),
    outputMiB: boundaryMiB * rng.float(),
    tensors: rng.int(1, 12),
  };
}

function samplesFrom(c: SegmentCoefficients, count: number, seed: number): SegmentSample[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const f = features(rng);
    return { ...f, measuredMs: predict(c, f) };
  });
}

/** Sum of squared relative errors: what the fit minimises. */
function relativeError(c: SegmentCoefficients, samples: readonly SegmentSample[]): number {
  return samples.reduce((sum, s) => sum + ((predict(c, s) - s.measuredMs) / s.measuredMs) ** 2, 0);
}

function expectClose(actual: SegmentCoefficients, expected: SegmentCoefficients, digits: number): void {
  for (const key of Object.keys(expected) as (keyof SegmentCoefficients)[])
    expect(actual[key], key).toBeCloseTo(expected[key], digits);
}

describe('fitSegmentCost', () => {
  it('recovers the coefficients the samples were generated from', () => {
    for (const seed of [1, 2, 3]) {
      const truth: SegmentCoefficients = {
        launchMs: 0.25,
        intactRatio: 1.3,
        splitRatio: 1.8,
        perOpMs: 0.012,
        boundaryMsPerMiB: 0.4,
        outputMsPerMiB: 0.15,
        convEdgeMsPerMiB: 1.1,
        perTensorMs: 0.004,
      };
      expectClose(fitSegmentCost(samplesFrom(truth, 40, seed), FALLBACK), truth, 6);
    }
  });

  it('recovers a zero term as zero, not as a small negative', () => {
    const truth: SegmentCoefficients = {
      launchMs: 0.1,
      intactRatio: 0.9,
      splitRatio: 1.2,
      perOpMs: 0,
      boundaryMsPerMiB: 0.6,
      outputMsPerMiB: 0,
      convEdgeMsPerMiB: 0,
      perTensorMs: 0,
    };
    const fitted = fitSegmentCost(samplesFrom(truth, 30, 11), FALLBACK);
    expectClose(fitted, truth, 6);
    for (const value of Object.values(fitted)) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('keeps every term non-negative where the best unconstrained fit is not, and beats other feasible fits', () => {
    // Boundary MiB *save* time in these samples: least squares would give it a negative coefficient.
    const rng = new Rng(5);
    const samples: SegmentSample[] = Array.from({ length: 40 }, () => {
      const f = features(rng);
      const measuredMs =
        0.5 +
        f.intactMs +
        1.3 * f.cutSoloMs +
        0.01 * f.ops -
        0.05 * f.boundaryMiB +
        0.2 * f.convEdgeMiB +
        0.003 * f.tensors;
      return { ...f, measuredMs };
    });
    const fitted = fitSegmentCost(samples, FALLBACK);
    for (const [key, value] of Object.entries(fitted)) expect(value, key).toBeGreaterThanOrEqual(0);
    expect(fitted.boundaryMsPerMiB).toBe(0);
    // The constrained optimum: no other non-negative coefficient vector fits better.
    const best = relativeError(fitted, samples);
    const draws = new Rng(6);
    for (let i = 0; i < 500; i++) {
      const nearby: SegmentCoefficients = {
        launchMs: Math.max(0, fitted.launchMs + draws.range(-0.2, 0.2)),
        intactRatio: Math.max(0, fitted.intactRatio + draws.range(-0.05, 0.05)),
        outputMsPerMiB: Math.max(0, fitted.outputMsPerMiB + draws.range(-0.05, 0.05)),
        splitRatio: Math.max(0, fitted.splitRatio + draws.range(-0.2, 0.2)),
        perOpMs: Math.max(0, fitted.perOpMs + draws.range(-0.005, 0.005)),
        boundaryMsPerMiB: Math.max(0, fitted.boundaryMsPerMiB + draws.range(-0.05, 0.05)),
        convEdgeMsPerMiB: Math.max(0, fitted.convEdgeMsPerMiB + draws.range(-0.1, 0.1)),
        perTensorMs: Math.max(0, fitted.perTensorMs + draws.range(-0.002, 0.002)),
      };
      expect(relativeError(nearby, samples)).toBeGreaterThanOrEqual(best - 1e-12);
    }
  });

  it('returns the fallback with fewer than sixteen usable samples (two per term)', () => {
    const truth: SegmentCoefficients = {
      launchMs: 0.3,
      intactRatio: 1.1,
      splitRatio: 2,
      perOpMs: 0.01,
      boundaryMsPerMiB: 0.5,
      outputMsPerMiB: 0.2,
      convEdgeMsPerMiB: 0.5,
      perTensorMs: 0.003,
    };
    const fifteen = samplesFrom(truth, 15, 7);
    expect(fitSegmentCost(fifteen, FALLBACK)).toBe(FALLBACK);
    expect(fitSegmentCost([], FALLBACK)).toBe(FALLBACK);
    // Failed or absurd measurements do not count towards the sixteen.
    const unusable = [0, -1, Number.NaN, Number.POSITIVE_INFINITY].map((measuredMs, i) => ({
      ...(fifteen[i] as SegmentSample),
      measuredMs,
    }));
    expect(fitSegmentCost([...fifteen, ...unusable], FALLBACK)).toBe(FALLBACK);
    // A sixteenth good one is enough.
    expectClose(fitSegmentCost(samplesFrom(truth, 16, 7), FALLBACK), truth, 6);
  });

  it('ignores unusable measurements among enough good ones', () => {
    const truth: SegmentCoefficients = {
      launchMs: 0.2,
      intactRatio: 1.2,
      splitRatio: 1.4,
      perOpMs: 0.02,
      boundaryMsPerMiB: 0.3,
      outputMsPerMiB: 0.05,
      convEdgeMsPerMiB: 0.9,
      perTensorMs: 0.001,
    };
    const good = samplesFrom(truth, 20, 8);
    const bad = good.slice(0, 3).map((sample, i) => ({ ...sample, measuredMs: [0, -5, Number.NaN][i] ?? 0 }));
    expectClose(fitSegmentCost([...good, ...bad], FALLBACK), truth, 6);
  });

  it('keeps the fallback split ratio where no sample cuts a fused group', () => {
    const truth: SegmentCoefficients = {
      launchMs: 0.2,
      intactRatio: 1.2,
      splitRatio: 9, // invisible: cutSoloMs is 0 everywhere
      perOpMs: 0.02,
      boundaryMsPerMiB: 0.3,
      outputMsPerMiB: 0.05,
      convEdgeMsPerMiB: 0.9,
      perTensorMs: 0.002,
    };
    const samples = samplesFrom(truth, 20, 9).map((sample) => {
      const uncut = { ...sample, cutSoloMs: 0 };
      return { ...uncut, measuredMs: predict(truth, uncut) };
    });
    const fitted = fitSegmentCost(samples, FALLBACK);
    expect(fitted.splitRatio).toBe(FALLBACK.splitRatio);
    expectClose(fitted, { ...truth, splitRatio: FALLBACK.splitRatio }, 6);
  });

  it('keeps the fallback intact ratio where no sample holds a fused group whole', () => {
    const truth: SegmentCoefficients = { ...FALLBACK, launchMs: 0.2, intactRatio: 7 };
    const samples = samplesFrom(truth, 20, 10).map((sample) => {
      const cut = { ...sample, intactMs: 0 };
      return { ...cut, measuredMs: predict(truth, cut) };
    });
    const fitted = fitSegmentCost(samples, FALLBACK);
    expectClose(fitted, { ...truth, intactRatio: FALLBACK.intactRatio }, 6);
  });

  it('weighs each sample by its relative error, so small segments count as much as large ones', () => {
    // Only the launch term is identifiable (every feature is 0), so the fit is a weighted mean of
    // the measured times with weights 1/measured^2: launch = sum(m / m^2) / sum(1 / m^2).
    const small = Array.from({ length: 8 }, () => ({ measuredMs: 2 }));
    const large = Array.from({ length: 8 }, () => ({ measuredMs: 1000 }));
    const samples: SegmentSample[] = [...small, ...large].map((s) => ({
      ...s,
      intactMs: 0,
      cutSoloMs: 0,
      ops: 0,
      boundaryMiB: 0,
      outputMiB: 0,
      convEdgeMiB: 0,
      tensors: 0,
    }));
    const weighted = (8 / 2 + 8 / 1000) / (8 / 4 + 8 / 1e6);
    const fitted = fitSegmentCost(samples, FALLBACK);
    expect(fitted.launchMs).toBeCloseTo(weighted, 9);
    // Unweighted least squares would give the plain mean, 501.
    expect(fitted.launchMs).toBeLessThan(2.01);
    expect(fitted).toMatchObject({
      intactRatio: FALLBACK.intactRatio,
      splitRatio: FALLBACK.splitRatio,
      perOpMs: 0,
      boundaryMsPerMiB: 0,
      outputMsPerMiB: 0,
      convEdgeMsPerMiB: 0,
      perTensorMs: 0,
    });
  });
});
