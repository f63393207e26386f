import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { type AdditiveInstance, AdditiveObjective, validateAdditive, weightedLatencyMs } from './additive.js';
import { solveBruteForce } from './additive-brute.js';
import { additiveFromCostModel } from './additive-from-cost.js';
import { randomChain, randomDag } from './additive-random.js';
import { allCpu, allGpu } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { TWO_OP_GRAPH, twoOpTenant } from './two-op-fixture.js';

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

describe('additiveFromCostModel', () => {
  it('prices the hand-built tenant as worked out by hand', () => {
    const tenant = additiveFromCostModel(twoOpTenant());
    // 1 MiB over the H100 host's link: 0.015 + 0.016384 ms each way; hand-off 0.03 + 0.1 ms, twice.
    const copyMs = 0.015 + 0.016384;
    expect(tenant.cpuMs).toEqual([4, 1]);
    expect(tenant.gpuMs[0]).toBeCloseTo(1 + copyMs, 12); // the request input goes to the device
    expect(tenant.gpuMs[1]).toBeCloseTo(2 + copyMs, 12); // the graph output comes back
    expect(tenant.edges).toHaveLength(1);
    const edge = tenant.edges[0];
    // dispatch 0.05 + fitted launch 0.5 + 2 hand-offs + one copy.
    expect(edge?.cpuToGpuMs).toBeCloseTo(0.05 + 0.5 + 0.26 + copyMs, 12);
    expect(edge?.gpuToCpuMs).toBeCloseTo(0.05 + 0.5 + 0.26 + copyMs, 12);
    expect(tenant.weight).toBe(2);
    expect(TWO_OP_GRAPH.ops).toHaveLength(2);
  });

  it('keeps pinned operators off the GPU and the graph shape of a synthetic tenant', () => {
    const problem = syntheticProblem({ tenants: 1, operators: 12, seed: 3, pinnedFraction: 0.3 });
    const source = problem.tenants[0];
    if (!source) throw new Error('no tenant');
    const tenant = additiveFromCostModel(source);
    expect(tenant.cpuMs).toHaveLength(source.graph.ops.length);
    expect(tenant.gpuAllowed).toEqual(source.gpuAllowed);
    expect(source.gpuAllowed.includes(false)).toBe(true);
    for (const edge of tenant.edges) expect(edge.from).toBeLessThan(edge.to);
    expect(tenant.edges.length).toBeGreaterThanOrEqual(source.graph.ops.length - 1);
    expect(() => validateAdditive({ tenants: [tenant] })).not.toThrow();
  });
});
