import { Code, HetschedError } from '../common/index.js';
import { GRAPH, MODEL_GRAPH, SPARSE_TENSOR_VALUES, TENSOR_NAME } from './assemble-fields.js';
import { type WireField, WireType, wireFields } from './wire.js';

/**
 * Where the parts of an ONNX model sit in its bytes. Every `Uint8Array` here is a view into
 * `bytes`, not a copy: the layout of a 100 MB model costs a few kilobytes, and it is only valid as
 * long as `bytes` is not modified.
 *
 * Two kinds of slice: a *field* is a whole protobuf field, tag and length included, that can be
 * copied as is into a message of the same type; a *message* is the encoding of one sub-message
 * (what `onnx.NodeProto.decode` reads), without the tag and length that framed it.
 */
export interface ModelLayout {
  /** The model's bytes, as given to {@link indexModel}. */
  readonly bytes: Uint8Array;
  /**
   * Every top-level ModelProto field except `graph`, as fields, in file order: ir_version,
   * opset_import, producer, domain, model_version, doc_string, metadata_props, training_info,
   * functions, and any field this code does not know (e.g. from a newer ONNX).
   */
  readonly modelFields: readonly Uint8Array[];
  /**
   * How many of `modelFields` came before the graph, so that an assembled model puts its graph at
   * the same place: a model written by field number then round-trips byte for byte.
   */
  readonly graphPosition: number;
  /** GraphProto.name (field 2); '' if absent. */
  readonly graphName: string;
  /** GraphProto.doc_string (field 10); undefined if absent, '' if present but empty. */
  readonly docString: string | undefined;
  /** NodeProto messages (graph field 1), in file (topological) order; subgraphs travel inside them. */
  readonly nodes: readonly Uint8Array[];
  /** TensorProto messages (graph field 5) keyed by the tensor's name, in file order. */
  readonly initializers: ReadonlyMap<string, Uint8Array>;
  /** SparseTensorProto messages (graph field 15) keyed by the name of their `values` tensor. */
  readonly sparseInitializers: ReadonlyMap<string, Uint8Array>;
  /** ValueInfoProto messages of the graph inputs (field 11), in order. */
  readonly inputs: readonly Uint8Array[];
  /** ValueInfoProto messages of the graph outputs (field 12), in order. */
  readonly outputs: readonly Uint8Array[];
  /** ValueInfoProto messages of intermediate tensors (field 13), in order. */
  readonly valueInfo: readonly Uint8Array[];
  /**
   * The other GraphProto fields, as fields, in file order: quantization_annotation (14),
   * metadata_props (16) and anything newer.
   */
  readonly otherGraphFields: readonly Uint8Array[];
}

const utf8 = new TextDecoder();

/**
 * Locates the parts of an ONNX model without decoding it: only the top level of the ModelProto,
 * the top level of its GraphProto and the names of initializers are read; nodes and tensor data are
 * skipped over. InvalidArgument if the bytes are not a well-formed protobuf, have no graph, or name
 * two initializers alike (ONNX requires initializer names to be unique).
 *
 * A graph field that occurs more than once is merged as protobuf merges a repeated sub-message:
 * lists concatenate, the last name and doc_string win.
 */
export function indexModel(bytes: Uint8Array): ModelLayout {
  const modelFields: Uint8Array[] = [];
  let graphPosition = -1;
  const graph = new GraphCollector(bytes);
  for (const field of wireFields(bytes)) {
    if (field.fieldNumber !== MODEL_GRAPH) {
      modelFields.push(bytes.subarray(field.start, field.end));
      continue;
    }
    expectLengthDelimited(field, 'ModelProto.graph');
    if (graphPosition < 0) graphPosition = modelFields.length;
    graph.read(field.valueStart, field.valueEnd);
  }
  if (graphPosition < 0) throw new HetschedError(Code.InvalidArgument, 'the ONNX model has no graph');
  return { bytes, modelFields, graphPosition, ...graph.parts() };
}

type GraphParts = Omit<ModelLayout, 'bytes' | 'modelFields' | 'graphPosition'>;

class GraphCollector {
  private graphName = '';
  private docString: string | undefined;
  private readonly nodes: Uint8Array[] = [];
  private readonly initializers = new Map<string, Uint8Array>();
  private readonly sparseInitializers = new Map<string, Uint8Array>();
  private readonly inputs: Uint8Array[] = [];
  private readonly outputs: Uint8Array[] = [];
  private readonly valueInfo: Uint8Array[] = [];
  private readonly otherGraphFields: Uint8Array[] = [];

  constructor(private readonly bytes: Uint8Array) {}

  read(start: number, end: number): void {
    const bytes = this.bytes;
    for (const field of wireFields(bytes, start, end)) {
      const message = (what: string): Uint8Array => {
        expectLengthDelimited(field, `GraphProto.${what}`);
        return bytes.subarray(field.valueStart, field.valueEnd);
      };
      switch (field.fieldNumber) {
        case GRAPH.node:
          this.nodes.push(message('node'));
          break;
        case GRAPH.name:
          this.graphName = utf8.decode(message('name'));
          break;
        case GRAPH.docString:
          this.docString = utf8.decode(message('doc_string'));
          break;
        case GRAPH.initializer: {
          const tensor = message('initializer');
          this.addInitializer(this.initializers, tensorName(bytes, field.valueStart, field.valueEnd), tensor);
          break;
        }
        case GRAPH.sparseInitializer: {
          const sparse = message('sparse_initializer');
          const name = sparseTensorName(bytes, field.valueStart, field.valueEnd);
          this.addInitializer(this.sparseInitializers, name, sparse);
          break;
        }
        case GRAPH.input:
          this.inputs.push(message('input'));
          break;
        case GRAPH.output:
          this.outputs.push(message('output'));
          break;
        case GRAPH.valueInfo:
          this.valueInfo.push(message('value_info'));
          break;
        default:
          this.otherGraphFields.push(bytes.subarray(field.start, field.end));
      }
    }
  }

  private addInitializer(into: Map<string, Uint8Array>, name: string, message: Uint8Array): void {
    // Dense and sparse initializers share one namespace: both define a graph value.
    if (this.initializers.has(name) || this.sparseInitializers.has(name)) {
      throw new HetschedError(Code.InvalidArgument, `the ONNX graph has two initializers named '${name}'`);
    }
    into.set(name, message);
  }

  parts(): GraphParts {
    return {
      graphName: this.graphName,
      docString: this.docString,
      nodes: this.nodes,
      initializers: this.initializers,
      sparseInitializers: this.sparseInitializers,
      inputs: this.inputs,
      outputs: this.outputs,
      valueInfo: this.valueInfo,
      otherGraphFields: this.otherGraphFields,
    };
  }
}

/** TensorProto.name of the tensor encoded in `bytes[start..end)`; '' if absent (last one wins). */
function tensorName(bytes: Uint8Array, start: number, end: number): string {
  let name = '';
  for (const field of wireFields(bytes, start, end)) {
    if (field.fieldNumber !== TENSOR_NAME) continue;
    expectLengthDelimited(field, 'TensorProto.name');
    name = utf8.decode(bytes.subarray(field.valueStart, field.valueEnd));
  }
  return name;
}

/** A SparseTensorProto is named by its `values` tensor. */
function sparseTensorName(bytes: Uint8Array, start: number, end: number): string {
  let name = '';
  for (const field of wireFields(bytes, start, end)) {
    if (field.fieldNumber !== SPARSE_TENSOR_VALUES) continue;
    expectLengthDelimited(field, 'SparseTensorProto.values');
    name = tensorName(bytes, field.valueStart, field.valueEnd);
  }
  return name;
}

function expectLengthDelimited(field: WireField, what: string): void {
  if (field.wireType !== WireType.LengthDelimited) {
    throw new HetschedError(
      Code.InvalidArgument,
      `malformed ONNX model: ${what} at byte ${field.start} has wire type ${field.wireType}, not 2 (length-delimited)`,
    );
  }
}
