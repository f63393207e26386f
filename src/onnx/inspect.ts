import { Code, HetschedError } from '../common/index.js';
import { dtypeFromOnnx, type TensorSpec } from '../tensor/index.js';
import { decodeModel, type GraphProto, type ModelProto, toNumber, type ValueInfoProto } from './codec.js';

/** What hetsched needs to know of a model before loading it: signature, versions, size of the graph. */
export interface OnnxModelInfo {
  readonly irVersion: number;
  /** Opset version per operator domain; '' is the default ONNX domain. */
  readonly opsets: ReadonlyMap<string, number>;
  readonly producer: string;
  /** Nodes in the main graph (subgraphs of If/Loop/Scan not counted). */
  readonly nodeCount: number;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

/**
 * Reads a model's signature and versions. Rejects, with INVALID_ARGUMENT and a message naming the
 * problem, what hetsched cannot serve: undecodable bytes, weights in external files (a registered
 * model must be self-contained), and inputs or outputs of element types it cannot carry.
 */
export function inspectModel(bytes: Uint8Array): OnnxModelInfo {
  return describeModel(decodeModel(bytes));
}

export function describeModel(model: ModelProto): OnnxModelInfo {
  const graph = model.graph as GraphProto;
  if (usesExternalData(graph)) {
    throw new HetschedError(
      Code.InvalidArgument,
      'the model keeps weights in external data files; save it with all tensors inside the .onnx file',
    );
  }
  const initializerNames = new Set((graph.initializer ?? []).map((tensor) => tensor.name ?? ''));
  // Before IR 4, initializers were also listed as graph inputs; those are weights, not inputs.
  const inputs = (graph.input ?? []).filter((value) => !initializerNames.has(value.name ?? ''));
  return {
    irVersion: toNumber(model.irVersion),
    opsets: new Map((model.opsetImport ?? []).map((entry) => [entry.domain ?? '', toNumber(entry.version)])),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    nodeCount: graph.node?.length ?? 0,
    inputs: inputs.map((value) => valueSpec(value, 'input')),
    outputs: (graph.output ?? []).map((value) => valueSpec(value, 'output')),
  };
}

function valueSpec(value: ValueInfoProto, role: 'input' | 'output'): TensorSpec {
  const name = value.name ?? '';
  const tensorType = value.type?.tensorType;
  if (!tensorType) {
    throw new HetschedError(
      Code.InvalidArgument,
      `model ${role} '${name}' is not a tensor (sequences and maps are not served)`,
    );
  }
  const code = tensorType.elemType ?? 0;
  const dtype = dtypeFromOnnx(code);
  if (!dtype) {
    throw new HetschedError(
      Code.InvalidArgument,
      `model ${role} '${name}' has ONNX element type ${code}, which hetsched does not carry`,
    );
  }
  const dims = tensorType.shape?.dim ?? [];
  return {
    name,
    dtype,
    // A dim with a value is fixed; one with a name or nothing is open (-1).
    shape: dims.map((dim) =>
      dim.dimValue !== null && dim.dimValue !== undefined ? toNumber(dim.dimValue) : -1,
    ),
    dimNames: dims.map((dim) => dim.dimParam ?? ''),
  };
}

function usesExternalData(graph: GraphProto): boolean {
  const external = (tensors: GraphProto['initializer']) =>
    (tensors ?? []).some((tensor) => tensor.dataLocation === 1);
  return (
    external(graph.initializer) ||
    (graph.node ?? []).some((node) =>
      (node.attribute ?? []).some((attribute) => (attribute.t ? attribute.t.dataLocation === 1 : false)),
    )
  );
}
