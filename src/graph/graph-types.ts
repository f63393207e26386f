/**
 * The operator-graph IR: one tenant's ONNX model as the scheduler sees it. Plain data (JSON- and
 * structured-clone-safe) so that it can be built in a worker and cached or shipped as it is.
 */

/** A dimension: a size, or a symbolic name where the size is not known ('?' when unnamed). */
export type Dim = number | string;

/** An attribute value, decoded to plain data; tensors and subgraphs are summarised, not copied. */
export type AttributeValue =
  | number
  | string
  | readonly number[]
  | readonly string[]
  | { readonly tensor: { readonly dtype: string; readonly dims: readonly number[] } }
  | { readonly graph: { readonly name: string; readonly nodeCount: number } }
  | { readonly graphs: readonly { readonly name: string; readonly nodeCount: number }[] }
  | { readonly unsupported: number };

export type TensorKind = 'input' | 'initializer' | 'constant' | 'intermediate';

export interface TensorInfo {
  readonly name: string;
  /** hetsched dtype name (float32, int64...), or the ONNX type name for types hetsched does not carry; 'unknown' if not inferred. */
  readonly dtype: string;
  /** null when even the rank is unknown. */
  readonly dims: readonly Dim[] | null;
  readonly kind: TensorKind;
  /** A graph output (an intermediate may also be one). */
  readonly isGraphOutput: boolean;
  /** Size in bytes when dtype and every dim are known, else null. */
  readonly bytes: number | null;
  /** Index (in GraphIR.ops) of the operator producing it; null for inputs, initializers and constants. */
  readonly producer: number | null;
  /** Indices of the operators reading it, explicitly or inside their subgraphs. */
  readonly consumers: readonly number[];
}

/** A schedulable operator (everything but weight-carrying Constant nodes). */
export interface OpNode {
  /** Position in GraphIR.ops, which is topologically sorted. */
  readonly index: number;
  /** Position in the ONNX graph's node list: how the partitioner finds the node's bytes. */
  readonly onnxIndex: number;
  /** Unique and stable: the node's name when that is non-empty and unique, else `<OpType>#<onnxIndex>`. */
  readonly id: string;
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  /** Tensor names, '' for an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Outer-scope tensors its subgraphs (If/Loop/Scan) read: inputs the ONNX node does not list. */
  readonly implicitInputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Nodes inside its subgraphs, recursively (0 for plain operators). */
  readonly subgraphNodeCount: number;
  /** Estimated floating-point operations, null when shapes are unknown. */
  readonly flops: number | null;
  /** Bytes read from non-weight inputs, null when unknown. */
  readonly activationBytesIn: number | null;
  /** Bytes written, null when unknown. */
  readonly bytesOut: number | null;
  /** Bytes of weights it reads (initializers and constants). */
  readonly weightBytes: number;
}

/** A `Constant` node: weights stored as a node. Never scheduled on its own: copied into every segment that reads it. */
export interface ConstantNode {
  readonly onnxIndex: number;
  readonly output: string;
  readonly bytes: number;
}

export interface GraphIR {
  readonly version: 1;
  readonly graphName: string;
  readonly irVersion: number;
  /** Opset per operator domain ('' is the default ONNX domain). */
  readonly opsets: Readonly<Record<string, number>>;
  /** Graph inputs, weights excluded, in the model's order. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Operators in a topological order (ties kept in the model's own order). */
  readonly ops: readonly OpNode[];
  readonly constants: readonly ConstantNode[];
  readonly tensors: Readonly<Record<string, TensorInfo>>;
  /** True when every shape comes from running the model on concrete inputs, not from declarations alone. */
  readonly shapesFromRun: boolean;
}

/** A tensor's type and shape as found outside the model file (onnxruntime's metadata or a run). */
export interface ResolvedTensor {
  readonly dtype: string;
  readonly dims: readonly Dim[] | null;
}
