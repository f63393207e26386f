import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/index.js';
import { modelPath } from '../models/index.js';
import {
  decodeModel,
  type GraphProto,
  modelBytes,
  type NodeProto,
  node,
  onnx,
  valueInfo,
} from '../onnx/index.js';
import { nameNodesByIndex, nodeNameOf, SUBGRAPH_NODE } from './name-nodes.js';

const branch = (name: string, nodes: NodeProto[], output: string) =>
  onnx.GraphProto.create({ name, node: nodes, output: [valueInfo(output, 'float32', [1, 4])] });
const graphAttr = (name: string, g: GraphProto) => onnx.AttributeProto.create({ name, type: 5, g });

/**
 * Main graph: Greater, If (its then-branch holds another If), Identity, Identity: names empty,
 * custom, and repeated. Subgraph nodes in pre-order: then [Relu, If [then Neg | else Abs, Abs]],
 * else [Sigmoid].
 */
function nestedIfModel(): Uint8Array {
  const inner = node(
    'If',
    ['cond'],
    ['t2'],
    [
      graphAttr('then_branch', branch('inner_then', [node('Neg', ['t1'], ['t2'], [], 'neg')], 't2')),
      graphAttr(
        'else_branch',
        branch('inner_else', [node('Abs', ['t1'], ['e1']), node('Abs', ['e1'], ['t2'], [], 'abs')], 't2'),
      ),
    ],
    'inner_if',
  );
  return modelBytes({
    graphName: 'nested',
    inputs: [valueInfo('x', 'float32', [1, 4])],
    outputs: [valueInfo('y', 'float32', [1, 4]), valueInfo('z', 'float32', [1, 4])],
    nodes: [
      node('ReduceMin', ['x'], ['cond']),
      node(
        'If',
        ['cond'],
        ['out'],
        [
          graphAttr('then_branch', branch('then', [node('Relu', ['x'], ['t1'], [], 'relu'), inner], 't2')),
          graphAttr('else_branch', branch('else', [node('Sigmoid', ['x'], ['s1'])], 's1')),
        ],
        'outer_if',
      ),
      node('Identity', ['out'], ['y'], [], 'dup'),
      node('Identity', ['out'], ['z'], [], 'dup'),
    ],
  });
}

/** Every node of a graph and its subgraphs, in pre-order (attributes in order): [depth-0 holder index, node]. */
function walk(graph: GraphProto | null | undefined): { holder: number; node: NodeProto }[] {
  const found: { holder: number; node: NodeProto }[] = [];
  const visit = (holder: number, inner: GraphProto) => {
    for (const child of inner.node ?? []) {
      found.push({ holder, node: child });
      for (const attribute of child.attribute ?? []) {
        if (attribute.g) visit(holder, attribute.g);
        for (const g of attribute.graphs ?? []) visit(holder, g);
      }
    }
  };
  (graph?.node ?? []).forEach((top, index) => {
    for (const attribute of top.attribute ?? []) {
      if (attribute.g) visit(index, attribute.g);
      for (const g of attribute.graphs ?? []) visit(index, g);
    }
  });
  return found;
}

/** What a renaming must keep: every node's type and wiring, at every depth. */
function shape(graph: GraphProto | null | undefined) {
  const plain = (n: NodeProto) => [n.opType, [...(n.input ?? [])], [...(n.output ?? [])]];
  return { main: (graph?.node ?? []).map(plain), nested: walk(graph).map(({ node: n }) => plain(n)) };
}

describe('nodeNameOf and SUBGRAPH_NODE', () => {
  it('names main-graph nodes n<index> and recognises only sub<index>_<k> as subgraph nodes', () => {
    expect(nodeNameOf(0)).toBe('n0');
    expect(nodeNameOf(42)).toBe('n42');
    for (const name of ['sub0_0', 'sub12_345']) expect(SUBGRAPH_NODE.test(name)).toBe(true);
    for (const name of ['n3', 'sub1', 'sub_1', 'sub1_', 'xsub1_2', 'sub1_2/Fusion/', 'sub1_2_3'])
      expect(SUBGRAPH_NODE.test(name), name).toBe(false);
  });
});

describe('nameNodesByIndex', () => {
  it('renames main nodes n<i> and subgraph nodes sub<i>_<k> in pre-order, nested subgraphs included', () => {
    const original = nestedIfModel();
    const before = Buffer.from(original);
    const renamed = decodeModel(nameNodesByIndex(original));
    expect(Buffer.from(original).equals(before)).toBe(true);
    expect(renamed.graph?.node?.map(({ name }) => name)).toEqual(['n0', 'n1', 'n2', 'n3']);
    // Relu, inner If, Neg, Abs, Abs, Sigmoid.
    expect(walk(renamed.graph).map(({ node: n }) => [n.opType, n.name])).toEqual([
      ['Relu', 'sub1_0'],
      ['If', 'sub1_1'],
      ['Neg', 'sub1_2'],
      ['Abs', 'sub1_3'],
      ['Abs', 'sub1_4'],
      ['Sigmoid', 'sub1_5'],
    ]);
    expect(shape(renamed.graph)).toEqual(shape(decodeModel(original).graph));
  });

  it('leaves a model without subgraphs otherwise as it was', () => {
    const bytes = modelBytes({
      graphName: 'flat',
      inputs: [valueInfo('x', 'float32', [1, 4])],
      outputs: [valueInfo('y', 'float32', [1, 4])],
      nodes: [node('Relu', ['x'], ['t'], [], 'same'), node('Neg', ['t'], ['y'], [], 'same')],
    });
    const renamed = decodeModel(nameNodesByIndex(bytes));
    expect(renamed.graph?.node?.map(({ name }) => name)).toEqual(['n0', 'n1']);
    expect(shape(renamed.graph)).toEqual(shape(decodeModel(bytes).graph));
  });

  it('names every node of Silero VAD v5 uniquely, its If branches after their holder', () => {
    const bytes = new Uint8Array(readFileSync(modelPath('silero-vad-v5')));
    const original = decodeModel(bytes);
    const renamed = decodeModel(nameNodesByIndex(bytes));
    const main = renamed.graph?.node ?? [];
    expect(main.map(({ name }) => name)).toEqual(main.map((_, index) => `n${index}`));

    const nested = walk(renamed.graph);
    expect(nested.length).toBeGreaterThan(0);
    const holders = [...new Set(nested.map(({ holder }) => holder))];
    for (const holder of holders) {
      const names = nested.filter((entry) => entry.holder === holder).map((entry) => entry.node.name);
      expect(names).toEqual(names.map((_, k) => `sub${holder}_${k}`));
    }
    const all = [...main.map(({ name }) => name), ...nested.map((entry) => entry.node.name)];
    expect(new Set(all).size).toBe(all.length);
    expect(nested.every((entry) => SUBGRAPH_NODE.test(entry.node.name ?? ''))).toBe(true);
    expect(main.some(({ name }) => SUBGRAPH_NODE.test(name ?? ''))).toBe(false);

    // The graph IR sees the same operators, each now identified by its probe name, and the same
    // subgraph sizes.
    const before = buildGraph(original);
    const after = buildGraph(renamed);
    expect(after.ops.map(({ id }) => id)).toEqual(after.ops.map(({ onnxIndex }) => nodeNameOf(onnxIndex)));
    expect(after.ops.map(({ opType, subgraphNodeCount }) => [opType, subgraphNodeCount])).toEqual(
      before.ops.map(({ opType, subgraphNodeCount }) => [opType, subgraphNodeCount]),
    );
    for (const op of after.ops.filter(({ subgraphNodeCount }) => subgraphNodeCount > 0))
      expect(nested.filter(({ holder }) => holder === op.onnxIndex)).toHaveLength(op.subgraphNodeCount);
    expect(shape(renamed.graph)).toEqual(shape(original.graph));
  });
});
