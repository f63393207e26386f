import { Code, HetschedError } from '../common/index.js';
import { GRAPH, MODEL_GRAPH } from './assemble-fields.js';
import type { ModelLayout } from './assemble-layout.js';
import { concat, lengthPrefix } from './wire.js';

/** What goes into the graph of an assembled model; see {@link assembleModel}. */
export interface AssembleParts {
  readonly graphName: string;
  /** Indices into `layout.nodes`, in the order the new graph lists them (it must be topological). */
  readonly nodeIndices: readonly number[];
  /** Names of `layout.initializers` or `layout.sparseInitializers` to carry, in the order given. */
  readonly initializerNames: readonly string[];
  /** Encoded ValueInfoProto messages (e.g. `onnx.ValueInfoProto.encode(v).finish()`, or `layout.inputs`). */
  readonly inputs: readonly Uint8Array[];
  readonly outputs: readonly Uint8Array[];
  readonly valueInfo?: readonly Uint8Array[];
  /** GraphProto.doc_string, written when given, even empty (e.g. `layout.docString`). */
  readonly docString?: string | undefined;
  /**
   * Whole GraphProto fields (tag included) written verbatim after the others, e.g. some of
   * `layout.otherGraphFields`. None unless given: quantization annotations name tensors of the
   * whole graph, which a part of it may not hold.
   */
  readonly extraGraphFields?: readonly Uint8Array[];
}

const utf8 = new TextEncoder();

/**
 * A new ONNX model made of parts of the indexed one: every top-level ModelProto field except the
 * graph copied verbatim (IR version, opset imports, functions, metadata, fields newer than this
 * code), and a new GraphProto holding the chosen nodes and initializers, also copied verbatim, and
 * the given inputs, outputs and value infos. Nothing is decoded and re-encoded, so fields that
 * onnx-proto does not know survive and megabytes of weights are copied once, into the one buffer
 * returned.
 *
 * The graph's fields are written in field-number order, as protobuf serializers write them, so that
 * assembling every part of a model written that way reproduces its bytes exactly.
 *
 * Checks only what it is given: InvalidArgument for a node index out of range or repeated, and for
 * an initializer name unknown or repeated. Whether the graph is valid ONNX (every input produced,
 * types matching) is for onnxruntime to say when it loads the model.
 */
export function assembleModel(layout: ModelLayout, parts: AssembleParts): Uint8Array {
  const graph: Uint8Array[] = [];
  let graphLength = 0;
  const message = (fieldNumber: number, payload: Uint8Array): void => {
    const prefix = lengthPrefix(fieldNumber, payload.length);
    graph.push(prefix, payload);
    graphLength += prefix.length + payload.length;
  };

  for (const index of checkedNodeIndices(layout, parts.nodeIndices)) {
    const node = layout.nodes[index];
    if (node !== undefined) message(GRAPH.node, node);
  }
  // An empty name is left out, as serializers leave out an unset string field.
  if (parts.graphName !== '') message(GRAPH.name, utf8.encode(parts.graphName));
  const sparseTensors: Uint8Array[] = [];
  for (const name of checkedInitializerNames(layout, parts.initializerNames)) {
    const dense = layout.initializers.get(name);
    const sparse = layout.sparseInitializers.get(name);
    if (dense !== undefined) message(GRAPH.initializer, dense);
    else if (sparse !== undefined) sparseTensors.push(sparse);
  }
  if (parts.docString !== undefined) {
    message(GRAPH.docString, utf8.encode(parts.docString));
  }
  for (const input of parts.inputs) message(GRAPH.input, input);
  for (const output of parts.outputs) message(GRAPH.output, output);
  for (const info of parts.valueInfo ?? []) message(GRAPH.valueInfo, info);
  for (const tensor of sparseTensors) message(GRAPH.sparseInitializer, tensor);
  for (const raw of parts.extraGraphFields ?? []) {
    graph.push(raw);
    graphLength += raw.length;
  }

  const before = layout.modelFields.slice(0, layout.graphPosition);
  const after = layout.modelFields.slice(layout.graphPosition);
  return concat([...before, lengthPrefix(MODEL_GRAPH, graphLength), ...graph, ...after]);
}

function checkedNodeIndices(layout: ModelLayout, indices: readonly number[]): readonly number[] {
  const seen = new Set<number>();
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= layout.nodes.length) {
      throw new HetschedError(
        Code.InvalidArgument,
        `node index ${index} is out of range: the model has ${layout.nodes.length} nodes`,
      );
    }
    if (seen.has(index)) throw new HetschedError(Code.InvalidArgument, `node index ${index} is given twice`);
    seen.add(index);
  }
  return indices;
}

function checkedInitializerNames(layout: ModelLayout, names: readonly string[]): readonly string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (!layout.initializers.has(name) && !layout.sparseInitializers.has(name)) {
      throw new HetschedError(Code.InvalidArgument, `the model has no initializer named '${name}'`);
    }
    if (seen.has(name)) throw new HetschedError(Code.InvalidArgument, `initializer '${name}' is given twice`);
    seen.add(name);
  }
  return names;
}
