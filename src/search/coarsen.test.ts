import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import { expandBlocks, type TenantBlocks } from './blocks.js';
import { coarsen } from './coarsen.js';
import { ON_CPU, ON_GPU } from './problem.js';
import { randomDag, syntheticDag } from './test-dag.js';

function pinnedMask(rng: Rng, count: number, probability: number): boolean[] {
  return Array.from({ length: count }, () => !rng.bool(probability));
}

/** Every op-level dependency must go forward in the block numbering, and the numbering be a DAG's. */
function checkAcyclic(graph: GraphIR, blocks: TenantBlocks): void {
  for (const op of graph.ops) {
    for (const name of op.inputs) {
      const producer = graph.tensors[name]?.producer;
      if (producer === null || producer === undefined) continue;
      const from = blocks.blockOfOp[producer] as number;
      const to = blocks.blockOfOp[op.index] as number;
      expect(from).toBeLessThanOrEqual(to);
    }
  }
  for (const edge of blocks.edges) expect(edge.from).toBeLessThan(edge.to);
}

describe('coarsen', () => {
  const cases = [
    { seed: 1, ops: 300, pinned: 0 },
    { seed: 2, ops: 300, pinned: 0.1 },
    { seed: 3, ops: 120, pinned: 0.4 },
    { seed: 4, ops: 765, pinned: 0.05 },
  ];

  it.each(cases)('seed $seed, $ops ops, pinned $pinned: a partition into an acyclic block graph', (c) => {
    const rng = new Rng(c.seed);
    const graph = randomDag(rng, c.ops);
    const allowed = pinnedMask(rng, c.ops, c.pinned);
    const blocks = coarsen(graph, allowed, { maxBlocksPerTenant: 32 });

    const seen = new Int32Array(c.ops);
    blocks.blocks.forEach((block, b) => {
      for (const op of block.ops) {
        seen[op] = (seen[op] as number) + 1;
        expect(blocks.blockOfOp[op]).toBe(b);
        // The pinned rule: a block is wholly movable or wholly pinned.
        expect(allowed[op]).toBe(block.gpuAllowed);
      }
    });
    expect([...seen].every((count) => count === 1)).toBe(true);
    checkAcyclic(graph, blocks);
    if (c.pinned === 0) expect(blocks.blocks.length).toBeLessThanOrEqual(32);
    // Scattered pinned ops split blocks (the pinned rule), so the bound loosens with them.
    expect(blocks.blocks.length).toBeLessThan(c.ops * (0.3 + c.pinned));
  });

  it('is deterministic', () => {
    const run = () => {
      const rng = new Rng(9);
      const graph = randomDag(rng, 200);
      return coarsen(graph, pinnedMask(rng, 200, 0.1), { maxBlocksPerTenant: 20 });
    };
    const a = run();
    const b = run();
    expect(a.blocks).toEqual(b.blocks);
    expect([...a.blockOfOp]).toEqual([...b.blockOfOp]);
    expect(a.edges).toEqual(b.edges);
  });

  it('cuts where few bytes cross: two heavy stages joined by a thin tensor', () => {
    // 0-4: a chain with fat tensors; 5-9: another; 4 -> 5 is thin. Two blocks must split at 4|5.
    const ops = Array.from({ length: 10 }, (_, i) => ({
      inputs: [i - 1, ...(i >= 2 && i !== 5 ? [i - 2] : [])],
      flops: 1e6,
      bytesOut: i === 4 ? 10 : 1e6,
    }));
    const blocks = coarsen(syntheticDag(ops), Array(10).fill(true), { maxBlocksPerTenant: 2 });
    expect(blocks.blocks.map((b) => b.ops)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
    expect(blocks.edges).toEqual([{ from: 0, to: 1, bytes: 10 }]);
    expect(blocks.blocks[1]?.bytesIn).toBe(10);
    expect(blocks.blocks[0]?.bytesIn).toBe(1024); // the graph input
  });

  it('never merges a diamond into a cycle', () => {
    // 0 -> 1 -> 3, 0 -> 2 -> 3: merging 0 with 3 directly would be cyclic; here only legal merges.
    const ops = [
      { inputs: [-1], flops: 1, bytesOut: 100 },
      { inputs: [0], flops: 1e9, bytesOut: 100 },
      { inputs: [0], flops: 1e9, bytesOut: 100 },
      { inputs: [1, 2], flops: 1, bytesOut: 100 },
    ];
    const graph = syntheticDag(ops);
    for (const target of [1, 2, 3]) {
      const blocks = coarsen(graph, [true, true, true, true], { maxBlocksPerTenant: target });
      expect(blocks.blocks.length).toBe(target);
      checkAcyclic(graph, blocks);
    }
  });

  it('splits a long chain instead of collapsing it into one block', () => {
    const ops = Array.from({ length: 200 }, (_, i) => ({ inputs: [i - 1], flops: 1e6, bytesOut: 4096 }));
    const blocks = coarsen(syntheticDag(ops), Array(200).fill(true), { maxBlocksPerTenant: 16 });
    expect(blocks.blocks.length).toBe(16);
    const sizes = blocks.blocks.map((b) => b.ops.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(26);
  });

  it('expands block sides to operators, keeping pinned blocks on the CPU', () => {
    const rng = new Rng(5);
    const graph = randomDag(rng, 80);
    const allowed = pinnedMask(rng, 80, 0.3);
    const blocks = coarsen(graph, allowed, { maxBlocksPerTenant: 10 });
    const sides = new Uint8Array(blocks.blocks.length).fill(ON_GPU);
    const [ops] = expandBlocks([blocks], [sides]);
    expect(ops).toBeDefined();
    for (let op = 0; op < 80; op++) expect(ops?.[op]).toBe(allowed[op] ? ON_GPU : ON_CPU);
  });

  it('rejects a bad target', () => {
    expect(() =>
      coarsen(syntheticDag([{ inputs: [-1], flops: 1, bytesOut: 1 }]), [true], { maxBlocksPerTenant: 0 }),
    ).toThrow(/maxBlocksPerTenant must be an integer >= 1/);
  });
});
