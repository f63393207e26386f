import { describe, expect, it } from 'vitest';
import { lpThroughputBound } from './lp-bound.js';
import type { SearchProblem, SearchTenant } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { TWO_OP_CPU_MS, TWO_OP_GPU_MS, twoOpTenant } from './two-op-fixture.js';

function problem(tenants: SearchTenant[], cpuSlots: number, gpuSlots: number): SearchProblem {
  return { tenants, machine: { cpuSlots, gpuSlots }, objective: 'throughput', seed: 1 };
}

/** Requests/s a pool of `slots` sustains when each request keeps it busy `ms`. */
const saturationPerS = (slots: number, ms: number): number => (1000 * slots) / ms;

describe('lpThroughputBound', () => {
  // Two operators: A 4 ms CPU / 1 ms GPU, B 1 ms CPU / 2 ms GPU; weight 2, 100 requests/s.
  it('matches the hand-computed optimum and bounds all-CPU and all-GPU', async () => {
    const bound = await lpThroughputBound(problem([twoOpTenant()], 1, 1));
    // A on the GPU and B on the CPU busy each pool 1 ms per request; the dual (1, 4) proves no
    // split does better: λ = 1000 / (100 · 1) = 10, bound 10 · 100 · 2.
    expect(bound.lambda).toBeCloseTo(10, 6);
    expect(bound.boundWeightedThroughputPerS).toBeCloseTo(2000, 4);
    expect(bound.offeredBoundPerS).toBeCloseTo(200, 6);
    const cpuMs = TWO_OP_CPU_MS[0] + TWO_OP_CPU_MS[1];
    const gpuMs = TWO_OP_GPU_MS[0] + TWO_OP_GPU_MS[1];
    const allCpuWeightedPerS = 2 * saturationPerS(1, cpuMs); // 400
    const allGpuWeightedPerS = 2 * saturationPerS(1, gpuMs); // 666.7
    expect(bound.boundWeightedThroughputPerS).toBeGreaterThanOrEqual(allCpuWeightedPerS);
    expect(bound.boundWeightedThroughputPerS).toBeGreaterThanOrEqual(allGpuWeightedPerS);
  });

  it('uses fractional splits: two CPU slots take 1/6 of A', async () => {
    // Per unit load: CPU 4(1-a) + (1-b) <= 2T, GPU a + 2b <= T with T = 10/λ; dual (1, 4) gives
    // T >= 5/6 at a = 5/6, b = 0: λ = 12.
    const bound = await lpThroughputBound(problem([twoOpTenant()], 2, 1));
    expect(bound.lambda).toBeCloseTo(12, 6);
    expect(bound.boundWeightedThroughputPerS).toBeCloseTo(2400, 4);
  });

  it('falls to the all-CPU saturation when the GPU is pinned away or absent', async () => {
    const pinned = await lpThroughputBound(problem([twoOpTenant({ gpuAllowed: [false, false] })], 1, 1));
    expect(pinned.boundWeightedThroughputPerS).toBeCloseTo(400, 4);
    const noGpu = await lpThroughputBound(problem([twoOpTenant()], 1, 0));
    expect(noGpu.boundWeightedThroughputPerS).toBeCloseTo(400, 4);
    // B pinned, A free: A to the GPU (1 ms), B on the CPU (1 ms): still 2000.
    const half = await lpThroughputBound(problem([twoOpTenant({ gpuAllowed: [true, false] })], 1, 1));
    expect(half.boundWeightedThroughputPerS).toBeCloseTo(2000, 4);
  });

  it('shares the pools among tenants in proportion to their rates', async () => {
    // Two copies at 100/s each: both pools carry twice the work, λ halves to 5, bound 5 · (200 + 200).
    const bound = await lpThroughputBound(problem([twoOpTenant(), twoOpTenant()], 1, 1));
    expect(bound.lambda).toBeCloseTo(5, 6);
    expect(bound.boundWeightedThroughputPerS).toBeCloseTo(2000, 4);
  });

  it('bounds a synthetic multi-tenant problem, soundly for its unfused analytic profile', async () => {
    const synthetic = syntheticProblem({ tenants: 3, operators: 20, seed: 5, pinnedFraction: 0.2 });
    const bound = await lpThroughputBound(synthetic);
    expect(bound.status).toBe('Optimal');
    expect(bound.lambda).toBeGreaterThan(0);
    expect(Number.isFinite(bound.boundWeightedThroughputPerS)).toBe(true);
    const gpuless = await lpThroughputBound({ ...synthetic, machine: { cpuSlots: 2, gpuSlots: 0 } });
    expect(gpuless.boundWeightedThroughputPerS).toBeLessThanOrEqual(bound.boundWeightedThroughputPerS + 1e-6);
  });
});
