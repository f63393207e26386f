import type { Timing } from '../cost/index.js';

/** Median and 10th/90th percentiles of repeated measurements, in ms. */
export function timingOf(samplesMs: readonly number[]): Timing {
  if (samplesMs.length === 0) return { medianMs: 0, p10Ms: 0, p90Ms: 0, runs: 0 };
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] ?? 0;
  return { medianMs: at(0.5), p10Ms: at(0.1), p90Ms: at(0.9), runs: sorted.length };
}
