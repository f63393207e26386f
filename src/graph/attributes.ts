import { type AttributeProto, type GraphProto, type TensorProto, toNumber } from '../onnx/index.js';
import { dtypeFromOnnx } from '../tensor/index.js';
import type { AttributeValue } from './graph-types.js';

/** AttributeProto.AttributeType codes. */
const FLOAT = 1;
const INT = 2;
const STRING = 3;
const TENSOR = 4;
const GRAPH = 5;
const FLOATS = 6;
const INTS = 7;
const STRINGS = 8;
const GRAPHS = 10;

const utf8 = new TextDecoder();

/** Plain-data attributes of a node (tensors and subgraphs summarised). */
export function decodeAttributes(attributes: readonly AttributeProto[]): Record<string, AttributeValue> {
  const decoded: Record<string, AttributeValue> = {};
  for (const attribute of attributes) {
    if (attribute.name) decoded[attribute.name] = decodeAttribute(attribute);
  }
  return decoded;
}

function decodeAttribute(attribute: AttributeProto): AttributeValue {
  // Old exporters leave `type` unset (decoded as 0, UNDEFINED); then the populated field tells.
  switch (attribute.type || inferType(attribute)) {
    case FLOAT:
      return attribute.f ?? 0;
    case INT:
      return toNumber(attribute.i);
    case STRING:
      return utf8.decode(attribute.s ?? new Uint8Array());
    case TENSOR:
      return { tensor: tensorSummary(attribute.t ?? {}) };
    case GRAPH:
      return { graph: graphSummary(attribute.g ?? {}) };
    case FLOATS:
      return [...(attribute.floats ?? [])];
    case INTS:
      return (attribute.ints ?? []).map((value) => toNumber(value));
    case STRINGS:
      return (attribute.strings ?? []).map((value) => utf8.decode(value));
    case GRAPHS:
      return { graphs: (attribute.graphs ?? []).map(graphSummary) };
    default:
      return { unsupported: attribute.type ?? 0 };
  }
}

function inferType(attribute: AttributeProto): number {
  if (attribute.g) return GRAPH;
  if (attribute.t) return TENSOR;
  if (attribute.graphs?.length) return GRAPHS;
  if (attribute.floats?.length) return FLOATS;
  if (attribute.ints?.length) return INTS;
  if (attribute.strings?.length) return STRINGS;
  if (attribute.s?.length) return STRING;
  if (attribute.f) return FLOAT;
  return INT;
}

export function tensorSummary(tensor: TensorProto): { dtype: string; dims: number[] } {
  const code = tensor.dataType ?? 0;
  return {
    dtype: dtypeFromOnnx(code) ?? `onnx:${code}`,
    dims: (tensor.dims ?? []).map((dim) => toNumber(dim)),
  };
}

function graphSummary(graph: GraphProto): { name: string; nodeCount: number } {
  return { name: graph.name ?? '', nodeCount: countNodes(graph) };
}

/** Nodes of a graph including every nested subgraph. */
export function countNodes(graph: GraphProto): number {
  let count = 0;
  for (const node of graph.node ?? []) {
    count += 1;
    for (const subgraph of subgraphsOf(node.attribute ?? [])) count += countNodes(subgraph);
  }
  return count;
}

export function subgraphsOf(attributes: readonly AttributeProto[]): GraphProto[] {
  const graphs: GraphProto[] = [];
  for (const attribute of attributes) {
    if (attribute.g) graphs.push(attribute.g);
    for (const graph of attribute.graphs ?? []) graphs.push(graph);
  }
  return graphs;
}
