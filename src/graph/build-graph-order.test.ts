import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NodeProto, node, onnx, tensorProto, valueInfo } from '../onnx/index.js';
import { buildGraph } from './build-graph.js';
import { checkLinks, model, op } from './build-graph.test-fixture.js';

/** x -> n0 -> t0 -> n1 -> t1 -> ... -> y, every node named n<i>. */
function chainNodes(length: number): NodeProto[] {
  return Array.from({ length }, (_, i) =>
    node('Relu', [i === 0 ? 'x' : `t${i - 1}`], [i === length - 1 ? 'y' : `t${i}`], [], `n${i}`),
  );
}

describe('buildGraph on small models', () => {
  it('sorts the ops of a shuffled chain topologically, keeping each its ONNX index', () => {
    const length = 8;
    fc.assert(
      fc.property(
        fc.shuffledSubarray(chainNodes(length), { minLength: length, maxLength: length }),
        (shuffled) => {
          const graph = buildGraph(model({ nodes: shuffled }));
          expect(graph.ops.map((candidate) => candidate.id)).toEqual(
            Array.from({ length }, (_, i) => `n${i}`),
          );
          for (const candidate of graph.ops) expect(shuffled[candidate.onnxIndex]?.name).toBe(candidate.id);
          checkLinks(graph);
        },
      ),
    );
  });

  it('keeps ties in the model order and puts a reader after its producer', () => {
    // 'b' is listed first but reads 'a', which the last node produces; 'c' is independent.
    const graph = buildGraph(
      model({
        nodes: [
          node('Neg', ['a'], ['b'], [], 'second'),
          node('Abs', ['x'], ['c'], [], 'free'),
          node('Relu', ['x'], ['a'], [], 'first'),
          node('Add', ['b', 'c'], ['y'], [], 'join'),
        ],
      }),
    );
    expect(graph.ops.map((candidate) => candidate.id)).toEqual(['free', 'first', 'second', 'join']);
    expect(graph.ops.map((candidate) => candidate.onnxIndex)).toEqual([1, 2, 0, 3]);
    expect(graph.tensors.x?.consumers).toEqual([0, 1]);
    expect(graph.tensors.a).toMatchObject({ producer: 1, consumers: [2] });
    expect(graph.tensors.b).toMatchObject({ producer: 2, consumers: [3] });
    expect(graph.tensors.c).toMatchObject({ producer: 0, consumers: [3] });
    checkLinks(graph);
  });

  describe('control flow', () => {
    const branch = (name: string, nodes: NodeProto[], output: string) =>
      onnx.GraphProto.create({ name, node: nodes, output: [valueInfo(output, 'float32', [1, 8])] });
    const ifModel = () =>
      model({
        nodes: [
          // The If comes first in the file but reads 'late' inside its branches.
          node(
            'If',
            ['cond'],
            ['y'],
            [
              onnx.AttributeProto.create({
                name: 'then_branch',
                type: 5,
                g: branch('then', [node('Add', ['late', 'w'], ['t'])], 't'),
              }),
              onnx.AttributeProto.create({
                name: 'else_branch',
                type: 5,
                g: branch('else', [node('Neg', ['x'], ['e1']), node('Abs', ['e1'], ['e2'])], 'e2'),
              }),
            ],
            'if',
          ),
          node('Greater', ['x', 'zero'], ['gt'], [], 'greater'),
          node('ReduceMin', ['gt'], ['cond'], [], 'cond'),
          node('Relu', ['x'], ['late'], [], 'producer'),
        ],
        initializers: [
          tensorProto('w', 'float32', [1, 8], new Float32Array(8)),
          tensorProto('zero', 'float32', [], new Float32Array(1)),
        ],
        valueInfo: [valueInfo('late', 'float32', [1, 8])],
      });

    it('orders an If after what its branches read and links those reads', () => {
      const graph = buildGraph(ifModel());
      expect(graph.ops.map((candidate) => candidate.id)).toEqual(['greater', 'cond', 'producer', 'if']);
      const ifOp = op(graph, 'if');
      expect(ifOp).toMatchObject({
        index: 3,
        onnxIndex: 0,
        inputs: ['cond'],
        implicitInputs: ['late', 'w', 'x'],
        subgraphNodeCount: 3,
        flops: null,
        weightBytes: 32,
        attributes: {
          then_branch: { graph: { name: 'then', nodeCount: 1 } },
          else_branch: { graph: { name: 'else', nodeCount: 2 } },
        },
      });
      expect(graph.tensors.late?.consumers).toEqual([3]);
      expect(graph.tensors.w?.consumers).toEqual([3]);
      expect(graph.tensors.x?.consumers).toEqual([0, 2, 3]);
      checkLinks(graph);
    });
  });
});
