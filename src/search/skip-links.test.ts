import { describe, expect, it } from 'vitest';
import { skipLinks } from './skip-links.js';
import { handGraph, TWO_OP_GRAPH } from './two-op-fixture.js';

/**
 * A → B → C → D, with `a` (A's output) read by B and by D, and `b` (B's) by C and by D: two
 * skips, past B and C, and past C. `a` is twice the size of `b`.
 */
const GRAPH = handGraph(
  'two-skips',
  [
    ['A', ['in'], ['a']],
    ['B', ['a'], ['b']],
    ['C', ['b'], ['c']],
    ['D', ['a', 'b', 'c'], ['out']],
  ],
  { a: 2 << 20 },
);

describe('skipLinks', () => {
  it('finds each reader that also depends on the producer through other operators', () => {
    expect(skipLinks(GRAPH, 100)).toEqual([
      { tensor: 'a', producer: 0, reader: 3, between: [1, 2] },
      { tensor: 'b', producer: 1, reader: 3, between: [2] },
    ]);
  });

  it('finds none in a chain', () => {
    expect(skipLinks(TWO_OP_GRAPH, 100)).toEqual([]);
  });

  it('keeps the largest tensors first within its budget of operators between', () => {
    // `a`'s link needs 2 operators between, `b`'s 1: a budget of 1 keeps only `b`'s, of 2 only `a`'s.
    expect(skipLinks(GRAPH, 1).map((link) => link.tensor)).toEqual(['b']);
    expect(skipLinks(GRAPH, 2).map((link) => link.tensor)).toEqual(['a']);
  });
});
