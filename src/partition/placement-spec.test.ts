import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { buildGraph, type GraphIR } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { type SynthKind, synthModel } from '../synth/index.js';
import {
  expandPlacement,
  formatPlacementSpec,
  type Placement,
  type PlacementSpec,
  parsePlacementSpec,
} from './placement-spec.js';
import { segmentGraph } from './segments.js';

const graphs = new Map<string, GraphIR>();
function synthGraph(kind: SynthKind, operators: number, seed = 1): GraphIR {
  const key = `${kind}/${operators}/${seed}`;
  let graph = graphs.get(key);
  if (!graph) {
    graph = buildGraph(decodeModel(synthModel({ kind, operators, seed }).bytes));
    graphs.set(key, graph);
  }
  return graph;
}

/** Processors in topological order of the ops. */
function inOrder(graph: GraphIR, placement: Placement): string[] {
  return graph.ops.map((op) => placement[op.id] ?? 'missing');
}

/** Lengths of the maximal runs of equal values. */
function runs(values: readonly string[]): { value: string; length: number }[] {
  const result: { value: string; length: number }[] = [];
  for (const value of values) {
    const last = result[result.length - 1];
    if (last && last.value === value) last.length++;
    else result.push({ value, length: 1 });
  }
  return result;
}

describe('parsePlacementSpec', () => {
  it.each<[string, PlacementSpec]>([
    ['all-cpu', { kind: 'all', processor: 'cpu' }],
    ['', { kind: 'all', processor: 'cpu' }],
    ['  all-cpu ', { kind: 'all', processor: 'cpu' }],
    ['all-gpu', { kind: 'all', processor: 'gpu:0' }],
    ['random:7', { kind: 'random', seed: 7 }],
    ['random:-12', { kind: 'random', seed: -12 }],
    ['random:0', { kind: 'random', seed: 0 }],
    ['random:7@cpu,cpu:1', { kind: 'random', seed: 7, processors: ['cpu', 'cpu:1'] }],
    ['random:3@gpu:0,cpu,gpu:0', { kind: 'random', seed: 3, processors: ['gpu:0', 'cpu'] }],
    ['random:3@gpu:1', { kind: 'random', seed: 3, processors: ['gpu:1'] }],
    ['chunks:4', { kind: 'chunks', count: 4 }],
    ['chunks:1', { kind: 'chunks', count: 1 }],
    ['chunks:99999', { kind: 'chunks', count: 99999 }],
  ])('reads %j', (text, spec) => {
    expect(parsePlacementSpec(text)).toEqual(spec);
  });

  it.each([
    'all',
    'all-tpu',
    'random',
    'random:',
    'random:x',
    'random:1.5',
    'random:7@',
    'random:99999999999999999999',
    'chunks:0',
    'chunks:-1',
    'chunks:100000',
    'chunks:04',
    'plan.json',
  ])('rejects %j as INVALID_ARGUMENT, listing the forms', (text) => {
    const error = thrown(() => parsePlacementSpec(text));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe(
      `placement '${text}' is not one of: all-cpu, all-gpu, random:SEED[@P1,P2,...], chunks:K, or a plan`,
    );
  });

  it.each([
    ['random:7@cpu,tpu:0', 'tpu:0'],
    ['random:7@cpu,,gpu:0', ''],
    ['random:7@gpu:01', 'gpu:01'],
  ])('rejects %j naming the processor that is not one', (text, bad) => {
    const error = thrown(() => parsePlacementSpec(text));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe(`'${bad}' is not a processor; use 'cpu', 'cpu:N' or 'gpu:N'`);
  });
});

describe('formatPlacementSpec', () => {
  it.each<[PlacementSpec, string]>([
    [{ kind: 'all', processor: 'cpu' }, 'all-cpu'],
    [{ kind: 'all', processor: 'gpu:0' }, 'all-gpu'],
    [{ kind: 'all', processor: 'gpu:1' }, 'all-gpu:1'],
    [{ kind: 'random', seed: 7 }, 'random:7'],
    [{ kind: 'random', seed: -3, processors: ['cpu', 'cpu:1'] }, 'random:-3@cpu,cpu:1'],
    [{ kind: 'chunks', count: 8 }, 'chunks:8'],
    [{ kind: 'explicit', placement: { a: 'cpu' } }, 'explicit'],
  ])('writes %j as %s', (spec, text) => {
    expect(formatPlacementSpec(spec)).toBe(text);
  });

  it('is read back as the same spec', () => {
    const processor = fc.constantFrom('cpu' as const, 'cpu:1' as const, 'gpu:0' as const, 'gpu:2' as const);
    const spec = fc.oneof(
      fc.constantFrom<PlacementSpec>({ kind: 'all', processor: 'cpu' }, { kind: 'all', processor: 'gpu:0' }),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map((seed): PlacementSpec => ({ kind: 'random', seed })),
      fc
        .tuple(fc.integer(), fc.uniqueArray(processor, { minLength: 1 }))
        .map(([seed, processors]): PlacementSpec => ({ kind: 'random', seed, processors })),
      fc.integer({ min: 1, max: 99999 }).map((count): PlacementSpec => ({ kind: 'chunks', count })),
    );
    fc.assert(
      fc.property(spec, (value) => {
        expect(parsePlacementSpec(formatPlacementSpec(value))).toEqual(value);
      }),
    );
  });
});

describe('expandPlacement', () => {
  const graph = synthGraph('branches', 40);

  it('places every operator on the one processor of an all-spec', () => {
    for (const processor of ['cpu', 'gpu:0', 'cpu:1'] as const) {
      const placement = expandPlacement(graph, { kind: 'all', processor });
      expect(Object.keys(placement).sort()).toEqual(graph.ops.map((op) => op.id).sort());
      expect(new Set(Object.values(placement))).toEqual(new Set([processor]));
    }
  });

  it('draws a random placement that depends only on the seed', () => {
    const first = expandPlacement(graph, { kind: 'random', seed: 7 });
    expect(expandPlacement(graph, { kind: 'random', seed: 7 })).toEqual(first);
    expect(Object.keys(first).sort()).toEqual(graph.ops.map((op) => op.id).sort());
    // Default processors: the CPU and the first GPU, both used on 40 operators.
    expect(new Set(Object.values(first))).toEqual(new Set(['cpu', 'gpu:0']));
    const seeds = Array.from({ length: 10 }, (_, seed) =>
      JSON.stringify(inOrder(graph, expandPlacement(graph, { kind: 'random', seed }))),
    );
    expect(new Set(seeds).size).toBe(10);
  });

  it('draws from the processors a random spec names, only', () => {
    const placement = expandPlacement(graph, { kind: 'random', seed: 7, processors: ['cpu', 'cpu:1'] });
    expect(new Set(Object.values(placement))).toEqual(new Set(['cpu', 'cpu:1']));
    const single = expandPlacement(graph, { kind: 'random', seed: 7, processors: ['gpu:1'] });
    expect(new Set(Object.values(single))).toEqual(new Set(['gpu:1']));
  });

  it('is deterministic per seed for any seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const spec: PlacementSpec = { kind: 'random', seed };
        expect(expandPlacement(graph, spec)).toEqual(expandPlacement(graph, spec));
      }),
      { numRuns: 30 },
    );
  });

  it('cuts chunks:K into K contiguous runs of near-equal size, alternating cpu and cpu:1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 40 }), (operators, count) => {
        const chain = synthGraph('chain', operators);
        const processors = inOrder(chain, expandPlacement(chain, { kind: 'chunks', count }));
        const found = runs(processors);
        expect(found).toHaveLength(Math.min(count, operators));
        found.forEach(({ value }, i) => {
          expect(value).toBe(i % 2 === 0 ? 'cpu' : 'cpu:1');
        });
        const lengths = found.map(({ length }) => length);
        expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });

  it('chunks:4 of a 9-operator chain gives 4 CPU-only segments (regression: was 3)', () => {
    const chain = synthGraph('chain', 9);
    const placement = expandPlacement(chain, { kind: 'chunks', count: 4 });
    expect(inOrder(chain, placement)).toEqual([
      'cpu',
      'cpu',
      'cpu',
      'cpu:1',
      'cpu:1',
      'cpu',
      'cpu',
      'cpu:1',
      'cpu:1',
    ]);
    expect(segmentGraph(chain, placement).map((segment) => [segment.processor, segment.ops])).toEqual([
      ['cpu', [0, 1, 2]],
      ['cpu:1', [3, 4]],
      ['cpu', [5, 6]],
      ['cpu:1', [7, 8]],
    ]);
  });

  it('takes an explicit placement that names every operator exactly', () => {
    const explicit: Placement = Object.fromEntries(
      graph.ops.map((op) => [op.id, op.index % 2 ? 'cpu' : 'gpu:0']),
    );
    expect(expandPlacement(graph, { kind: 'explicit', placement: explicit })).toEqual(explicit);
  });

  it('rejects an explicit placement naming an unknown operator or leaving one out', () => {
    const full: Record<string, 'cpu'> = Object.fromEntries(graph.ops.map((op) => [op.id, 'cpu' as const]));
    const unknown = thrown(() =>
      expandPlacement(graph, { kind: 'explicit', placement: { ...full, nope: 'cpu' } }),
    );
    expect(unknown.code).toBe(Code.InvalidArgument);
    expect(unknown.message).toBe("the placement names operator 'nope', which the model does not have");

    const last = graph.ops[graph.ops.length - 1]?.id ?? '';
    const { [last]: _dropped, ...partial } = full;
    const missing = thrown(() => expandPlacement(graph, { kind: 'explicit', placement: partial }));
    expect(missing.code).toBe(Code.InvalidArgument);
    expect(missing.message).toBe(`the placement does not place operator '${last}'`);
  });
});
