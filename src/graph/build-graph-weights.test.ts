import { describe, expect, it } from 'vitest';
import { floatsAttr, intsAttr, node, onnx, tensorAttr, tensorProto, valueInfo } from '../onnx/index.js';
import { buildGraph } from './build-graph.js';
import { model, op } from './build-graph.test-fixture.js';

describe('buildGraph on small models', () => {
  it('makes Constant nodes weights with their bytes, not operators, keeping ONNX indices', () => {
    const graph = buildGraph(
      model({
        nodes: [
          node(
            'Constant',
            [],
            ['k'],
            [tensorAttr('value', tensorProto('k', 'float32', [2, 4], new Float32Array(8)))],
          ),
          node('Relu', ['x'], ['r'], [], 'relu'),
          node('Constant', [], ['s'], [onnx.AttributeProto.create({ name: 'value_int', type: 2, i: 3 })]),
          node('Constant', [], ['f'], [floatsAttr('value_floats', [1, 2, 3])]),
          node('Constant', [], ['i'], [intsAttr('value_ints', [1, 2])]),
          node('Constant', [], ['one'], [onnx.AttributeProto.create({ name: 'value_float', type: 1, f: 1 })]),
          node('Add', ['r', 'k'], ['y'], [], 'add'),
        ],
        inputs: [valueInfo('x', 'float32', [2, 4])],
        outputs: [valueInfo('y', 'float32', [2, 4])],
        valueInfo: [valueInfo('r', 'float32', [2, 4])],
      }),
    );
    expect(graph.ops.map((candidate) => [candidate.id, candidate.onnxIndex])).toEqual([
      ['relu', 1],
      ['add', 6],
    ]);
    expect(graph.constants).toEqual([
      { onnxIndex: 0, output: 'k', bytes: 32 },
      { onnxIndex: 2, output: 's', bytes: 8 },
      { onnxIndex: 3, output: 'f', bytes: 12 },
      { onnxIndex: 4, output: 'i', bytes: 16 },
      { onnxIndex: 5, output: 'one', bytes: 4 },
    ]);
    expect(graph.tensors.k).toEqual({
      name: 'k',
      dtype: 'float32',
      dims: [2, 4],
      kind: 'constant',
      isGraphOutput: false,
      bytes: 32,
      producer: null,
      consumers: [1],
    });
    expect(graph.tensors.s).toMatchObject({ dtype: 'int64', dims: [], kind: 'constant', consumers: [] });
    expect(graph.tensors.i).toMatchObject({ dtype: 'int64', dims: [2], kind: 'constant' });
    // The constant is a weight of its reader, not an activation.
    expect(op(graph, 'add')).toMatchObject({ weightBytes: 32, activationBytesIn: 32, flops: 8 });
  });

  it('keeps initializers out of the inputs even where the model lists them as graph inputs', () => {
    const graph = buildGraph(
      model({
        nodes: [node('Add', ['x', 'b'], ['y'], [], 'add')],
        initializers: [tensorProto('b', 'float32', [8], new Float32Array(8))],
        inputs: [valueInfo('x', 'float32', [1, 8]), valueInfo('b', 'float32', [8])],
      }),
    );
    expect(graph.inputs).toEqual(['x']);
    expect(graph.tensors.b).toMatchObject({ kind: 'initializer', dims: [8], bytes: 32, producer: null });
    expect(op(graph, 'add')).toMatchObject({ weightBytes: 32, activationBytesIn: 32 });
  });
});
