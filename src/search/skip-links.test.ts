import { describe, expect, it } from 'vitest';
import type { GraphIR } from '../graph/index.js';
import { skipLinks } from './skip-links.js';
import { handOp, handTensor, TWO_OP_GRAPH } from './two-op-fixture.js';

/**
 * A → B → C → D, with `a` (A's output) read by B and by D, and `b` (B's) by C and by D: two
 * skips, past B and C, and past C. `a` is twice the size of `b`.
 */
const GRAPH: GraphIR = {
  ...TWO_OP_GRAPH,
  graphName: 'two-skips',
  ops: [
    handOp(0, 'A', ['in'], ['a']),
    handOp(1, 'B', ['a'], ['b']),
    handOp(2, 'C', ['b'], ['c']),
    handOp(3, 'D', ['a', 'b', 'c'], ['out']),
  ],
  tensors: {
    in: handTensor('in', 'input', null, [0]),
    a: { ...handTensor('a', 'intermediate', 0, [1, 3]), bytes: 2 << 20 },
    b: handTensor('b', 'intermediate', 1, [2, 3]),
    c: handTensor('c', 'intermediate', 2, [3]),
    out: handTensor('out', 'intermediate', 3, []),
  },
};

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
