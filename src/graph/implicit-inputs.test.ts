import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelPath } from '../models/index.js';
import {
  type AttributeProto,
  decodeModel,
  type GraphProto,
  intAttr,
  type NodeProto,
  node,
  onnx,
  tensorProto,
  valueInfo,
} from '../onnx/index.js';
import { implicitInputs } from './implicit-inputs.js';

const AttributeType = onnx.AttributeProto.AttributeType;

function graphAttr(name: string, graph: GraphProto): AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.GRAPH, g: graph });
}

function body(parts: {
  nodes: NodeProto[];
  inputs?: string[];
  outputs?: string[];
  initializers?: string[];
}): GraphProto {
  return onnx.GraphProto.create({
    name: 'body',
    node: parts.nodes,
    input: (parts.inputs ?? []).map((name) => valueInfo(name, 'float32', [1])),
    output: (parts.outputs ?? []).map((name) => valueInfo(name, 'float32', [1])),
    initializer: (parts.initializers ?? []).map((name) =>
      tensorProto(name, 'float32', [1], new Float32Array([1])),
    ),
  });
}

function ifNode(thenBranch: GraphProto, elseBranch: GraphProto): NodeProto {
  return node(
    'If',
    ['cond'],
    ['y'],
    [graphAttr('then_branch', thenBranch), graphAttr('else_branch', elseBranch)],
  );
}

describe('implicitInputs', () => {
  it('is empty for a node without subgraphs', () => {
    expect(implicitInputs(node('Add', ['a', 'b'], ['c'], [intAttr('axis', 1)]))).toEqual([]);
  });

  it('lists outer tensors the branches read, in first-use order, each once', () => {
    const thenBranch = body({
      nodes: [node('Add', ['x', 'w'], ['t']), node('Mul', ['t', 'x'], ['u'])],
      outputs: ['u'],
    });
    const elseBranch = body({ nodes: [node('Sub', ['z', 'w'], ['v'])], outputs: ['v'] });
    // The If's own input 'cond' is explicit: only names inside the branches count.
    expect(implicitInputs(ifNode(thenBranch, elseBranch))).toEqual(['x', 'w', 'z']);
  });

  it("does not list what a subgraph defines itself: inputs, initializers, nodes' outputs", () => {
    const loopBody = body({
      inputs: ['i', 'carried'],
      initializers: ['bias'],
      nodes: [node('Add', ['carried', 'bias'], ['s']), node('Mul', ['s', 'outer'], ['next'])],
      outputs: ['next'],
    });
    const loop = node('Loop', ['n', ''], ['out'], [graphAttr('body', loopBody)]);
    expect(implicitInputs(loop)).toEqual(['outer']);
  });

  it('counts a node output as defined even when a later node produces it', () => {
    const branch = body({
      nodes: [node('Relu', ['late'], ['r']), node('Neg', ['x'], ['late'])],
      outputs: ['r'],
    });
    expect(implicitInputs(ifNode(branch, body({ nodes: [] })))).toEqual(['x']);
  });

  it('lists an outer tensor a branch returns as it is, and skips omitted optional inputs', () => {
    const passThrough = body({ nodes: [], outputs: ['outerValue'] });
    const other = body({ nodes: [node('Clip', ['x', '', 'hi'], ['c'])], outputs: ['c'] });
    expect(implicitInputs(ifNode(passThrough, other))).toEqual(['outerValue', 'x', 'hi']);
  });

  it('looks through nested subgraphs, where the enclosing subgraph shadows the outer scope', () => {
    const inner = body({
      nodes: [node('Add', ['mid', 'deep'], ['r']), node('Mul', ['r', 'innerInput'], ['q'])],
      inputs: ['innerInput'],
      outputs: ['q'],
    });
    const middle = body({
      nodes: [
        node('Neg', ['a'], ['mid']),
        node(
          'If',
          ['c'],
          ['m'],
          [graphAttr('then_branch', inner), graphAttr('else_branch', body({ nodes: [] }))],
        ),
      ],
      outputs: ['m'],
    });
    // 'mid' is the middle graph's own; 'deep' comes from outside the If.
    expect(implicitInputs(ifNode(middle, body({ nodes: [], outputs: ['a'] })))).toEqual(['a', 'c', 'deep']);
  });

  it('reads GRAPHS attributes too', () => {
    const graphs = onnx.AttributeProto.create({
      name: 'branches',
      type: AttributeType.GRAPHS,
      graphs: [body({ nodes: [node('Relu', ['p'], ['o'])] }), body({ nodes: [node('Relu', ['q'], ['o'])] })],
    });
    expect(implicitInputs(node('Custom', [], ['y'], [graphs]))).toEqual(['p', 'q']);
  });

  it("finds the 71 outer-scope tensors silero-vad-legacy's If reads", () => {
    const graph = decodeModel(readFileSync(modelPath('silero-vad-legacy'))).graph;
    const nodes = graph?.node ?? [];
    const ifs = nodes.filter((candidate) => candidate.opType === 'If');
    expect(ifs).toHaveLength(1);
    const reads = implicitInputs(ifs[0] ?? node('If', [], []));
    expect(reads).toHaveLength(71);
    expect(new Set(reads).size).toBe(71);
    const initializers = new Set((graph?.initializer ?? []).map((tensor) => tensor.name ?? ''));
    // Every initializer but the one the Equal node compares the sample rate with, plus three inputs.
    expect(reads.filter((name) => !initializers.has(name))).toEqual(['input', 'h', 'c']);
    expect([...initializers].filter((name) => !reads.includes(name))).toEqual(['onnx::Equal_124']);
  });
});
