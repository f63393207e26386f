import { describe, expect, it } from 'vitest';
import type { AdditiveInstance } from './additive.js';
import { additiveBlockCosts, graphOfAdditive } from './additive-graph.js';
import { randomDag } from './additive-random.js';
import type { Block } from './blocks.js';

/** Producer -> consumer pairs of a graph's tensors, as "from>to". */
function tensorEdges(graph: ReturnType<typeof graphOfAdditive>): Set<string> {
  const edges = new Set<string>();
  for (const tensor of Object.values(graph.tensors)) {
    if (tensor.producer === null) continue;
    for (const consumer of tensor.consumers) edges.add(`${tensor.producer}>${consumer}`);
  }
  return edges;
}

function block(ops: number[]): Block {
  return { ops, gpuAllowed: true, flops: 0, bytesIn: 0, bytesOut: 0 };
}

/** Round numbers that can be added up by hand. */
const HAND: AdditiveInstance = {
  tenants: [
    {
      weight: 1,
      cpuMs: [1, 2, 3, 4],
      gpuMs: [0.5, Number.POSITIVE_INFINITY, 0.25, 2],
      gpuAllowed: [true, false, true, true],
      edges: [
        { from: 0, to: 1, cpuToGpuMs: 0.1, gpuToCpuMs: 0.1 },
        { from: 1, to: 2, cpuToGpuMs: 0.1, gpuToCpuMs: 0.1 },
        { from: 0, to: 3, cpuToGpuMs: 0.1, gpuToCpuMs: 0.1 },
      ],
    },
    { weight: 2, cpuMs: [10, 20], gpuMs: [1, 3], gpuAllowed: [true, true], edges: [] },
  ],
};

describe('graphOfAdditive', () => {
  it.each([1, 2, 3])(
    'has one operator per additive operator and a tensor edge per additive edge (seed %i)',
    (seed) => {
      const instance = randomDag(25, seed, { tenants: 2 });
      for (const tenant of instance.tenants) {
        const graph = graphOfAdditive(tenant);
        expect(graph.ops.length).toBe(tenant.cpuMs.length);
        expect(graph.ops.map((op) => op.index)).toEqual(tenant.cpuMs.map((_, i) => i));
        const expected = new Set(tenant.edges.map((edge) => `${edge.from}>${edge.to}`));
        expect(tensorEdges(graph)).toEqual(expected);
      }
    },
  );

  it('feeds operators without predecessors from the graph input and follows CPU time in flops', () => {
    const tenant = HAND.tenants[0];
    if (!tenant) throw new Error('no tenant');
    const graph = graphOfAdditive(tenant);
    expect(tensorEdges(graph)).toEqual(new Set(['0>1', '1>2', '0>3']));
    const inputConsumers = graph.inputs.flatMap((name) => graph.tensors[name]?.consumers ?? []);
    expect(inputConsumers).toEqual([0]);
    // cpuMs 1 < 2 < 3 < 4: heavier operators have more compute.
    const flops = graph.ops.map((op) => op.flops ?? 0);
    for (let i = 1; i < flops.length; i++) expect(flops[i]).toBeGreaterThan(flops[i - 1] ?? Infinity);
  });
});

describe('additiveBlockCosts', () => {
  const costs = additiveBlockCosts(HAND);

  it('sums the operators of a block on each side', () => {
    expect(costs(0, block([0, 2]))).toEqual({ cpuMs: 1 + 3, gpuMs: 0.5 + 0.25 });
    expect(costs(0, block([0, 2, 3]))).toEqual({ cpuMs: 8, gpuMs: 2.75 });
    expect(costs(1, block([0, 1]))).toEqual({ cpuMs: 30, gpuMs: 4 });
  });

  it('prices a block the GPU cannot take at Infinity there', () => {
    expect(costs(0, block([1]))).toEqual({ cpuMs: 2, gpuMs: Number.POSITIVE_INFINITY });
    expect(costs(0, block([0, 1, 2]))).toEqual({ cpuMs: 6, gpuMs: Number.POSITIVE_INFINITY });
  });
});
