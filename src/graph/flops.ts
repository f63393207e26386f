import type { AttributeValue, Dim } from './graph-types.js';

/** What the estimator needs of a node: its type, attributes and the shapes around it. */
export interface FlopsQuery {
  readonly opType: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Shapes of the node's inputs, null where unknown. */
  readonly inputs: readonly (readonly Dim[] | null)[];
  readonly outputs: readonly (readonly Dim[] | null)[];
}

/** Floating-point operations per output element, for ops that cost a fixed amount per element. */
const PER_ELEMENT: Readonly<Record<string, number>> = {
  Add: 1,
  Sub: 1,
  Mul: 1,
  Div: 1,
  Neg: 1,
  Abs: 1,
  Max: 1,
  Min: 1,
  Relu: 1,
  LeakyRelu: 2,
  PRelu: 2,
  Clip: 2,
  Sum: 1,
  Mean: 1,
  Where: 1,
  Greater: 1,
  Less: 1,
  Equal: 1,
  Not: 1,
  And: 1,
  Or: 1,
  Floor: 1,
  Ceil: 1,
  Round: 1,
  Sign: 1,
  Reciprocal: 1,
  Sqrt: 4,
  Exp: 4,
  Log: 4,
  Pow: 8,
  Erf: 8,
  Sigmoid: 4,
  Tanh: 4,
  HardSigmoid: 3,
  HardSwish: 4,
  Softplus: 6,
  Elu: 4,
  Selu: 4,
  Gelu: 10,
  Sin: 4,
  Cos: 4,
  Softmax: 5,
  LogSoftmax: 6,
  BatchNormalization: 2,
  LayerNormalization: 8,
  InstanceNormalization: 8,
  GroupNormalization: 8,
  Dropout: 0,
  QuantizeLinear: 2,
  DequantizeLinear: 2,
};

/** Ops that only move or reshape data: no arithmetic. */
const DATA_MOVEMENT = new Set([
  'Reshape',
  'Transpose',
  'Concat',
  'Split',
  'Slice',
  'Gather',
  'GatherElements',
  'GatherND',
  'Squeeze',
  'Unsqueeze',
  'Flatten',
  'Shape',
  'Size',
  'Cast',
  'CastLike',
  'Pad',
  'Expand',
  'Identity',
  'Tile',
  'ConstantOfShape',
  'Range',
  'DepthToSpace',
  'SpaceToDepth',
  'ScatterND',
  'ScatterElements',
  'NonZero',
]);

/**
 * Estimated floating-point operations of one node (a multiply-add counts 2), from its type and
 * shapes. Good enough to rank operators and segments; null when a shape it needs is unknown or
 * the op is a control-flow node (its cost is in its subgraphs, measured rather than estimated).
 */
export function estimateFlops(query: FlopsQuery): number | null {
  const { opType, attributes, inputs } = query;
  const out = query.outputs[0] ?? null;
  if (opType === 'If' || opType === 'Loop' || opType === 'Scan') return null;
  if (DATA_MOVEMENT.has(opType)) return 0;
  switch (opType) {
    case 'Conv': {
      // Weight [Cout, Cin/group, ...kernel]: each output element is a dot product of that size.
      const perOutput = product(inputs[1]?.slice(1) ?? null);
      const elements = product(out);
      return perOutput === null || elements === null
        ? null
        : 2 * elements * perOutput + (inputs[2] ? elements : 0);
    }
    case 'ConvTranspose': {
      // Weight [Cin, Cout/group, ...kernel]: each input element feeds Cout/group x kernel outputs.
      const perInput = product(inputs[1]?.slice(1) ?? null);
      const input = product(inputs[0] ?? null);
      return perInput === null || input === null ? null : 2 * input * perInput;
    }
    case 'MatMul': {
      const a = inputs[0] ?? null;
      const k = a ? a[a.length - 1] : undefined;
      const elements = product(out);
      return typeof k === 'number' && elements !== null ? 2 * elements * k : null;
    }
    case 'Gemm': {
      const a = inputs[0] ?? null;
      const transposed = numberAttribute(attributes.transA, 0) === 1;
      const k = a ? a[transposed ? 0 : 1] : undefined;
      const elements = product(out);
      return typeof k === 'number' && elements !== null ? 2 * elements * k + elements : null;
    }
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      const x = inputs[0] ?? null;
      const w = inputs[1] ?? null;
      const r = inputs[2] ?? null;
      const steps = product(x?.slice(0, 2) ?? null);
      const gates = product(w?.slice(0, 2) ?? null);
      const inputSize = x?.[2];
      const hidden = r?.[2];
      if (steps === null || gates === null || typeof inputSize !== 'number' || typeof hidden !== 'number')
        return null;
      // Input and recurrent matrix products per step, plus the gates' elementwise work.
      return 2 * steps * gates * (inputSize + hidden) + 8 * steps * gates;
    }
    case 'MaxPool':
    case 'AveragePool':
    case 'LpPool': {
      const kernel = attributes.kernel_shape;
      const window = Array.isArray(kernel) ? (kernel as number[]).reduce((a, b) => a * b, 1) : null;
      const elements = product(out);
      return window === null || elements === null ? null : elements * window;
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
    case 'ReduceMean':
    case 'ReduceSum':
    case 'ReduceMax':
    case 'ReduceMin':
    case 'ReduceProd':
    case 'ReduceL2':
    case 'ReduceSumSquare':
    case 'ArgMax':
    case 'ArgMin':
      return product(inputs[0] ?? null);
    case 'Resize':
    case 'Upsample': {
      const elements = product(out);
      const mode = attributes.mode;
      return elements === null ? null : elements * (mode === 'nearest' ? 1 : 4);
    }
  }
  const elements = product(out);
  if (elements === null) return null;
  // Unknown op types count one operation per output element: a floor, not a guess at their cost.
  return elements * (PER_ELEMENT[opType] ?? 1);
}

/** Product of dims, null if any is unknown; 1 for a scalar. */
export function product(dims: readonly Dim[] | null): number | null {
  if (dims === null) return null;
  let result = 1;
  for (const dim of dims) {
    if (typeof dim !== 'number') return null;
    result *= dim;
  }
  return result;
}

function numberAttribute(value: AttributeValue | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
