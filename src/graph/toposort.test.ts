import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { topologicalOrder } from './toposort.js';

describe('topologicalOrder', () => {
  it('keeps an order that is already topological', () => {
    expect(topologicalOrder([[], [0], [1], [0, 2]])).toEqual([0, 1, 2, 3]);
  });

  it('reverses a chain listed backwards', () => {
    // Node i reads node i + 1.
    expect(topologicalOrder([[1], [2], [3], []])).toEqual([3, 2, 1, 0]);
  });

  it('breaks ties by the original index', () => {
    // 2 and 3 are ready first; 0 and 1 both wait on 3.
    expect(topologicalOrder([[3], [3], [], []])).toEqual([2, 3, 0, 1]);
    expect(topologicalOrder([[4], [], [4], [], []])).toEqual([1, 3, 4, 0, 2]);
  });

  it('counts a dependency listed twice once', () => {
    expect(topologicalOrder([[1, 1, 1], []])).toEqual([1, 0]);
  });

  it('returns nothing for no nodes', () => {
    expect(topologicalOrder([])).toEqual([]);
  });

  it('rejects a cycle as INVALID_ARGUMENT, counting the nodes it blocks', () => {
    const error = thrown(() => topologicalOrder([[], [2], [1], [2]]));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("the model's graph has a cycle through 3 nodes");
  });

  it('rejects a node that reads itself', () => {
    const error = thrown(() => topologicalOrder([[0]]));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("the model's graph has a cycle through 1 nodes");
  });

  it('orders any DAG: a permutation with every dependency first, smallest ready index next', () => {
    const dag = fc
      .integer({ min: 1, max: 30 })
      .chain((count) =>
        fc.tuple(
          fc.shuffledSubarray(
            Array.from({ length: count }, (_, i) => i),
            { minLength: count },
          ),
          fc.array(fc.array(fc.nat(count - 1), { maxLength: 4 }), { minLength: count, maxLength: count }),
        ),
      )
      .map(([rank, raw]) =>
        // Keep only edges to nodes of lower rank: acyclic whatever the index order.
        raw.map((deps, node) => deps.filter((dep) => (rank[dep] ?? 0) < (rank[node] ?? 0))),
      );
    fc.assert(
      fc.property(dag, (dependencies) => {
        const order = topologicalOrder(dependencies);
        expect([...order].sort((a, b) => a - b)).toEqual(dependencies.map((_, i) => i));
        const position = new Map(order.map((node, at) => [node, at]));
        dependencies.forEach((deps, node) => {
          for (const dep of deps) expect(position.get(dep)).toBeLessThan(position.get(node) ?? -1);
        });
        // Kahn with a min-heap: at each step the smallest node whose dependencies are all placed.
        const placed = new Set<number>();
        for (const node of order) {
          const ready = dependencies
            .map((deps, candidate) => ({ deps, candidate }))
            .filter(({ deps, candidate }) => !placed.has(candidate) && deps.every((dep) => placed.has(dep)))
            .map(({ candidate }) => candidate);
          expect(node).toBe(Math.min(...ready));
          placed.add(node);
        }
      }),
    );
  });
});
