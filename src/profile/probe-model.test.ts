import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { implicitInputs } from '../graph/index.js';
import {
  buildModel,
  decodeModel,
  encodeModel,
  type GraphProto,
  node,
  onnx,
  tensorAttr,
  tensorProto,
  valueInfo,
} from '../onnx/index.js';
import { exposeNodeOutputs } from './expose-outputs.js';
import { buildProbeModel, probeNodeOwner, type ValueType } from './probe-model.js';

const graphAttr = (name: string, g: GraphProto) =>
  onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.GRAPH, g });

/** A branch graph with no inputs and one output `out`, computed by `nodes`. */
const branch = (name: string, nodes: ReturnType<typeof node>[], out: string) =>
  onnx.GraphProto.create({ name, node: nodes, output: [valueInfo(out, 'float32', [2])] });

/**
 * x, c -> [0] Constant k; [1] a = Add(x, k); [2] unnamed r = Relu(a); [3] y = If(c) with
 * then: Mul(r, w), a nested If reading x (one node per branch), Add; else: Neg(a). `w` is an initializer.
 */
function controlFlowModel(): Uint8Array {
  const nested = node(
    'If',
    ['c'],
    ['t2'],
    [
      graphAttr('then_branch', branch('nt', [node('Identity', ['x'], ['n1'], [], 'deep')], 'n1')),
      graphAttr('else_branch', branch('ne', [node('Neg', ['x'], ['n2'])], 'n2')),
    ],
  );
  const thenBranch = branch(
    'then',
    [node('Mul', ['r', 'w'], ['t1'], [], 'mul'), nested, node('Add', ['t1', 't2'], ['t3'])],
    't3',
  );
  const elseBranch = branch('else', [node('Neg', ['a'], ['e1'], [], 'neg')], 'e1');
  return encodeModel(
    buildModel({
      graphName: 'cf',
      nodes: [
        node(
          'Constant',
          [],
          ['k'],
          [tensorAttr('value', tensorProto('k', 'float32', [2], Float32Array.of(1, -1)))],
        ),
        node('Add', ['x', 'k'], ['a'], [], 'add'),
        node('Relu', ['a'], ['r']),
        node(
          'If',
          ['c'],
          ['y'],
          [graphAttr('then_branch', thenBranch), graphAttr('else_branch', elseBranch)],
          'if',
        ),
      ],
      initializers: [tensorProto('w', 'float32', [2], Float32Array.of(2, 3))],
      inputs: [valueInfo('x', 'float32', [2]), valueInfo('c', 'bool', [])],
      outputs: [valueInfo('y', 'float32', [2])],
    }),
  );
}

describe('implicitInputs', () => {
  it('lists the outer-scope names of all subgraphs, nested ones included, but not their own tensors', () => {
    const graph = decodeModel(controlFlowModel()).graph as GraphProto;
    const ifNode = graph.node?.[3];
    expect(ifNode && implicitInputs(ifNode)).toEqual(['r', 'w', 'c', 'x', 'a']);
    const relu = graph.node?.[2];
    expect(relu && implicitInputs(relu)).toEqual([]);
  });
});

describe('exposeNodeOutputs', () => {
  it('declares every main-graph node output as a graph output, once', () => {
    const exposed = exposeNodeOutputs(controlFlowModel());
    expect(exposed.names).toEqual(['k', 'a', 'r', 'y']);
    const outputs = decodeModel(exposed.bytes).graph?.output?.map((value) => value.name);
    expect(outputs).toEqual(['y', 'k', 'a', 'r']);
  });
});

describe('buildProbeModel', () => {
  const types = new Map<string, ValueType>([
    ['x', { dtype: 'float32', dims: [2] }],
    ['c', { dtype: 'bool', dims: [] }],
    ['k', { dtype: 'float32', dims: [2] }],
    ['a', { dtype: 'float32', dims: [2] }],
    ['r', { dtype: 'float32', dims: [2] }],
    ['y', { dtype: 'float32', dims: [2] }],
  ]);

  it('feeds every node from graph inputs, keeps constants and initializers, names nodes by index', () => {
    const probe = buildProbeModel(controlFlowModel(), types);
    // Explicit inputs first, then the If's implicit ones; k (Constant) and w (initializer) are not fed.
    expect(probe.inputNames).toEqual(['x', 'a', 'c', 'r']);
    expect(probe.nodes.map((n) => [n.index, n.name, n.opType, n.probeName])).toEqual([
      [0, '', 'Constant', 'hetsched_probe_0'],
      [1, 'add', 'Add', 'hetsched_probe_1'],
      [2, '', 'Relu', 'hetsched_probe_2'],
      [3, 'if', 'If', 'hetsched_probe_3'],
    ]);
    expect(probe.nodes.map((n) => n.outputs)).toEqual([
      [{ original: 'k', probe: 'k' }],
      [{ original: 'a', probe: 'a__gpu' }],
      [{ original: 'r', probe: 'r__gpu' }],
      [{ original: 'y', probe: 'y__gpu' }],
    ]);
    const graph = decodeModel(probe.bytes).graph as GraphProto;
    expect(graph.input?.map((value) => [value.name, value.type?.tensorType?.elemType])).toEqual([
      ['x', 1],
      ['a', 1],
      ['c', 9],
      ['r', 1],
    ]);
    expect(graph.output?.map((value) => value.name)).toEqual(['k', 'a__gpu', 'r__gpu', 'y__gpu']);
    expect(graph.initializer?.map((tensor) => tensor.name)).toEqual(['w']);
    const thenNodes = graph.node?.[3]?.attribute?.[0]?.g?.node ?? [];
    expect(thenNodes.map((n) => n.name)).toEqual([
      'hetsched_probe_3/0',
      'hetsched_probe_3/1',
      'hetsched_probe_3/4',
    ]);
    expect(thenNodes[1]?.attribute?.[0]?.g?.node?.[0]?.name).toBe('hetsched_probe_3/2');
  });

  it('gives a model onnxruntime runs, each node computing from the fed values', async () => {
    const probe = buildProbeModel(controlFlowModel(), types);
    const session = await ort.InferenceSession.create(probe.bytes, { graphOptimizationLevel: 'disabled' });
    try {
      // a is fed as 10,10 (not x + k): the Relu and the else branch must read the fed value.
      const out = await session.run({
        x: new ort.Tensor('float32', Float32Array.of(5, -5), [2]),
        a: new ort.Tensor('float32', Float32Array.of(10, -10), [2]),
        c: new ort.Tensor('bool', Uint8Array.of(0), []),
        r: new ort.Tensor('float32', Float32Array.of(7, 8), [2]),
      });
      expect(Array.from(out.a__gpu?.data as Float32Array)).toEqual([6, -6]);
      expect(Array.from(out.r__gpu?.data as Float32Array)).toEqual([10, 0]);
      expect(Array.from(out.y__gpu?.data as Float32Array)).toEqual([-10, 10]);
      expect(Array.from(out.k?.data as Float32Array)).toEqual([1, -1]);
    } finally {
      await session.release();
    }
  });

  it('picks another output suffix when a tensor already ends in __gpu', () => {
    const bytes = encodeModel(
      buildModel({
        graphName: 'clash',
        nodes: [node('Relu', ['x'], ['y']), node('Neg', ['y'], ['y__gpu'])],
        inputs: [valueInfo('x', 'float32', [1])],
        outputs: [valueInfo('y__gpu', 'float32', [1])],
      }),
    );
    const probe = buildProbeModel(
      bytes,
      new Map<string, ValueType>([
        ['x', { dtype: 'float32', dims: [1] }],
        ['y', { dtype: 'float32', dims: [1] }],
      ]),
    );
    expect(probe.nodes.flatMap((n) => n.outputs.map((o) => o.probe))).toEqual(['y__gpu1', 'y__gpu__gpu1']);
  });

  it('fails with INTERNAL naming the tensor when a consumed value has no type', () => {
    expect(() => buildProbeModel(controlFlowModel(), new Map())).toThrow(/no CPU value for tensor 'x'/);
  });
});

describe('probeNodeOwner', () => {
  it('maps probe names, subgraph names and layout-rewritten names back to the node index', () => {
    expect(probeNodeOwner('hetsched_probe_12')).toEqual({ index: 12, own: true });
    expect(probeNodeOwner('hetsched_probe_12_token_302')).toEqual({ index: 12, own: true });
    expect(probeNodeOwner('hetsched_probe_3/17')).toEqual({ index: 3, own: false });
    expect(probeNodeOwner('hetsched_probe_3/17_token_4')).toEqual({ index: 3, own: false });
    expect(probeNodeOwner('Memcpy_token_476')).toBeUndefined();
    expect(probeNodeOwner('Transpose')).toBeUndefined();
    expect(probeNodeOwner('hetsched_probe_1x')).toBeUndefined();
  });
});
