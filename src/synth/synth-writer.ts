import type { Rng } from '../common/index.js';
import {
  type AttributeProto,
  type NodeProto,
  node,
  type TensorProto,
  tensorProto,
  type ValueInfoProto,
  valueInfo,
} from '../onnx/index.js';

/** A float32 tensor of the graph being written: its name and its static shape. */
export interface SynthTensor {
  readonly name: string;
  readonly dims: readonly number[];
}

/** The finished graph: what `buildModel` takes besides the graph's inputs and outputs. */
export interface WrittenGraph {
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  /** Every intermediate tensor, with its shape (the graph output excluded). */
  readonly valueInfo: readonly ValueInfoProto[];
  readonly output: SynthTensor;
}

/**
 * Accumulates the nodes, weights and tensor shapes of one synthetic graph. Names follow the
 * PyTorch exporter's style: node `/stage3/residual/add/Add`, its output `..._output_0`, weights
 * `stage3.residual.f.op0.weight`; a repeated name is a generator bug and throws.
 *
 * Two random streams: `structure` decides the graph, `weights` fills the initializers, so that how
 * many weights a node takes never shifts the draws that shape later nodes (a seed keeps its
 * topology at another width, but for the head counts the width allows).
 */
export class GraphWriter {
  readonly structure: Rng;
  private readonly weights: Rng;
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly intermediates: SynthTensor[] = [];
  private readonly names = new Set<string>();

  constructor(structure: Rng, weights: Rng) {
    this.structure = structure;
    this.weights = weights;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /**
   * Appends one node with a single float32 output of shape `dims`. `label` tells apart two nodes of
   * the same type in one scope (it defaults to the op type).
   */
  op(
    opType: string,
    scope: string,
    inputs: readonly string[],
    dims: readonly number[],
    attributes: readonly AttributeProto[] = [],
    label: string = opType,
  ): SynthTensor {
    const name = this.claim(`${scope}/${label}`);
    const output = this.claim(`${name}_output_0`);
    this.nodes.push(node(opType, inputs, [output], attributes, name));
    const tensor = { name: output, dims: [...dims] };
    this.intermediates.push(tensor);
    return tensor;
  }

  /** A float32 initializer uniform in [mean - halfRange, mean + halfRange); returns its name. */
  uniform(scope: string, suffix: string, dims: readonly number[], halfRange: number, mean = 0): string {
    return this.floats(scope, suffix, dims, this.uniformValues(elementCount(dims), halfRange, mean));
  }

  /** `count` values uniform in [mean - halfRange, mean + halfRange), from the weights stream. */
  uniformValues(count: number, halfRange: number, mean = 0): Float32Array {
    const data = new Float32Array(count);
    for (let i = 0; i < data.length; i++) data[i] = mean + this.weights.range(-halfRange, halfRange);
    return data;
  }

  /** A float32 initializer holding `data` (row-major in `dims`); returns its name. */
  floats(scope: string, suffix: string, dims: readonly number[], data: Float32Array): string {
    return this.initializer(scope, suffix, (name) => tensorProto(name, 'float32', dims, data));
  }

  /** A float32 initializer holding `values` (a scalar when `dims` is empty); returns its name. */
  constant(scope: string, suffix: string, dims: readonly number[], values: readonly number[]): string {
    return this.initializer(scope, suffix, (name) =>
      tensorProto(name, 'float32', dims, Float32Array.from(values)),
    );
  }

  /** A 1-D int64 initializer (shapes for Reshape); returns its name. */
  int64s(scope: string, suffix: string, values: readonly number[]): string {
    const data = BigInt64Array.from(values, (value) => BigInt(value));
    return this.initializer(scope, suffix, (name) => tensorProto(name, 'int64', [values.length], data));
  }

  /**
   * Ends the graph at `result`, which must be the last node's output: it is renamed `outputName`
   * so the model has a plain output name, and left out of the intermediates.
   */
  finish(result: SynthTensor, outputName: string): WrittenGraph {
    const last = this.nodes.at(-1);
    if (last?.output?.[0] !== result.name) {
      throw new Error(`synth: the graph result '${result.name}' is not the last node's output`);
    }
    last.output = [outputName];
    const valueInfos = this.intermediates
      .filter((tensor) => tensor.name !== result.name)
      .map((tensor) => valueInfo(tensor.name, 'float32', tensor.dims));
    return {
      nodes: this.nodes,
      initializers: this.initializers,
      valueInfo: valueInfos,
      output: { name: outputName, dims: result.dims },
    };
  }

  private initializer(scope: string, suffix: string, make: (name: string) => TensorProto): string {
    // '/stage3/attention/q_proj' -> 'stage3.attention.q_proj.weight', as PyTorch names parameters.
    const name = this.claim(`${scope.replace(/^\//, '').replaceAll('/', '.')}.${suffix}`);
    this.initializers.push(make(name));
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`synth: the name '${name}' is used twice`);
    this.names.add(name);
    return name;
  }
}

/** Elements in a tensor of shape `dims`. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

/** The innermost dimension, the one every synth op mixes along. */
export function lastDim(tensor: SynthTensor): number {
  const dim = tensor.dims.at(-1);
  if (dim === undefined) throw new Error(`synth: tensor '${tensor.name}' is a scalar`);
  return dim;
}

/** `dims` with the innermost dimension replaced. */
export function withLastDim(tensor: SynthTensor, dim: number): number[] {
  return [...tensor.dims.slice(0, -1), dim];
}
