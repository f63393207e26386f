import { floatAttr, intAttr, intsAttr } from '../onnx/index.js';
import { type GraphWriter, lastDim, type SynthTensor, withLastDim } from './synth-writer.js';

/** The element-wise activations the generator draws. */
export type Activation = 'Relu' | 'Tanh' | 'Sigmoid';

// A uniform draw in [-a, a) has standard deviation a / sqrt(3).
const SQRT3 = Math.sqrt(3);

/**
 * Biases (of Add and LayerNormalization) are uniform in +-BIAS_HALF_RANGE. Fixed offsets this size
 * against a signal of unit order are what keeps deep stacks on the ordered side: with +-0.1 the
 * residual and branch models turn chaotic past a thousand nodes (rounding differences amplified
 * 1000-fold), with +-0.8 a 300-node model all but ignores its input.
 */
const BIAS_HALF_RANGE = 0.4;

/**
 * `x @ W` with W of shape [in, out]. Its standard deviation `gain / sqrt(in)` makes the output's
 * root mean square `gain` times the input's. Each column of W sums to zero: a part common to all input
 * channels (the mean of a Relu or Sigmoid output) then cancels instead of becoming a fixed
 * per-channel offset, which over many layers would drown the input's signal and leave a model
 * whose output no longer depends on its input.
 */
export function matMul(w: GraphWriter, x: SynthTensor, outDim: number, scope: string, gain = 1): SynthTensor {
  const inDim = lastDim(x);
  const data = w.uniformValues(inDim * outDim, (SQRT3 * gain) / Math.sqrt(inDim));
  if (inDim > 1) centreColumns(data, outDim);
  const weight = w.floats(scope, 'weight', [inDim, outDim], data);
  return w.op('MatMul', scope, [x.name, weight], withLastDim(x, outDim));
}

/** Subtracts from each column of the row-major matrix `data` its mean. */
function centreColumns(data: Float32Array, columns: number): void {
  const rows = data.length / columns;
  const sums = new Float64Array(columns);
  for (let row = 0, i = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++, i++) sums[column] = (sums[column] ?? 0) + (data[i] ?? 0);
  }
  for (let row = 0, i = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++, i++)
      data[i] = (data[i] ?? 0) - (sums[column] ?? 0) / rows;
  }
}

/** `a @ b` of two activations (attention scores and context). */
export function matMulActivations(
  w: GraphWriter,
  a: SynthTensor,
  b: SynthTensor,
  scope: string,
): SynthTensor {
  return w.op('MatMul', scope, [a.name, b.name], withLastDim(a, lastDim(b)));
}

/** `x + bias`, a per-channel bias. */
export function addBias(w: GraphWriter, x: SynthTensor, scope: string): SynthTensor {
  const bias = w.uniform(scope, 'bias', [lastDim(x)], BIAS_HALF_RANGE);
  return w.op('Add', scope, [x.name, bias], x.dims);
}

/** `a + b` of two tensors of the same shape. */
export function add(w: GraphWriter, a: SynthTensor, b: SynthTensor, scope: string): SynthTensor {
  return w.op('Add', scope, [a.name, b.name], a.dims);
}

export function activation(w: GraphWriter, kind: Activation, x: SynthTensor, scope: string): SynthTensor {
  return w.op(kind, scope, [x.name], x.dims);
}

/** LayerNormalization over the last axis, with a scale within 10% of 1 and a bias like Add's. */
export function layerNorm(w: GraphWriter, x: SynthTensor, scope: string): SynthTensor {
  const channels = [lastDim(x)];
  const scale = w.uniform(scope, 'scale', channels, 0.1, 1);
  const bias = w.uniform(scope, 'bias', channels, BIAS_HALF_RANGE);
  return w.op('LayerNormalization', scope, [x.name, scale, bias], x.dims, [
    intAttr('axis', -1),
    floatAttr('epsilon', 1e-5),
  ]);
}

/** `x * c` or `x / c` with `c` a scalar or one value per channel. */
export function scaleBy(
  w: GraphWriter,
  x: SynthTensor,
  opType: 'Mul' | 'Div',
  values: readonly number[],
  scope: string,
  label: string = opType,
): SynthTensor {
  const constant = w.constant(
    `${scope}/${label}`,
    'value',
    values.length === 1 ? [] : [values.length],
    values,
  );
  return w.op(opType, scope, [x.name, constant], x.dims, [], label);
}

/** `x * c` with `c` of shape `factorDims` (broadcast) drawn uniform in [mean - halfRange, mean + halfRange). */
export function mulByRandom(
  w: GraphWriter,
  x: SynthTensor,
  factorDims: readonly number[],
  halfRange: number,
  mean: number,
  scope: string,
): SynthTensor {
  const factor = w.uniform(`${scope}/Mul`, 'value', factorDims, halfRange, mean);
  return w.op('Mul', scope, [x.name, factor], x.dims);
}

/** `x + c` with `c` a scalar. */
export function addScalar(w: GraphWriter, x: SynthTensor, value: number, scope: string): SynthTensor {
  const constant = w.constant(`${scope}/Add`, 'value', [], [value]);
  return w.op('Add', scope, [x.name, constant], x.dims);
}

export function softmax(w: GraphWriter, x: SynthTensor, scope: string): SynthTensor {
  return w.op('Softmax', scope, [x.name], x.dims, [intAttr('axis', -1)]);
}

/** Concatenation along the last axis. */
export function concatLast(w: GraphWriter, parts: readonly SynthTensor[], scope: string): SynthTensor {
  const [first] = parts;
  if (first === undefined) throw new Error('synth: Concat of nothing');
  const width = parts.reduce((sum, part) => sum + lastDim(part), 0);
  return w.op(
    'Concat',
    scope,
    parts.map((part) => part.name),
    withLastDim(first, width),
    [intAttr('axis', -1)],
  );
}

export function transpose(
  w: GraphWriter,
  x: SynthTensor,
  perm: readonly number[],
  scope: string,
): SynthTensor {
  const dims = perm.map((axis) => {
    const dim = x.dims[axis];
    if (dim === undefined) throw new Error(`synth: perm axis ${axis} is outside '${x.name}'`);
    return dim;
  });
  return w.op('Transpose', scope, [x.name], dims, [intsAttr('perm', perm)]);
}

export function reshape(w: GraphWriter, x: SynthTensor, dims: readonly number[], scope: string): SynthTensor {
  const shape = w.int64s(scope, 'shape', dims);
  return w.op('Reshape', scope, [x.name, shape], dims);
}

/**
 * GELU as opset-17 exporters write it, `x * 0.5 * (1 + erf(x / sqrt(2)))`: five nodes
 * (Div, Erf, Add, Mul, Mul), a common pattern for a fusion-aware partitioner to meet.
 */
export function gelu(w: GraphWriter, x: SynthTensor, scope: string): SynthTensor {
  const scaled = scaleBy(w, x, 'Div', [Math.SQRT2], scope);
  const erf = w.op('Erf', scope, [scaled.name], x.dims);
  const shifted = addScalar(w, erf, 1, scope);
  const gated = w.op('Mul', scope, [x.name, shifted.name], x.dims);
  return scaleBy(w, gated, 'Mul', [0.5], scope, 'Mul_1');
}
