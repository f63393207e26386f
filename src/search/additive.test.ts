import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { type AdditiveInstance, AdditiveObjective, validateAdditive, weightedLatencyMs } from './additive.js';
import { solveBruteForce } from './additive-brute.js';
import { randomChain, randomDag } from './additive-random.js';
import { allCpu, allGpu } from './problem.js';

const HAND: AdditiveInstance = {
  tenants: [
    {
      weight: 2,
      cpuMs: [1, 5, 1],
      gpuMs: [3, 1, Infinity],
      gpuAllowed: [true, true, false],
      edges: [
        { from: 0, to: 1, cpuToGpuMs: 0.5, gpuToCpuMs: 0.25 },
        { from: 1, to: 2, cpuToGpuMs: 0.75, gpuToCpuMs: 0.125 },
      ],
    },
  ],
};

describe('AdditiveObjective', () => {
  it('scores minus the weighted sequential latency, switch costs by direction', () => {
    const objective = new AdditiveObjective(HAND);
    // CPU, GPU, CPU: 1 + 1 + 1 + 0.5 (CPU->GPU) + 0.125 (GPU->CPU), times weight 2.
    expect(objective.score([Uint8Array.from([0, 1, 0])])).toBeCloseTo(-2 * 3.625, 12);
    // GPU, GPU, CPU: 3 + 1 + 1 + 0.125.
    expect(objective.score([Uint8Array.from([1, 1, 0])])).toBeCloseTo(-2 * 5.125, 12);
    expect(objective.score(allCpu(objective.sizes))).toBeCloseTo(-2 * 7, 12);
    expect(objective.evaluations).toBe(3);
  });

  it('prices an operator on a GPU that may not take it at -Infinity and reports gpuAllowed', () => {
    const objective = new AdditiveObjective(HAND);
    expect(objective.gpuAllowed).toEqual([[true, true, false]]);
    expect(objective.score([Uint8Array.from([0, 0, 1])])).toBe(-Infinity);
    // allGpu honours the pin, so it is finite.
    expect(Number.isFinite(objective.score(allGpu(objective.gpuAllowed)))).toBe(true);
  });

  it('rejects malformed instances with a coded message', () => {
    const bad = (tenant: Partial<AdditiveInstance['tenants'][number]>): AdditiveInstance => ({
      tenants: [{ ...(HAND.tenants[0] as AdditiveInstance['tenants'][number]), ...tenant }],
    });
    const expectInvalid = (instance: AdditiveInstance, message: RegExp): void => {
      let caught: unknown;
      try {
        validateAdditive(instance);
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HetschedError);
      expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
      expect((caught as HetschedError).message).toMatch(message);
    };
    expectInvalid(bad({ gpuMs: [1, 1] }), /differ in length/);
    expectInvalid(bad({ cpuMs: [1, -1, 1] }), /cpuMs\[1\]/);
    expectInvalid(bad({ edges: [{ from: 0, to: 3, cpuToGpuMs: 0, gpuToCpuMs: 0 }] }), /outside 0\.\.2/);
    expectInvalid(bad({ edges: [{ from: 1, to: 1, cpuToGpuMs: 0, gpuToCpuMs: 0 }] }), /self-loop/);
    expectInvalid(bad({ weight: -1 }), /weight/);
    expect(() => weightedLatencyMs(HAND, [new Uint8Array(2)])).toThrow(/2 operators, the instance 3/);
  });
});

describe('random instances', () => {
  it('are the same for the same seed and differ across seeds', () => {
    expect(randomDag(10, 7, { tenants: 2 })).toEqual(randomDag(10, 7, { tenants: 2 }));
    expect(randomDag(10, 7)).not.toEqual(randomDag(10, 8));
    expect(randomChain(10, 7)).toEqual(randomChain(10, 7));
  });

  it('give chains their n-1 edges and DAGs edges that point forward, with branches', () => {
    const chain = randomChain(9, 1).tenants[0];
    expect(chain?.edges.map((edge) => [edge.from, edge.to])).toEqual(
      [...Array(8).keys()].map((i) => [i, i + 1]),
    );
    let skips = 0;
    for (let seed = 0; seed < 10; seed++)
      for (const edge of randomDag(12, seed).tenants[0]?.edges ?? []) {
        expect(edge.from).toBeLessThan(edge.to);
        if (edge.to - edge.from > 1) skips++;
      }
    expect(skips).toBeGreaterThan(10);
  });

  it('are not trivial: most optima beat both all-CPU and all-GPU', () => {
    for (const generate of [randomDag, randomChain]) {
      let beaten = 0;
      for (let seed = 0; seed < 20; seed++) {
        const instance = generate(10, seed);
        const objective = new AdditiveObjective(instance);
        const simpleBest = Math.max(
          objective.score(allCpu(objective.sizes)),
          objective.score(allGpu(objective.gpuAllowed)),
        );
        if (solveBruteForce(instance).score > simpleBest + 1e-9) beaten++;
      }
      expect(beaten, generate.name).toBeGreaterThanOrEqual(16);
    }
  });
});
