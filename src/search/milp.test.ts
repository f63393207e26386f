import { describe, expect, it } from 'vitest';
import type { AdditiveInstance } from './additive.js';
import { solveBruteForce } from './additive-brute.js';
import { randomChain, randomDag } from './additive-random.js';
import { solveChainDp } from './chain-dp.js';
import { milpVariableCount, solveAdditiveMilp } from './milp.js';

describe('solveAdditiveMilp', () => {
  it('equals brute force on random DAGs of up to 12 operators', async () => {
    for (const n of [1, 2, 5, 8, 10, 12])
      for (const seed of [1, 2, 3]) {
        const instance = randomDag(n, seed * 1000 + n, { tenants: 2, pinnedFraction: 0.2 });
        const milp = await solveAdditiveMilp(instance);
        const brute = solveBruteForce(instance);
        expect(milp.optimal).toBe(true);
        expect(milp.score, `n=${n} seed=${seed}`).toBeCloseTo(brute.score, 6);
      }
  });

  it('equals chain DP on chains', async () => {
    for (const seed of [4, 5, 6]) {
      const instance = randomChain(40, seed, { tenants: 2 });
      const milp = await solveAdditiveMilp(instance);
      expect(milp.score).toBeCloseTo(solveChainDp(instance).score, 6);
    }
  });

  it('never puts a pinned operator on the GPU, however cheap it is there', async () => {
    const instance: AdditiveInstance = {
      tenants: [
        {
          weight: 1,
          cpuMs: [10, 100, 10],
          gpuMs: [1, 0, 1],
          gpuAllowed: [true, false, true],
          edges: [
            { from: 0, to: 1, cpuToGpuMs: 1, gpuToCpuMs: 1 },
            { from: 1, to: 2, cpuToGpuMs: 1, gpuToCpuMs: 1 },
          ],
        },
      ],
    };
    const { assignment, score } = await solveAdditiveMilp(instance);
    // Both free operators go to the GPU, each paying one switch: 1 + 1 + 100 + 1 + 1.
    expect(Array.from(assignment[0] ?? [])).toEqual([1, 0, 1]);
    expect(score).toBeCloseTo(-104, 9);
  });

  it('leaves a weightless tenant on the CPU', async () => {
    const instance = randomDag(6, 1);
    const tenant = instance.tenants[0];
    if (!tenant) throw new Error('no tenant');
    const { assignment } = await solveAdditiveMilp({ tenants: [{ ...tenant, weight: 0 }] });
    expect(Array.from(assignment[0] ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses instances beyond its variable cap, saying how many', async () => {
    const instance = randomDag(200, 1, { pinnedFraction: 0 });
    const variables = milpVariableCount(instance);
    expect(variables).toBeGreaterThan(400);
    await expect(solveAdditiveMilp(instance)).rejects.toThrow(
      `${variables} variables, more than the limit of 400`,
    );
  });
});
