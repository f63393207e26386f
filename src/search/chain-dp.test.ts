import { describe, expect, it } from 'vitest';
import { type AdditiveInstance, weightedLatencyMs } from './additive.js';
import { solveBruteForce } from './additive-brute.js';
import { randomChain, randomDag } from './additive-random.js';
import { solveChainDp } from './chain-dp.js';

describe('solveChainDp', () => {
  it('equals brute force on random chains of up to 14 operators', () => {
    for (let n = 1; n <= 14; n++)
      for (const seed of [1, 2]) {
        const instance = randomChain(n, seed * 100 + n, { tenants: 2, pinnedFraction: 0.2 });
        const dp = solveChainDp(instance);
        const brute = solveBruteForce(instance);
        expect(dp.score, `n=${n} seed=${seed}`).toBeCloseTo(brute.score, 9);
        expect(dp.score).toBeCloseTo(-weightedLatencyMs(instance, dp.assignment), 12);
      }
  });

  it('never puts a pinned operator on the GPU, however cheap it is there', () => {
    const instance: AdditiveInstance = {
      tenants: [
        {
          weight: 1,
          cpuMs: [1, 100, 1],
          gpuMs: [1, 0, 1],
          gpuAllowed: [true, false, true],
          edges: [
            { from: 0, to: 1, cpuToGpuMs: 0, gpuToCpuMs: 0 },
            { from: 1, to: 2, cpuToGpuMs: 0, gpuToCpuMs: 0 },
          ],
        },
      ],
    };
    const { assignment, score } = solveChainDp(instance);
    expect(Array.from(assignment[0] ?? [])[1]).toBe(0);
    expect(score).toBe(-102);
  });

  it('follows a chain whose path does not run in index order', () => {
    const base = randomChain(6, 9).tenants[0];
    if (!base) throw new Error('no tenant');
    // Path 5 -> 4 -> ... -> 0: the same edges reversed and listed backwards.
    const reversed: AdditiveInstance = {
      tenants: [
        { ...base, edges: base.edges.map((edge) => ({ ...edge, from: edge.to, to: edge.from })).reverse() },
      ],
    };
    expect(solveChainDp(reversed).score).toBeCloseTo(solveBruteForce(reversed).score, 9);
  });

  it('refuses a graph that is not a chain, saying why', () => {
    const dag = randomDag(8, 3, { branchProbability: 1 });
    expect(() => solveChainDp(dag)).toThrow(/tenant 0 is not a chain/);
    const base = randomChain(4, 1).tenants[0];
    if (!base) throw new Error('no tenant');
    const cycle: AdditiveInstance = {
      tenants: [
        { ...base, edges: [...base.edges.slice(0, 2), { from: 2, to: 0, cpuToGpuMs: 0, gpuToCpuMs: 0 }] },
      ],
    };
    expect(() => solveChainDp(cycle)).toThrow(/two inputs|without an input|cycle/);
  });
});
