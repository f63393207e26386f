import type { Rng } from '../common/index.js';
import { chain } from './synth-chain.js';
import {
  activation,
  add,
  addBias,
  gelu,
  layerNorm,
  matMul,
  matMulActivations,
  reshape,
  scaleBy,
  softmax,
  transpose,
} from './synth-ops.js';
import { type GraphWriter, lastDim, type SynthTensor } from './synth-writer.js';

/**
 * Single-head self-attention with nothing optional: Q/K/V MatMuls, K's Transpose, scores MatMul,
 * scale, Softmax, context MatMul, residual Add, LayerNormalization.
 */
export const ATTENTION_MIN_NODES = 10;

type Feature = 'outProj' | 'mlp' | 'qkvBias' | 'outBias' | 'mlpBias' | 'multiHead' | 'gelu';

interface FeatureInfo {
  readonly feature: Feature;
  /** Nodes it adds to the block. */
  readonly nodes: number;
  /** Breaks ties between equally close variants; distinct powers of two, so never itself tied. */
  readonly priority: number;
  readonly requires?: Feature;
}

const FEATURES: readonly FeatureInfo[] = [
  { feature: 'outProj', nodes: 1, priority: 64 },
  { feature: 'mlp', nodes: 5, priority: 32 }, // fc1, activation, fc2, residual Add, LayerNormalization
  { feature: 'qkvBias', nodes: 3, priority: 16 },
  { feature: 'outBias', nodes: 1, priority: 8, requires: 'outProj' },
  { feature: 'mlpBias', nodes: 2, priority: 4, requires: 'mlp' },
  { feature: 'multiHead', nodes: 7, priority: 2 }, // Reshape x4, Transpose x3 (K's is in the core)
  { feature: 'gelu', nodes: 4, priority: 1, requires: 'mlp' }, // five nodes where one activation was
];

type Variant = ReadonlySet<Feature>;

/** The MLP's hidden size, in multiples of the width (BERT's 4). */
const MLP_EXPANSION = 4;

/** Nodes of the block the seed would draw if nothing constrained its size. */
export function naturalAttentionNodes(rng: Rng, width: number): number {
  return variantNodes(wishedVariant(rng, width));
}

/**
 * A transformer-encoder block (post-norm, BERT-style) on `x` of shape [batch, seq, width]: exactly
 * `nodes` nodes (at least ATTENTION_MIN_NODES). Of the variants with exactly that many nodes it
 * writes the one closest to the seed's wish; past the largest variant, a chain follows the block.
 */
export function attentionBlock(w: GraphWriter, x: SynthTensor, nodes: number, scope: string): SynthTensor {
  const rng = w.structure;
  const width = lastDim(x);
  const wish = wishedVariant(rng, width);
  const variant = closestVariant(wish, nodes, availableFeatures(width));
  const heads = variant.has('multiHead') ? rng.pick(headChoices(width)) : 1;
  const scaleOp = rng.pick(['Mul', 'Div'] as const);
  const mlpActivation = rng.pick(['Relu', 'Tanh'] as const);

  const [batch, sequence] = x.dims;
  if (batch === undefined || sequence === undefined || x.dims.length !== 3) {
    throw new Error(`synth: attention needs a [batch, seq, width] input, got [${x.dims.join(', ')}]`);
  }
  const headDim = width / heads;
  const headsShape = [batch, sequence, heads, headDim];
  const project = (name: string): SynthTensor => {
    const projected = matMul(w, x, width, `${scope}/${name}`);
    return variant.has('qkvBias') ? addBias(w, projected, `${scope}/${name}`) : projected;
  };
  let q = project('q_proj');
  let k = project('k_proj');
  let v = project('v_proj');
  if (heads > 1) {
    // [b, s, w] -> [b, h, s, d]; K goes to [b, h, d, s] in the same Transpose.
    q = transpose(w, reshape(w, q, headsShape, `${scope}/q_heads`), [0, 2, 1, 3], `${scope}/q_heads`);
    k = transpose(w, reshape(w, k, headsShape, `${scope}/k_heads`), [0, 2, 3, 1], `${scope}/k_heads`);
    v = transpose(w, reshape(w, v, headsShape, `${scope}/v_heads`), [0, 2, 1, 3], `${scope}/v_heads`);
  } else {
    k = transpose(w, k, [0, 2, 1], `${scope}/k_heads`);
  }
  const scores = matMulActivations(w, q, k, `${scope}/scores`);
  const scale = scaleOp === 'Mul' ? 1 / Math.sqrt(headDim) : Math.sqrt(headDim);
  const probabilities = softmax(
    w,
    scaleBy(w, scores, scaleOp, [scale], `${scope}/scale`),
    `${scope}/softmax`,
  );
  let context = matMulActivations(w, probabilities, v, `${scope}/context`);
  if (heads > 1) {
    context = transpose(w, context, [0, 2, 1, 3], `${scope}/merge_heads`);
    context = reshape(w, context, [batch, sequence, width], `${scope}/merge_heads`);
  }
  if (variant.has('outProj')) {
    context = matMul(w, context, width, `${scope}/out_proj`);
    if (variant.has('outBias')) context = addBias(w, context, `${scope}/out_proj`);
  }
  let y = layerNorm(w, add(w, x, context, `${scope}/residual1`), `${scope}/norm1`);
  if (variant.has('mlp')) {
    let hidden = matMul(w, y, width * MLP_EXPANSION, `${scope}/mlp/fc1`);
    if (variant.has('mlpBias')) hidden = addBias(w, hidden, `${scope}/mlp/fc1`);
    hidden = variant.has('gelu')
      ? gelu(w, hidden, `${scope}/mlp/act`)
      : activation(w, mlpActivation, hidden, `${scope}/mlp/act`);
    const gain = !variant.has('gelu') && mlpActivation === 'Relu' ? Math.SQRT2 : 1;
    let out = matMul(w, hidden, width, `${scope}/mlp/fc2`, gain);
    if (variant.has('mlpBias')) out = addBias(w, out, `${scope}/mlp/fc2`);
    y = layerNorm(w, add(w, y, out, `${scope}/residual2`), `${scope}/norm2`);
  }
  const extra = nodes - variantNodes(variant);
  return extra > 0 ? chain(w, y, extra, `${scope}/tail`) : y;
}

/** What the seed would like: the full block, each optional part kept with its own probability. */
function wishedVariant(rng: Rng, width: number): Variant {
  const odds: Record<Feature, number> = {
    outProj: 0.95,
    mlp: 0.9,
    qkvBias: 0.8,
    outBias: 0.8,
    mlpBias: 0.8,
    multiHead: 0.75,
    gelu: 0.5,
  };
  const available = availableFeatures(width);
  const wish = new Set<Feature>();
  for (const info of FEATURES) {
    const wanted = rng.bool(odds[info.feature]);
    if (wanted && available.has(info.feature) && (info.requires === undefined || wish.has(info.requires))) {
      wish.add(info.feature);
    }
  }
  return wish;
}

function variantNodes(variant: Variant): number {
  return FEATURES.reduce(
    (sum, info) => sum + (variant.has(info.feature) ? info.nodes : 0),
    ATTENTION_MIN_NODES,
  );
}

/**
 * The variant with exactly `nodes` nodes (the largest variant where `nodes` exceeds it) that
 * agrees with `wish` on the most features, ties going to the higher-priority features.
 */
function closestVariant(wish: Variant, nodes: number, available: ReadonlySet<Feature>): Variant {
  const variants = allVariants(available);
  const largest = Math.max(...variants.map(variantNodes));
  const target = Math.min(nodes, largest);
  let best: Variant | undefined;
  let bestScore = -1;
  for (const variant of variants) {
    if (variantNodes(variant) !== target) continue;
    let score = 0;
    for (const info of FEATURES) {
      if (variant.has(info.feature) === wish.has(info.feature)) score += 1024;
      if (variant.has(info.feature)) score += info.priority;
    }
    if (score > bestScore) {
      best = variant;
      bestScore = score;
    }
  }
  if (best === undefined) throw new Error(`synth: no attention variant has ${target} nodes`);
  return best;
}

/** Every consistent subset of the available features. */
function allVariants(available: ReadonlySet<Feature>): Variant[] {
  const features = FEATURES.filter((info) => available.has(info.feature));
  const variants: Variant[] = [];
  for (let mask = 0; mask < 1 << features.length; mask++) {
    const variant = new Set(features.filter((_, bit) => (mask >> bit) & 1).map((info) => info.feature));
    if (
      features.every(
        (info) => !variant.has(info.feature) || info.requires === undefined || variant.has(info.requires),
      )
    ) {
      variants.push(variant);
    }
  }
  return variants;
}

function availableFeatures(width: number): ReadonlySet<Feature> {
  const features = new Set<Feature>(FEATURES.map((info) => info.feature));
  if (headChoices(width).length === 0) features.delete('multiHead');
  return features;
}

/** Head counts that split the width into heads of at least 4 elements. */
function headChoices(width: number): number[] {
  return [2, 4, 8].filter((heads) => width % heads === 0 && width / heads >= 4);
}
