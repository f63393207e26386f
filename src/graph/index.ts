export { type Adjacency, adjacencyOf, isConnected } from './adjacency.js';
export { subgraphsOf } from './attributes.js';
export { type BuildGraphOptions, buildGraph, byteSize } from './build-graph.js';
export { estimateFlops, type FlopsQuery, product } from './flops.js';
export type {
  AttributeValue,
  ConstantNode,
  Dim,
  GraphIR,
  OpNode,
  ResolvedTensor,
  TensorInfo,
  TensorKind,
} from './graph-types.js';
export { implicitInputs } from './implicit-inputs.js';
export { perGraph } from './per-graph.js';
