import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { modelPath } from '../models/index.js';
import {
  decodeModel,
  floatsAttr,
  intAttr,
  intsAttr,
  type ModelParts,
  modelBytes,
  type NodeProto,
  node,
  onnx,
  tensorAttr,
  tensorProto,
  valueInfo,
} from '../onnx/index.js';
import { buildGraph, byteSize } from './build-graph.js';
import type { GraphIR, ResolvedTensor } from './graph-types.js';

function model(parts: Partial<ModelParts> & Pick<ModelParts, 'nodes'>) {
  return decodeModel(
    modelBytes({
      graphName: 'test',
      inputs: [valueInfo('x', 'float32', [1, 8])],
      outputs: [valueInfo('y', 'float32', [1, 8])],
      ...parts,
    }),
  );
}

function op(graph: GraphIR, id: string) {
  const found = graph.ops.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no op ${id}`);
  return found;
}

/** x -> n0 -> t0 -> n1 -> t1 -> ... -> y, every node named n<i>. */
function chainNodes(length: number): NodeProto[] {
  return Array.from({ length }, (_, i) =>
    node('Relu', [i === 0 ? 'x' : `t${i - 1}`], [i === length - 1 ? 'y' : `t${i}`], [], `n${i}`),
  );
}

/** Checks the IR's internal links: producers and consumers agree with the ops' inputs and outputs. */
function checkLinks(graph: GraphIR): void {
  graph.ops.forEach((candidate, index) => {
    expect(candidate.index).toBe(index);
    for (const name of [...candidate.inputs, ...candidate.implicitInputs]) {
      if (name === '') continue;
      const tensor = graph.tensors[name];
      expect(tensor?.consumers).toContain(index);
      if (tensor?.producer !== null && tensor?.producer !== undefined)
        expect(tensor.producer).toBeLessThan(index);
    }
    for (const name of candidate.outputs) if (name !== '') expect(graph.tensors[name]?.producer).toBe(index);
  });
  for (const tensor of Object.values(graph.tensors)) {
    for (const consumer of tensor.consumers) {
      const reader = graph.ops[consumer];
      expect([...(reader?.inputs ?? []), ...(reader?.implicitInputs ?? [])]).toContain(tensor.name);
    }
    expect(new Set(tensor.consumers).size).toBe(tensor.consumers.length);
  }
  expect(new Set(graph.ops.map((candidate) => candidate.id)).size).toBe(graph.ops.length);
}

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

  it('rejects a cycle as INVALID_ARGUMENT', () => {
    const error = thrown(() =>
      buildGraph(
        model({
          nodes: [
            node('Add', ['x', 'c'], ['a'], [], 'p'),
            node('Relu', ['a'], ['c'], [], 'q'),
            node('Neg', ['a'], ['y'], [], 'r'),
          ],
        }),
      ),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("the model's graph has a cycle through 3 nodes");
  });

  it('rejects a read of a tensor nothing defines, naming the node and the tensor', () => {
    const error = thrown(() => buildGraph(model({ nodes: [node('Add', ['x', 'ghost'], ['y'])] })));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("node 'Add#0' reads 'ghost', which nothing defines");
  });

  it('rejects a graph output nothing produces', () => {
    const error = thrown(() =>
      buildGraph(
        model({
          nodes: [node('Relu', ['x'], ['y'])],
          outputs: [valueInfo('y', 'float32', [1, 8]), valueInfo('lost', 'float32', [1])],
        }),
      ),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("graph output 'lost' is produced by no node, input or initializer");
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

  describe('types and shapes', () => {
    const shapeModel = () =>
      model({
        nodes: [
          node('MatMul', ['x', 'w'], ['h'], [], 'mm'),
          node('Relu', ['h'], ['r'], [], 'act'),
          node('Reshape', ['r', 'shape'], ['y'], [], 'reshape'),
        ],
        initializers: [
          tensorProto('w', 'float32', [16, 4], new Float32Array(64)),
          tensorProto('shape', 'int64', [1], new BigInt64Array([-1n])),
        ],
        inputs: [valueInfo('x', 'float32', ['batch', -1])],
        outputs: [valueInfo('y', 'float32')],
        valueInfo: [valueInfo('h', 'float32', ['batch', 4])],
      });

    it('takes declared shapes: symbolic dims by name, unnamed ones as ?, no shape as null', () => {
      const graph = buildGraph(shapeModel());
      expect(graph.tensors.x).toMatchObject({ dtype: 'float32', dims: ['batch', '?'], bytes: null });
      expect(graph.tensors.h).toMatchObject({ dtype: 'float32', dims: ['batch', 4], bytes: null });
      expect(graph.tensors.y).toMatchObject({ dtype: 'float32', dims: null, bytes: null });
      // Declared nowhere.
      expect(graph.tensors.r).toMatchObject({ dtype: 'unknown', dims: null, bytes: null });
      expect(op(graph, 'mm')).toMatchObject({
        flops: null,
        activationBytesIn: null,
        bytesOut: null,
        weightBytes: 256,
      });
      expect(op(graph, 'act').flops).toBeNull();
      expect(op(graph, 'reshape').flops).toBe(0);
    });

    it('lets resolved types and shapes win over declared ones', () => {
      const resolved = new Map<string, ResolvedTensor>([
        ['x', { dtype: 'float32', dims: [3, 16] }],
        ['h', { dtype: 'float32', dims: [3, 4] }],
        ['r', { dtype: 'float32', dims: [3, 4] }],
        ['y', { dtype: 'float16', dims: [12] }],
      ]);
      const graph = buildGraph(shapeModel(), { resolved, shapesFromRun: true });
      expect(graph.shapesFromRun).toBe(true);
      expect(graph.tensors.x).toMatchObject({ dims: [3, 16], bytes: 192 });
      expect(graph.tensors.r).toMatchObject({ dtype: 'float32', dims: [3, 4], bytes: 48 });
      expect(graph.tensors.y).toMatchObject({ dtype: 'float16', dims: [12], bytes: 24 });
      expect(op(graph, 'mm')).toMatchObject({
        flops: 2 * 3 * 4 * 16,
        activationBytesIn: 192,
        bytesOut: 48,
        weightBytes: 256,
      });
      expect(op(graph, 'act')).toMatchObject({ flops: 12, activationBytesIn: 48, bytesOut: 48 });
      // The int64 shape initializer is a weight: 8 bytes, not an activation.
      expect(op(graph, 'reshape')).toMatchObject({ activationBytesIn: 48, bytesOut: 24, weightBytes: 8 });
    });

    it('never lets a resolved entry override a weight', () => {
      const resolved = new Map<string, ResolvedTensor>([['w', { dtype: 'float16', dims: ['n', 4] }]]);
      expect(buildGraph(shapeModel(), { resolved }).tensors.w).toMatchObject({
        dtype: 'float32',
        dims: [16, 4],
        kind: 'initializer',
        bytes: 256,
      });
    });

    it('names element types it has no size for by their ONNX code', () => {
      const graph = buildGraph(
        model({
          nodes: [node('Identity', ['x'], ['y'], [], 'id')],
          inputs: [
            onnx.ValueInfoProto.create({
              name: 'x',
              type: onnx.TypeProto.create({
                tensorType: onnx.TypeProto.Tensor.create({
                  elemType: 8,
                  shape: onnx.TensorShapeProto.create({
                    dim: [onnx.TensorShapeProto.Dimension.create({ dimValue: 2 })],
                  }),
                }),
              }),
            }),
          ],
        }),
      );
      expect(graph.tensors.x).toMatchObject({ dtype: 'onnx:8', dims: [2], bytes: null });
    });
  });

  describe('FLOPs from declared shapes', () => {
    it('Conv with bias: 2*Cout*Hout*Wout*Cin/g*kh*kw + Cout*Hout*Wout', () => {
      const graph = buildGraph(
        model({
          nodes: [
            node(
              'Conv',
              ['x', 'w', 'b'],
              ['y'],
              [intsAttr('kernel_shape', [3, 3]), intAttr('group', 2), intsAttr('pads', [1, 1, 1, 1])],
              'conv',
            ),
          ],
          initializers: [
            tensorProto('w', 'float32', [8, 2, 3, 3], new Float32Array(144)),
            tensorProto('b', 'float32', [8], new Float32Array(8)),
          ],
          inputs: [valueInfo('x', 'float32', [1, 4, 10, 10])],
          outputs: [valueInfo('y', 'float32', [1, 8, 10, 10])],
        }),
      );
      expect(op(graph, 'conv')).toMatchObject({
        flops: 2 * 8 * 10 * 10 * (4 / 2) * 3 * 3 + 8 * 10 * 10,
        attributes: { kernel_shape: [3, 3], group: 2, pads: [1, 1, 1, 1] },
        activationBytesIn: 1600,
        bytesOut: 3200,
        weightBytes: 576 + 32,
      });
    });

    it('MaxPool from its kernel_shape attribute', () => {
      const graph = buildGraph(
        model({
          nodes: [
            node(
              'MaxPool',
              ['x'],
              ['y'],
              [intsAttr('kernel_shape', [2, 2]), intsAttr('strides', [2, 2])],
              'pool',
            ),
          ],
          inputs: [valueInfo('x', 'float32', [1, 3, 8, 8])],
          outputs: [valueInfo('y', 'float32', [1, 3, 4, 4])],
        }),
      );
      expect(op(graph, 'pool').flops).toBe(48 * 4);
    });
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

describe('byteSize', () => {
  it('is elements times the dtype size, null for unknown dims or dtypes', () => {
    expect(byteSize('float32', [2, 3])).toBe(24);
    expect(byteSize('int64', [])).toBe(8);
    expect(byteSize('bool', [5])).toBe(5);
    expect(byteSize('float32', ['n', 3])).toBeNull();
    expect(byteSize('float32', null)).toBeNull();
    expect(byteSize('onnx:8', [2])).toBeNull();
    expect(byteSize('unknown', [2])).toBeNull();
  });
});

describe('buildGraph on real models', () => {
  const load = (id: string) => decodeModel(readFileSync(modelPath(id)));

  it('ppocr-cls: 221 ops, its 250 Constant nodes as weights, in the order of the file', () => {
    const onnxModel = load('ppocr-cls');
    const graph = buildGraph(onnxModel);
    const nodes = onnxModel.graph?.node ?? [];
    expect(nodes).toHaveLength(471);
    expect(graph.ops).toHaveLength(221);
    expect(graph.constants).toHaveLength(250);
    expect(graph.inputs).toEqual(['x']);
    expect(graph.outputs).toEqual(['softmax_0.tmp_0']);
    expect(graph.constants.every(({ onnxIndex }) => nodes[onnxIndex]?.opType === 'Constant')).toBe(true);
    expect(graph.constants.every(({ output }) => graph.tensors[output]?.kind === 'constant')).toBe(true);
    expect(graph.ops.every(({ opType }) => opType !== 'Constant')).toBe(true);
    // Already in order: topological sorting leaves it so.
    const indices = graph.ops.map(({ onnxIndex }) => onnxIndex);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(graph.ops.filter(({ opType }) => opType === 'Conv')).toHaveLength(53);
    expect(graph.tensors.x?.dims).toEqual([
      'p2o.DynamicDimension.0',
      3,
      'p2o.DynamicDimension.1',
      'p2o.DynamicDimension.2',
    ]);
    const first = graph.ops[0];
    expect(first).toMatchObject({
      id: 'p2o.Conv.0',
      opType: 'Conv',
      inputs: ['x', 'conv2d_0.w_0'],
      flops: null,
    });
    // 8 x 3 x 3 x 3 float32 weights.
    expect(first?.weightBytes).toBe(864);
    checkLinks(graph);
  });

  it('silero-vad-legacy: one If reading 71 outer tensors implicitly', () => {
    const graph = buildGraph(load('silero-vad-legacy'));
    expect(graph.inputs).toEqual(['input', 'sr', 'h', 'c']);
    expect(graph.outputs).toEqual(['output', 'hn', 'cn']);
    expect(graph.ops.map(({ id, opType }) => [id, opType])).toEqual([
      ['Equal_23', 'Equal'],
      ['If_25', 'If'],
    ]);
    const ifOp = graph.ops[1];
    expect(ifOp?.implicitInputs).toHaveLength(71);
    expect(ifOp?.flops).toBeNull();
    expect(ifOp?.subgraphNodeCount).toBe(248);
    expect(ifOp?.outputs).toEqual(['output', 'hn', 'cn']);
    // Its weights travel with it: every initializer but the sample rate the Equal compares with.
    const initializers = Object.values(graph.tensors).filter(({ kind }) => kind === 'initializer');
    expect(initializers).toHaveLength(69);
    const ifWeightBytes = initializers
      .filter(({ name }) => name !== 'onnx::Equal_124')
      .reduce((total, { bytes }) => total + (bytes ?? Number.NaN), 0);
    expect(ifOp?.weightBytes).toBe(ifWeightBytes);
    for (const name of ['input', 'h', 'c']) expect(graph.tensors[name]?.consumers).toEqual([1]);
    expect(graph.tensors.sr).toMatchObject({ dtype: 'int64', dims: [], bytes: 8, consumers: [0] });
    checkLinks(graph);
  });

  it('openwakeword: Gemm FLOPs once the shapes are resolved', () => {
    const onnxModel = load('openwakeword');
    const declared = buildGraph(onnxModel);
    expect(declared.ops).toHaveLength(25);
    expect(declared.constants).toHaveLength(4);
    expect(declared.constants.every(({ bytes }) => bytes === 4)).toBe(true);
    expect(declared.tensors['onnx::Flatten_0']).toMatchObject({ dims: [1, 25, 96], bytes: 9600 });
    const gemm = op(declared, '/layer1/Gemm');
    expect(gemm.flops).toBeNull();
    expect(gemm.attributes).toEqual({ alpha: 1, beta: 1, transB: 1 });
    const [a, b, bias] = gemm.inputs;
    const weight = declared.tensors[b ?? '']?.dims;
    const hidden = weight?.[0];
    expect(weight?.[1]).toBe(25 * 96);
    if (typeof hidden !== 'number' || a === undefined || bias === undefined)
      throw new Error('no Gemm weight');

    const resolved = new Map<string, ResolvedTensor>([
      [a, { dtype: 'float32', dims: [1, 2400] }],
      [gemm.outputs[0] ?? '', { dtype: 'float32', dims: [1, hidden] }],
    ]);
    const graph = buildGraph(onnxModel, { resolved, shapesFromRun: true });
    expect(op(graph, '/layer1/Gemm')).toMatchObject({
      flops: 2 * hidden * 2400 + hidden,
      activationBytesIn: 9600,
      bytesOut: 4 * hidden,
      weightBytes: 4 * hidden * 2400 + (graph.tensors[bias]?.bytes ?? Number.NaN),
    });
    expect(op(graph, '/flatten/Flatten').flops).toBe(0);
    checkLinks(graph);
  });
});
