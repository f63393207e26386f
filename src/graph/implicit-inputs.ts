import type { GraphProto, NodeProto } from '../onnx/index.js';
import { subgraphsOf } from './attributes.js';

/**
 * The outer-scope tensors a node's subgraphs read (If/Loop/Scan bodies may use any tensor of the
 * enclosing graph by name without listing it as a node input). A segment holding such a node must
 * receive these tensors too. Names are returned in first-use order.
 */
export function implicitInputs(node: NodeProto): string[] {
  const used: string[] = [];
  const seen = new Set<string>();
  for (const subgraph of subgraphsOf(node.attribute ?? []))
    collectOuterReferences(subgraph, new Set(), used, seen);
  return used;
}

function collectOuterReferences(
  graph: GraphProto,
  outerDefined: ReadonlySet<string>,
  used: string[],
  seen: Set<string>,
): void {
  // Names defined at this level shadow the outer scope for this graph and the graphs inside it.
  const defined = new Set(outerDefined);
  for (const value of graph.input ?? []) defined.add(value.name ?? '');
  for (const tensor of graph.initializer ?? []) defined.add(tensor.name ?? '');
  for (const sparse of graph.sparseInitializer ?? []) defined.add(sparse.values?.name ?? '');
  for (const node of graph.node ?? []) for (const output of node.output ?? []) defined.add(output);
  const reference = (name: string) => {
    if (name !== '' && !defined.has(name) && !seen.has(name)) {
      seen.add(name);
      used.push(name);
    }
  };
  for (const node of graph.node ?? []) {
    for (const input of node.input ?? []) reference(input);
    for (const subgraph of subgraphsOf(node.attribute ?? [])) {
      const inner: string[] = [];
      collectOuterReferences(subgraph, defined, inner, seen);
      for (const name of inner) used.push(name);
    }
  }
  for (const output of graph.output ?? []) reference(output.name ?? '');
}
