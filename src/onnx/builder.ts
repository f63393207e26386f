import { DTYPES, type DType } from '../tensor/index.js';
import {
  type AttributeProto,
  encodeModel,
  type ModelProto,
  type NodeProto,
  onnx,
  type TensorProto,
  type ValueInfoProto,
} from './codec.js';

/** A tensor dimension: a fixed size, a symbolic name (dimParam), or a negative number for unknown. */
export type Dim = number | string;

/**
 * The elements of a tensor: the typed array of its dtype, over any buffer (a SharedArrayBuffer too,
 * which the tensor module's TypedArray type leaves out).
 */
export type TensorElements = ArrayBufferView & {
  readonly length: number;
  readonly BYTES_PER_ELEMENT: number;
};

/** An operator set a model imports; '' is the default ONNX domain. */
export interface OpsetImport {
  readonly domain: string;
  readonly version: number;
}

/** Everything {@link buildModel} needs; the optional fields have the defaults hetsched writes. */
export interface ModelParts {
  readonly graphName: string;
  /** In topological order: ONNX requires every input to be produced before it is consumed. */
  readonly nodes: readonly NodeProto[];
  readonly initializers?: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
  /** Types and shapes of intermediate tensors. */
  readonly valueInfo?: readonly ValueInfoProto[];
  /** Version of the default ONNX domain; 17 is the first with LayerNormalization. Default 17. */
  readonly opset?: number;
  /** Further domains, e.g. com.microsoft for onnxruntime's contrib operators. */
  readonly extraOpsets?: readonly OpsetImport[];
  /** Default 8, the IR of ONNX 1.10-1.12, which opset 17 needs at least. */
  readonly irVersion?: number;
  /** Default 'hetsched'. */
  readonly producer?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
}

// ONNX stores raw tensor data little-endian whatever the host; typed arrays use the host's order.
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();

/**
 * An initializer (or tensor attribute) holding `data` as little-endian `rawData`.
 * `data` must be the typed array of `dtype` (see DTYPES) with exactly as many elements as `dims`
 * describes; an empty `dims` is a scalar.
 */
export function tensorProto(
  name: string,
  dtype: DType,
  dims: readonly number[],
  data: TensorElements,
): TensorProto {
  const entry = DTYPES[dtype];
  if (!(data instanceof entry.array)) {
    throw new TypeError(
      `tensor '${name}': ${dtype} data must be a ${entry.array.name}, got ${data.constructor.name}`,
    );
  }
  const elements = dims.reduce((product, dim) => product * dim, 1);
  if (dims.some((dim) => !Number.isSafeInteger(dim) || dim < 0) || elements !== data.length) {
    throw new RangeError(`tensor '${name}': dims [${dims.join(', ')}] do not hold ${data.length} elements`);
  }
  return onnx.TensorProto.create({
    name,
    dataType: entry.onnx,
    dims: [...dims],
    rawData: littleEndianBytes(data),
  });
}

/** A copy of the array's bytes in little-endian element order. */
function littleEndianBytes(data: TensorElements): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const width = data.BYTES_PER_ELEMENT;
  if (!HOST_IS_LITTLE_ENDIAN && width > 1) {
    for (let start = 0; start < bytes.length; start += width) bytes.subarray(start, start + width).reverse();
  }
  return bytes;
}

/**
 * The declared type of a graph input, output or intermediate tensor. Numbers become fixed dims,
 * strings symbolic ones, negative numbers unknown ones; leaving `shape` out declares no rank at all.
 */
export function valueInfo(name: string, dtype: DType, shape?: readonly Dim[]): ValueInfoProto {
  const tensorType = onnx.TypeProto.Tensor.create({ elemType: DTYPES[dtype].onnx });
  if (shape !== undefined) {
    tensorType.shape = onnx.TensorShapeProto.create({ dim: shape.map(dimension) });
  }
  return onnx.ValueInfoProto.create({ name, type: onnx.TypeProto.create({ tensorType }) });
}

function dimension(dim: Dim) {
  if (typeof dim === 'string') return onnx.TensorShapeProto.Dimension.create({ dimParam: dim });
  if (!Number.isSafeInteger(dim)) throw new RangeError(`dimension ${dim} is not an integer`);
  return onnx.TensorShapeProto.Dimension.create(dim >= 0 ? { dimValue: dim } : {});
}

/**
 * One operator. An empty string in `inputs` skips an optional input (the ONNX convention).
 * `name` should be unique in the graph: onnxruntime's profiles and errors refer to nodes by it.
 */
export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: readonly AttributeProto[] = [],
  name = '',
  domain = '',
): NodeProto {
  return onnx.NodeProto.create({
    opType,
    input: [...inputs],
    output: [...outputs],
    attribute: [...attributes],
    name,
    domain,
  });
}

const AttributeType = onnx.AttributeProto.AttributeType;

/** An INT attribute (e.g. axis). */
export function intAttr(name: string, value: number): AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value });
}

/** An INTS attribute (e.g. perm). */
export function intsAttr(name: string, values: readonly number[]): AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: [...values] });
}

/** A FLOAT attribute (e.g. epsilon). */
export function floatAttr(name: string, value: number): AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value });
}

/** A FLOATS attribute. */
export function floatsAttr(name: string, values: readonly number[]): AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: [...values] });
}

/** A STRING attribute, stored as UTF-8 bytes (e.g. mode). */
export function stringAttr(name: string, value: string): AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: utf8.encode(value) });
}

/** A TENSOR attribute (e.g. Constant's value). */
export function tensorAttr(name: string, value: TensorProto): AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.TENSOR, t: value });
}

/** Assembles a ModelProto from its parts. It does not check the graph: onnxruntime will, on load. */
export function buildModel(parts: ModelParts): ModelProto {
  const graph = onnx.GraphProto.create({
    name: parts.graphName,
    node: [...parts.nodes],
    initializer: [...(parts.initializers ?? [])],
    input: [...parts.inputs],
    output: [...parts.outputs],
    valueInfo: [...(parts.valueInfo ?? [])],
  });
  const opsets: OpsetImport[] = [{ domain: '', version: parts.opset ?? 17 }, ...(parts.extraOpsets ?? [])];
  return onnx.ModelProto.create({
    irVersion: parts.irVersion ?? 8,
    opsetImport: opsets.map((opset) =>
      onnx.OperatorSetIdProto.create({ domain: opset.domain, version: opset.version }),
    ),
    producerName: parts.producer ?? 'hetsched',
    producerVersion: parts.producerVersion ?? '',
    docString: parts.docString ?? '',
    graph,
  });
}

/** {@link buildModel}, encoded: the bytes of an .onnx file. */
export function modelBytes(parts: ModelParts): Uint8Array {
  return encodeModel(buildModel(parts));
}
