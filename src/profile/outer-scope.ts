import type { GraphProto, NodeProto } from '../onnx/index.js';

/** The graphs a control-flow node carries in its attributes (If's branches, Loop's and Scan's body). */
export function subgraphs(node: NodeProto): GraphProto[] {
  return (node.attribute ?? []).flatMap((attribute) => [
    ...(attribute.g ? [attribute.g] : []),
    ...(attribute.graphs ?? []),
  ]);
}

/**
 * The outer-scope tensors a node's subgraphs read (its implicit inputs), recursively through nested
 * subgraphs: every name a subgraph node consumes that the subgraph neither produces nor declares
 * as an input or initializer. Empty for an ordinary node. Order: first use.
 */
export function implicitInputs(node: NodeProto): string[] {
  const names = new Set<string>();
  for (const graph of subgraphs(node)) for (const name of outerNames(graph)) names.add(name);
  return [...names];
}

function outerNames(graph: GraphProto): Set<string> {
  const local = new Set<string>([
    ...(graph.input ?? []).map((value) => value.name ?? ''),
    ...(graph.initializer ?? []).map((tensor) => tensor.name ?? ''),
    ...(graph.sparseInitializer ?? []).map((sparse) => sparse.values?.name ?? ''),
    ...(graph.node ?? []).flatMap((node) => node.output ?? []),
  ]);
  const outer = new Set<string>();
  const use = (name: string) => {
    if (name !== '' && !local.has(name)) outer.add(name);
  };
  for (const node of graph.node ?? []) {
    for (const name of node.input ?? []) use(name);
    for (const name of implicitInputs(node)) use(name);
  }
  // A subgraph may also return an outer tensor directly as one of its outputs.
  for (const value of graph.output ?? []) use(value.name ?? '');
  return outer;
}
