import { describe, expect, it } from 'vitest';
import { node, valueInfo } from '../onnx/index.js';
import { adjacencyOf, isConnected } from './adjacency.js';
import { buildGraph } from './build-graph.js';
import { model } from './build-graph.test-fixture.js';

/** Each operator's neighbours, sorted. */
function neighbourLists(graph: ReturnType<typeof buildGraph>): number[][] {
  const { start, neighbours } = adjacencyOf(graph);
  return graph.ops.map((op) => [...neighbours.subarray(start[op.index], start[op.index + 1])].sort());
}

describe('adjacencyOf', () => {
  it('links each producer with its readers, both ways, the reader always the later operator', () => {
    // x -> a -> t -> b -> y, and t -> c -> z: a feeds b and c.
    const graph = buildGraph(
      model({
        nodes: [
          node('Relu', ['x'], ['t'], [], 'a'),
          node('Relu', ['t'], ['y'], [], 'b'),
          node('Neg', ['t'], ['z'], [], 'c'),
        ],
        outputs: [valueInfo('y', 'float32', [1, 8]), valueInfo('z', 'float32', [1, 8])],
      }),
    );
    expect(neighbourLists(graph)).toEqual([[1, 2], [0], [0]]);
    expect(adjacencyOf(graph)).toBe(adjacencyOf(graph));
    expect(isConnected(graph)).toBe(true);
  });

  it('tells a graph of two parts sharing no tensor from one', () => {
    // x -> a -> y and x -> b -> z: both read the request's input, which no operator produces.
    const graph = buildGraph(
      model({
        nodes: [node('Relu', ['x'], ['y'], [], 'a'), node('Neg', ['x'], ['z'], [], 'b')],
        outputs: [valueInfo('y', 'float32', [1, 8]), valueInfo('z', 'float32', [1, 8])],
      }),
    );
    expect(neighbourLists(graph)).toEqual([[], []]);
    expect(isConnected(graph)).toBe(false);
  });
});
