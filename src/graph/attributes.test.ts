import Long from 'long';
import { describe, expect, it } from 'vitest';
import {
  type AttributeProto,
  buildModel,
  decodeModel,
  encodeModel,
  floatAttr,
  floatsAttr,
  type GraphProto,
  intAttr,
  intsAttr,
  node,
  onnx,
  stringAttr,
  tensorAttr,
  tensorProto,
  valueInfo,
} from '../onnx/index.js';
import { countNodes, decodeAttributes, subgraphsOf, tensorSummary } from './attributes.js';

const AttributeType = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

function subgraph(name: string, nodes: ReturnType<typeof node>[]): GraphProto {
  return onnx.GraphProto.create({ name, node: nodes });
}

/** The attributes as a model file carries them: encoded and decoded again. */
function roundTrip(attributes: AttributeProto[]): AttributeProto[] {
  const model = buildModel({
    graphName: 'g',
    nodes: [node('Custom', ['x'], ['y'], attributes)],
    inputs: [valueInfo('x', 'float32', [1])],
    outputs: [valueInfo('y', 'float32', [1])],
  });
  return decodeModel(encodeModel(model)).graph?.node?.[0]?.attribute ?? [];
}

const nested = subgraph('outer', [
  node('Relu', ['a'], ['b']),
  node(
    'If',
    ['c'],
    ['d'],
    [
      onnx.AttributeProto.create({
        name: 'then_branch',
        type: AttributeType.GRAPH,
        g: subgraph('inner', [node('Neg', ['a'], ['e']), node('Abs', ['e'], ['f'])]),
      }),
    ],
  ),
]);

const everyKind: AttributeProto[] = [
  intAttr('axis', -1),
  floatAttr('alpha', 0.25),
  stringAttr('mode', 'linear'),
  intsAttr('perm', [0, 2, 1]),
  floatsAttr('scales', [1, 2.5]),
  onnx.AttributeProto.create({
    name: 'names',
    type: AttributeType.STRINGS,
    strings: [utf8.encode('a'), utf8.encode('bé')],
  }),
  tensorAttr('value', tensorProto('v', 'int64', [2, 3], new BigInt64Array(6))),
  onnx.AttributeProto.create({ name: 'body', type: AttributeType.GRAPH, g: nested }),
  onnx.AttributeProto.create({
    name: 'branches',
    type: AttributeType.GRAPHS,
    graphs: [subgraph('one', [node('Relu', ['a'], ['b'])]), subgraph('two', [])],
  }),
];

const expected = {
  axis: -1,
  alpha: 0.25,
  mode: 'linear',
  perm: [0, 2, 1],
  scales: [1, 2.5],
  names: ['a', 'bé'],
  value: { tensor: { dtype: 'int64', dims: [2, 3] } },
  body: { graph: { name: 'outer', nodeCount: 4 } },
  branches: {
    graphs: [
      { name: 'one', nodeCount: 1 },
      { name: 'two', nodeCount: 0 },
    ],
  },
};

describe('decodeAttributes', () => {
  it('decodes every attribute kind to plain data, summarising tensors and subgraphs', () => {
    expect(decodeAttributes(everyKind)).toEqual(expected);
  });

  it('decodes the same from a model file', () => {
    expect(decodeAttributes(roundTrip(everyKind))).toEqual(expected);
  });

  it('infers the kind from the populated field when the type is unset (old exporters)', () => {
    const untyped = [
      onnx.AttributeProto.create({ name: 'axis', i: 3 }),
      onnx.AttributeProto.create({ name: 'alpha', f: 0.5 }),
      onnx.AttributeProto.create({ name: 'mode', s: utf8.encode('nearest') }),
      onnx.AttributeProto.create({ name: 'perm', ints: [1, 0] }),
      onnx.AttributeProto.create({ name: 'scales', floats: [2] }),
      onnx.AttributeProto.create({ name: 'names', strings: [utf8.encode('x')] }),
      onnx.AttributeProto.create({ name: 'value', t: tensorProto('v', 'float32', [4], new Float32Array(4)) }),
      onnx.AttributeProto.create({ name: 'body', g: subgraph('b', [node('Relu', ['a'], ['b'])]) }),
      onnx.AttributeProto.create({ name: 'branches', graphs: [subgraph('c', [])] }),
      onnx.AttributeProto.create({ name: 'zero' }),
    ];
    const want = {
      axis: 3,
      alpha: 0.5,
      mode: 'nearest',
      perm: [1, 0],
      scales: [2],
      names: ['x'],
      value: { tensor: { dtype: 'float32', dims: [4] } },
      body: { graph: { name: 'b', nodeCount: 1 } },
      branches: { graphs: [{ name: 'c', nodeCount: 0 }] },
      // Nothing populated: an INT 0, proto3's default.
      zero: 0,
    };
    expect(decodeAttributes(untyped)).toEqual(want);
    // Regression: decoded messages report an unset type as 0 (UNDEFINED), not undefined.
    expect(decodeAttributes(roundTrip(untyped))).toEqual(want);
  });

  it('converts int64 values given as Long', () => {
    const attribute = onnx.AttributeProto.create({
      name: 'big',
      type: AttributeType.INTS,
      ints: [Long.fromNumber(2 ** 40), Long.fromNumber(-5)],
    });
    expect(
      decodeAttributes([
        attribute,
        onnx.AttributeProto.create({ name: 'i', type: AttributeType.INT, i: Long.fromNumber(-7) }),
      ]),
    ).toEqual({
      big: [2 ** 40, -5],
      i: -7,
    });
  });

  it('marks kinds it does not decode with their type code', () => {
    const sparse = onnx.AttributeProto.create({ name: 'sparse', type: AttributeType.SPARSE_TENSOR });
    const typeProto = onnx.AttributeProto.create({ name: 'tp', type: AttributeType.TYPE_PROTO });
    expect(decodeAttributes([sparse, typeProto])).toEqual({
      sparse: { unsupported: 11 },
      tp: { unsupported: 13 },
    });
  });

  it('skips attributes without a name', () => {
    expect(decodeAttributes([intAttr('', 1), intAttr('kept', 2)])).toEqual({ kept: 2 });
  });
});

describe('tensorSummary', () => {
  it('names dtypes hetsched carries and keeps the ONNX code of others', () => {
    expect(tensorSummary(tensorProto('t', 'float16', [3, 1], new Uint16Array(3)))).toEqual({
      dtype: 'float16',
      dims: [3, 1],
    });
    // 8 is STRING, 16 BFLOAT16: no typed array for them here.
    expect(tensorSummary({ dataType: 8, dims: [2] })).toEqual({ dtype: 'onnx:8', dims: [2] });
    expect(tensorSummary({ dataType: 16 })).toEqual({ dtype: 'onnx:16', dims: [] });
  });
});

describe('countNodes and subgraphsOf', () => {
  it('counts nodes of every nesting level', () => {
    expect(countNodes(nested)).toBe(4);
    expect(countNodes(subgraph('empty', []))).toBe(0);
  });

  it('returns GRAPH and GRAPHS attributes in attribute order', () => {
    const [, , , , , , , body, branches] = everyKind;
    const graphs = subgraphsOf([
      intAttr('axis', 0),
      ...(branches ? [branches] : []),
      ...(body ? [body] : []),
    ]);
    expect(graphs.map((graph) => graph.name)).toEqual(['one', 'two', 'outer']);
  });
});
