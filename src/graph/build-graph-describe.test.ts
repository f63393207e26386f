import { describe, expect, it } from 'vitest';
import { decodeModel, modelBytes, node, tensorProto, valueInfo } from '../onnx/index.js';
import { buildGraph } from './build-graph.js';
import { model, op } from './build-graph.test-fixture.js';

describe('buildGraph on small models', () => {
  it('describes a model: names, opsets, inputs, outputs, ops and tensors', () => {
    const graph = buildGraph(
      decodeModel(
        modelBytes({
          graphName: 'small',
          irVersion: 9,
          opset: 18,
          extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
          nodes: [node('MatMul', ['x', 'w'], ['h'], [], 'mm'), node('Relu', ['h'], ['y'], [], 'act')],
          initializers: [tensorProto('w', 'float32', [8, 4], new Float32Array(32))],
          inputs: [valueInfo('x', 'float32', [2, 8])],
          outputs: [valueInfo('y', 'float32', [2, 4])],
          valueInfo: [valueInfo('h', 'float32', [2, 4])],
        }),
      ),
    );
    expect(graph).toMatchObject({
      version: 1,
      graphName: 'small',
      irVersion: 9,
      opsets: { '': 18, 'com.microsoft': 1 },
      inputs: ['x'],
      outputs: ['y'],
      constants: [],
      shapesFromRun: false,
    });
    expect(graph.ops).toEqual([
      {
        index: 0,
        onnxIndex: 0,
        id: 'mm',
        name: 'mm',
        opType: 'MatMul',
        domain: '',
        inputs: ['x', 'w'],
        outputs: ['h'],
        implicitInputs: [],
        attributes: {},
        subgraphNodeCount: 0,
        flops: 2 * 2 * 4 * 8,
        activationBytesIn: 2 * 8 * 4,
        bytesOut: 2 * 4 * 4,
        weightBytes: 8 * 4 * 4,
      },
      {
        index: 1,
        onnxIndex: 1,
        id: 'act',
        name: 'act',
        opType: 'Relu',
        domain: '',
        inputs: ['h'],
        outputs: ['y'],
        implicitInputs: [],
        attributes: {},
        subgraphNodeCount: 0,
        flops: 8,
        activationBytesIn: 32,
        bytesOut: 32,
        weightBytes: 0,
      },
    ]);
    expect(graph.tensors).toEqual({
      x: {
        name: 'x',
        dtype: 'float32',
        dims: [2, 8],
        kind: 'input',
        isGraphOutput: false,
        bytes: 64,
        producer: null,
        consumers: [0],
      },
      w: {
        name: 'w',
        dtype: 'float32',
        dims: [8, 4],
        kind: 'initializer',
        isGraphOutput: false,
        bytes: 128,
        producer: null,
        consumers: [0],
      },
      h: {
        name: 'h',
        dtype: 'float32',
        dims: [2, 4],
        kind: 'intermediate',
        isGraphOutput: false,
        bytes: 32,
        producer: 0,
        consumers: [1],
      },
      y: {
        name: 'y',
        dtype: 'float32',
        dims: [2, 4],
        kind: 'intermediate',
        isGraphOutput: true,
        bytes: 32,
        producer: 1,
        consumers: [],
      },
    });
  });

  it('lists a reader of one tensor in two inputs once among its consumers', () => {
    const graph = buildGraph(model({ nodes: [node('Mul', ['x', 'x'], ['y'], [], 'square')] }));
    expect(graph.tensors.x?.consumers).toEqual([0]);
  });

  it('gives empty and duplicate names <OpType>#<ONNX index>, primed past real names', () => {
    const graph = buildGraph(
      model({
        nodes: [
          node('Relu', ['x'], ['a'], [], ''),
          node('Neg', ['a'], ['b'], [], 'same'),
          node('Abs', ['b'], ['c'], [], 'same'),
          node('Relu', ['c'], ['d'], [], 'Relu#0'),
          node('Sigmoid', ['d'], ['y'], [], 'unique'),
        ],
      }),
    );
    expect(graph.ops.map((candidate) => [candidate.id, candidate.name])).toEqual([
      ["Relu#0'", ''],
      ['Neg#1', 'same'],
      ['Abs#2', 'same'],
      ['Relu#0', 'Relu#0'],
      ['unique', 'unique'],
    ]);
  });

  it('marks an intermediate that is also a graph output', () => {
    const graph = buildGraph(
      model({
        nodes: [node('Relu', ['x'], ['h'], [], 'a'), node('Neg', ['h'], ['y'], [], 'b')],
        outputs: [valueInfo('h', 'float32', [1, 8]), valueInfo('y', 'float32', [1, 8])],
      }),
    );
    expect(graph.outputs).toEqual(['h', 'y']);
    expect(graph.tensors.h).toMatchObject({
      kind: 'intermediate',
      isGraphOutput: true,
      producer: 0,
      consumers: [1],
    });
  });

  it('skips omitted optional inputs and outputs', () => {
    const graph = buildGraph(
      model({
        nodes: [
          node('Clip', ['x', '', 'hi'], ['y'], [], 'clip'),
          node('Dropout', ['y'], ['z', ''], [], 'drop'),
        ],
        initializers: [tensorProto('hi', 'float32', [], new Float32Array([6]))],
        outputs: [valueInfo('z', 'float32', [1, 8])],
        valueInfo: [valueInfo('y', 'float32', [1, 8])],
      }),
    );
    expect(Object.keys(graph.tensors).sort()).toEqual(['hi', 'x', 'y', 'z']);
    expect(op(graph, 'clip')).toMatchObject({
      inputs: ['x', '', 'hi'],
      weightBytes: 4,
      activationBytesIn: 32,
    });
    expect(op(graph, 'drop')).toMatchObject({ outputs: ['z', ''], bytesOut: 32, flops: 0 });
  });
});
