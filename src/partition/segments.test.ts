import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphIR } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { type SynthKind, synthModel } from '../synth/index.js';
import { expandPlacement, type Placement } from './placement-spec.js';
import type { ProcessorId } from './processor.js';
import { type Segment, segmentGraph, segmentPlaced } from './segments.js';

const graphs = new Map<string, GraphIR>();
function synthGraph(kind: SynthKind, operators: number, seed: number): GraphIR {
  const key = `${kind}/${operators}/${seed}`;
  let graph = graphs.get(key);
  if (!graph) {
    graph = buildGraph(decodeModel(synthModel({ kind, operators, seed }).bytes));
    graphs.set(key, graph);
  }
  return graph;
}

/** Checks every structural promise of a segmentation; returns the segment -> successors map. */
function checkSegments(
  graph: GraphIR,
  placement: Placement,
  segments: readonly Segment[],
): Map<number, Set<number>> {
  const segmentOf = new Map<number, number>();
  for (const segment of segments) {
    for (const op of segment.ops) {
      expect(segmentOf.has(op)).toBe(false);
      segmentOf.set(op, segment.id);
      expect(placement[graph.ops[op]?.id ?? '']).toBe(segment.processor);
    }
  }
  expect(segmentOf.size).toBe(graph.ops.length);
  const successors = new Map<number, Set<number>>(segments.map((segment) => [segment.id, new Set<number>()]));
  for (const op of graph.ops) {
    const to = segmentOf.get(op.index) ?? -1;
    for (const name of [...op.inputs, ...op.implicitInputs]) {
      const producer = graph.tensors[name]?.producer;
      if (producer === null || producer === undefined) continue;
      const from = segmentOf.get(producer) ?? -1;
      if (from === to) continue;
      // Ids are a topological order: every cross-segment read goes forward...
      expect(from).toBeLessThan(to);
      successors.get(from)?.add(to);
      // ...and is declared: the producer lists it as an output, the reader as an input.
      expect(segments[from]?.outputs).toContain(name);
      expect(segments[to]?.inputs).toContain(name);
    }
  }
  for (const name of graph.outputs) {
    const producer = graph.tensors[name]?.producer;
    if (producer !== null && producer !== undefined)
      expect(segments[segmentOf.get(producer) ?? -1]?.outputs).toContain(name);
  }
  return successors;
}

/** Maximality: a same-processor edge A -> B survives only if another path A -> ... -> B exists. */
function checkMaximal(segments: readonly Segment[], successors: Map<number, Set<number>>): void {
  const reaches = (from: number, to: number, skipDirect: boolean): boolean => {
    const stack = [...(successors.get(from) ?? [])].filter((next) => !(skipDirect && next === to));
    const seen = new Set(stack);
    while (stack.length > 0) {
      const current = stack.pop() ?? -1;
      if (current === to) return true;
      for (const next of successors.get(current) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    return false;
  };
  for (const segment of segments) {
    for (const next of successors.get(segment.id) ?? []) {
      if (segments[next]?.processor === segment.processor) expect(reaches(segment.id, next, true)).toBe(true);
    }
  }
}

describe('segmentGraph', () => {
  it('keeps a single-processor graph in one segment', () => {
    const graph = synthGraph('mixed', 120, 1);
    const segments = segmentGraph(graph, expandPlacement(graph, { kind: 'all', processor: 'cpu' }));
    expect(segments).toHaveLength(1);
    expect(segments[0]?.inputs).toEqual(graph.inputs);
    expect(segments[0]?.outputs).toEqual(graph.outputs);
  });

  it('splits a chain at every change of processor', () => {
    const graph = synthGraph('chain', 12, 3);
    const placement: Record<string, ProcessorId> = {};
    graph.ops.forEach((op, i) => {
      placement[op.id] = i < 4 || i >= 8 ? 'cpu' : 'gpu:0';
    });
    const segments = segmentGraph(graph, placement);
    expect(segments.map((segment) => [segment.processor, segment.ops.length])).toEqual([
      ['cpu', 4],
      ['gpu:0', 4],
      ['cpu', 4],
    ]);
  });

  it('merges same-processor branches that meet again after leaving another processor', () => {
    // g (gpu) fans out to two CPU branches that join: one CPU segment, not two.
    const graph = synthGraph('branches', 14, 5);
    const placement = expandPlacement(graph, { kind: 'all', processor: 'cpu' }) as Record<
      string,
      ProcessorId
    >;
    const first = graph.ops[0];
    if (first) placement[first.id] = 'gpu:0';
    const segments = segmentGraph(graph, placement);
    checkMaximal(segments, checkSegments(graph, placement, segments));
    expect(segments.filter((segment) => segment.processor === 'cpu').length).toBe(1);
  });

  it('holds its invariants for random placements on every synthetic shape, by name and by index (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<SynthKind>('chain', 'branches', 'residual', 'attention', 'mixed'),
        fc.integer({ min: 3, max: 160 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (kind, operators, graphSeed, placementSeed) => {
          const graph = synthGraph(kind, operators, graphSeed % 7);
          const placement = expandPlacement(graph, { kind: 'random', seed: placementSeed });
          const segments = segmentGraph(graph, placement);
          checkMaximal(segments, checkSegments(graph, placement, segments));
          expect(segmentGraph(graph, placement)).toEqual(segments);
          // The search's path, by operator index, cuts the same segments.
          const byIndex = segmentPlaced(graph, (index) => placement[graph.ops[index]?.id ?? ''] ?? 'cpu');
          expect(byIndex).toEqual(segments);
        },
      ),
      { numRuns: 120, seed: 20261122 },
    );
  });
});
