import { Code, HetschedError } from '../common/index.js';
import {
  type GraphProto,
  type ModelProto,
  type NodeProto,
  toNumber,
  type ValueInfoProto,
} from '../onnx/index.js';
import { DTYPES, dtypeFromOnnx, isDType } from '../tensor/index.js';
import { countNodes, decodeAttributes, subgraphsOf, tensorSummary } from './attributes.js';
import { estimateFlops, product } from './flops.js';
import type {
  ConstantNode,
  Dim,
  GraphIR,
  OpNode,
  ResolvedTensor,
  TensorInfo,
  TensorKind,
} from './graph-types.js';
import { implicitInputs } from './implicit-inputs.js';
import { nodeIds } from './node-ids.js';
import { topologicalOrder } from './toposort.js';

export interface BuildGraphOptions {
  /** Types and shapes found by onnxruntime (metadata, or a run on concrete inputs); they win over declarations. */
  readonly resolved?: ReadonlyMap<string, ResolvedTensor>;
  /** Whether `resolved` came from a run on concrete inputs (so shapes are exact, not declared). */
  readonly shapesFromRun?: boolean;
}

/**
 * Builds the operator-graph IR of a model: operators in topological order with unique ids,
 * control-flow nodes as single operators carrying their subgraphs' outer-scope reads, every tensor
 * with dtype and shape (resolved where onnxruntime told us, declared otherwise, symbolic where
 * neither knows), and per-operator FLOPs and bytes estimates. Constant nodes are weights, not
 * operators. Pure: the caller supplies what onnxruntime found.
 */
export function buildGraph(model: ModelProto, options: BuildGraphOptions = {}): GraphIR {
  const graph = model.graph as GraphProto;
  const nodes = graph.node ?? [];
  const resolved = options.resolved ?? new Map<string, ResolvedTensor>();
  const declared = declaredTypes(graph);

  const weights = new Map<string, { dtype: string; dims: number[]; kind: TensorKind }>();
  for (const tensor of graph.initializer ?? [])
    weights.set(tensor.name ?? '', { ...tensorSummary(tensor), kind: 'initializer' });
  const constants: ConstantNode[] = [];
  const operatorIndices: number[] = [];
  nodes.forEach((node, onnxIndex) => {
    const constant = constantOutput(node);
    if (constant) {
      weights.set(constant.output, { dtype: constant.dtype, dims: constant.dims, kind: 'constant' });
      constants.push({
        onnxIndex,
        output: constant.output,
        bytes: byteSize(constant.dtype, constant.dims) ?? 0,
      });
    } else {
      operatorIndices.push(onnxIndex);
    }
  });

  const ids = nodeIds(nodes.map((node) => ({ name: node.name ?? '', opType: node.opType ?? '' })));
  const producerOf = new Map<string, number>(); // tensor -> position in operatorIndices
  operatorIndices.forEach((onnxIndex, position) => {
    for (const output of nodes[onnxIndex]?.output ?? []) if (output !== '') producerOf.set(output, position);
  });
  const implicit = operatorIndices.map((onnxIndex) => implicitInputs(nodes[onnxIndex] as NodeProto));
  const dependencies = operatorIndices.map((onnxIndex, position) => {
    const reads = [...(nodes[onnxIndex]?.input ?? []), ...(implicit[position] ?? [])];
    return reads.flatMap((name) => {
      const producer = producerOf.get(name);
      return producer === undefined ? [] : [producer];
    });
  });
  const order = topologicalOrder(dependencies);

  const graphInputs = (graph.input ?? [])
    .map((value) => value.name ?? '')
    .filter((name) => !weights.has(name));
  const graphOutputs = new Set((graph.output ?? []).map((value) => value.name ?? ''));
  const consumers = new Map<string, number[]>();
  const typeOf = (name: string): { dtype: string; dims: readonly Dim[] | null } => {
    const weight = weights.get(name);
    if (weight) return weight;
    return resolved.get(name) ?? declared.get(name) ?? { dtype: 'unknown', dims: null };
  };

  const ops: OpNode[] = order.map((position, index) => {
    const onnxIndex = operatorIndices[position] ?? 0;
    const node = nodes[onnxIndex] as NodeProto;
    const inputs = [...(node.input ?? [])];
    const outputs = [...(node.output ?? [])];
    const implicitReads = implicit[position] ?? [];
    for (const name of new Set([...inputs, ...implicitReads])) {
      if (name === '') continue;
      const list = consumers.get(name) ?? [];
      list.push(index);
      consumers.set(name, list);
    }
    const attributes = decodeAttributes(node.attribute ?? []);
    const opType = node.opType ?? '';
    const inputTypes = inputs.map((name) => (name === '' ? null : typeOf(name)));
    const bytesOf = (names: readonly string[], pick: (name: string) => boolean): number | null => {
      let total = 0;
      for (const name of names) {
        if (name === '' || !pick(name)) continue;
        const { dtype, dims } = typeOf(name);
        const bytes = byteSize(dtype, dims);
        if (bytes === null) return null;
        total += bytes;
      }
      return total;
    };
    return {
      index,
      onnxIndex,
      id: ids[onnxIndex] ?? `${opType}#${onnxIndex}`,
      name: node.name ?? '',
      opType,
      domain: node.domain ?? '',
      inputs,
      outputs,
      implicitInputs: implicitReads,
      attributes,
      subgraphNodeCount: subgraphsOf(node.attribute ?? []).reduce(
        (total, subgraph) => total + countNodes(subgraph),
        0,
      ),
      flops: estimateFlops({
        opType,
        attributes,
        inputs: inputTypes.map((type) => type?.dims ?? null),
        outputs: outputs.map((name) => typeOf(name).dims),
      }),
      activationBytesIn: bytesOf([...inputs, ...implicitReads], (name) => !weights.has(name)),
      bytesOut: bytesOf(outputs, () => true),
      weightBytes: bytesOf([...inputs, ...implicitReads], (name) => weights.has(name)) ?? 0,
    };
  });

  const tensors: Record<string, TensorInfo> = {};
  const addTensor = (name: string, kind: TensorKind, producer: number | null) => {
    if (name === '' || tensors[name]) return;
    const { dtype, dims } = typeOf(name);
    tensors[name] = {
      name,
      dtype,
      dims,
      kind,
      isGraphOutput: graphOutputs.has(name),
      bytes: byteSize(dtype, dims),
      producer,
      consumers: consumers.get(name) ?? [],
    };
  };
  for (const name of graphInputs) addTensor(name, 'input', null);
  for (const [name, weight] of weights) addTensor(name, weight.kind, null);
  for (const op of ops) for (const output of op.outputs) addTensor(output, 'intermediate', op.index);
  for (const name of graphOutputs) {
    if (!tensors[name]) {
      throw new HetschedError(
        Code.InvalidArgument,
        `graph output '${name}' is produced by no node, input or initializer`,
      );
    }
  }
  for (const op of ops) {
    for (const name of [...op.inputs, ...op.implicitInputs]) {
      if (name !== '' && !tensors[name]) {
        throw new HetschedError(
          Code.InvalidArgument,
          `node '${op.id}' reads '${name}', which nothing defines`,
        );
      }
    }
  }

  return {
    version: 1,
    graphName: graph.name ?? '',
    irVersion: toNumber(model.irVersion),
    opsets: Object.fromEntries(
      (model.opsetImport ?? []).map((entry) => [entry.domain ?? '', toNumber(entry.version)]),
    ),
    inputs: graphInputs,
    outputs: [...graphOutputs],
    ops,
    constants,
    tensors,
    shapesFromRun: options.shapesFromRun ?? false,
  };
}

/** Bytes of a tensor, null when its dtype has no fixed size here or a dim is unknown. */
export function byteSize(dtype: string, dims: readonly Dim[] | null): number | null {
  const elements = product(dims);
  if (elements === null || !isDType(dtype)) return null;
  return elements * DTYPES[dtype].bytes;
}

/** A `Constant` node's output and type (weights stored as a node), or undefined for any other node. */
function constantOutput(node: NodeProto): { output: string; dtype: string; dims: number[] } | undefined {
  if (node.opType !== 'Constant' || (node.domain ?? '') !== '' || (node.input ?? []).length > 0)
    return undefined;
  const output = node.output?.[0];
  if (!output) return undefined;
  for (const attribute of node.attribute ?? []) {
    if (attribute.t) return { output, ...tensorSummary(attribute.t) };
    if (attribute.name === 'value_float') return { output, dtype: 'float32', dims: [] };
    if (attribute.name === 'value_int') return { output, dtype: 'int64', dims: [] };
    if (attribute.name === 'value_floats')
      return { output, dtype: 'float32', dims: [attribute.floats?.length ?? 0] };
    if (attribute.name === 'value_ints')
      return { output, dtype: 'int64', dims: [attribute.ints?.length ?? 0] };
  }
  return { output, dtype: 'unknown', dims: [] };
}

/** Types and shapes the model itself declares: graph inputs, outputs and value_info. */
function declaredTypes(graph: GraphProto): Map<string, ResolvedTensor> {
  const types = new Map<string, ResolvedTensor>();
  const add = (value: ValueInfoProto) => {
    const tensorType = value.type?.tensorType;
    if (!value.name || !tensorType) return;
    const code = tensorType.elemType ?? 0;
    const dims = tensorType.shape
      ? (tensorType.shape.dim ?? []).map(
          (dim): Dim =>
            dim.dimValue !== null && dim.dimValue !== undefined
              ? toNumber(dim.dimValue)
              : dim.dimParam || '?',
        )
      : null;
    types.set(value.name, { dtype: dtypeFromOnnx(code) ?? (code === 0 ? 'unknown' : `onnx:${code}`), dims });
  };
  for (const value of graph.valueInfo ?? []) add(value);
  for (const value of graph.input ?? []) add(value);
  for (const value of graph.output ?? []) add(value);
  return types;
}
