import { describe, expect, it } from 'vitest';
import { ALL, BoundLp, LAMBDA, NONE, type Terms } from './lp-builder.js';
import { chargeSegments, longestPath } from './lp-segments.js';
import { handGraph, handTenant, TWO_OP_GRAPH } from './two-op-fixture.js';

/** in -> A -> t0 -> B -> t1 -> C -> out, and A's t0 also straight to C: a chain with a skip. */
const CHAIN = handGraph('chain', [
  ['A', ['in'], ['t0']],
  ['B', ['t0'], ['t1']],
  ['C', ['t1', 't0'], ['out']],
]);

const TENANT = handTenant(CHAIN, { A: 1, B: 1, C: 1 }, { A: 1, B: 1, C: 1 });
const LAUNCH_MS = 0.5;
const WAIT_MS = 0.25;

/** The GPU's charges for shares fixed by hand (ALL on the GPU, NONE off it). */
function gpuCharges(onGpu: readonly boolean[]): { segments: Terms; gpu: number; cpu: number } {
  const lp = new BoundLp();
  const segments = chargeSegments({
    lp,
    tenant: TENANT,
    t: 0,
    pool: 'gpu:0',
    shareOf: (index) => (onGpu[index] ? ALL : NONE),
    path: longestPath(CHAIN),
    pathFloorMs: () => 1,
    launchMs: LAUNCH_MS,
    runFloorMs: LAUNCH_MS,
    waitFloorMs: WAIT_MS,
    bothPools: true,
  });
  return {
    segments,
    gpu: lp.charges.get('gpu:0')?.get(LAMBDA) ?? 0,
    cpu: lp.charges.get('cpu')?.get(LAMBDA) ?? 0,
  };
}

describe('longestPath', () => {
  it('follows the most operators, in order', () => {
    expect(longestPath(CHAIN)).toEqual([0, 1, 2]);
    expect(longestPath(TWO_OP_GRAPH)).toEqual([0, 1]);
  });
});

describe('chargeSegments', () => {
  it('counts one segment for a run of the pool along the path, a launch and a wait each', () => {
    const { segments, gpu, cpu } = gpuCharges([true, true, true]);
    expect(segments).toEqual(ALL);
    expect(gpu).toBeCloseTo(TENANT.ratePerS * LAUNCH_MS, 12);
    expect(cpu).toBeCloseTo(TENANT.ratePerS * WAIT_MS, 12);
  });

  it('counts two where an operator of the other pool parts the path', () => {
    const { segments, gpu, cpu } = gpuCharges([true, false, true]);
    expect(segments.every(([, name]) => name === LAMBDA)).toBe(true);
    expect(segments.reduce((sum, [coefficient]) => sum + coefficient, 0)).toBe(2);
    expect(gpu).toBeCloseTo(2 * TENANT.ratePerS * LAUNCH_MS, 12);
    expect(cpu).toBeCloseTo(2 * TENANT.ratePerS * WAIT_MS, 12);
  });

  it('charges nothing where the tenant runs nothing on the pool', () => {
    expect(gpuCharges([false, false, false])).toEqual({ segments: NONE, gpu: 0, cpu: 0 });
  });
});
