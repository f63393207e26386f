import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timingOf } from './timing.js';

describe('timingOf', () => {
  it('is all zeros for no samples', () => {
    expect(timingOf([])).toEqual({ medianMs: 0, p10Ms: 0, p90Ms: 0, runs: 0 });
  });

  it('is the one sample for a single run', () => {
    expect(timingOf([2.5])).toEqual({ medianMs: 2.5, p10Ms: 2.5, p90Ms: 2.5, runs: 1 });
  });

  it('takes nearest-rank percentiles of 11 shuffled samples', () => {
    // Sorted: 10, 20, ..., 110. Ranks over 10 gaps: p10 -> 1, median -> 5, p90 -> 9.
    const samples = [70, 10, 110, 40, 90, 20, 60, 100, 30, 80, 50];
    expect(timingOf(samples)).toEqual({ medianMs: 60, p10Ms: 20, p90Ms: 100, runs: 11 });
  });

  it('rounds half ranks up: the median of an even count is the upper middle', () => {
    // 4 samples, 3 gaps: median rank 1.5 -> 2, p10 rank 0.3 -> 0, p90 rank 2.7 -> 3.
    expect(timingOf([4, 1, 3, 2])).toEqual({ medianMs: 3, p10Ms: 1, p90Ms: 4, runs: 4 });
  });

  it('leaves the caller’s array as it was', () => {
    const samples = [3, 1, 2];
    timingOf(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('keeps p10 <= median <= p90, each one of the samples, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (samples) => {
          const timing = timingOf(samples);
          expect(timing.runs).toBe(samples.length);
          expect(timing.p10Ms).toBeLessThanOrEqual(timing.medianMs);
          expect(timing.medianMs).toBeLessThanOrEqual(timing.p90Ms);
          for (const value of [timing.p10Ms, timing.medianMs, timing.p90Ms]) expect(samples).toContain(value);
          expect(timingOf([...samples].reverse())).toEqual(timing);
          // At least half the samples are at or below the median, and at least half at or above it.
          expect(2 * samples.filter((x) => x <= timing.medianMs).length).toBeGreaterThanOrEqual(
            samples.length,
          );
          expect(2 * samples.filter((x) => x >= timing.medianMs).length).toBeGreaterThanOrEqual(
            samples.length,
          );
        },
      ),
      { seed: 20240611, numRuns: 200 },
    );
  });
});
