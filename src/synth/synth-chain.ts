import type { Rng } from '../common/index.js';
import { type Activation, activation, addBias, layerNorm, matMul, mulByRandom } from './synth-ops.js';
import type { GraphWriter, SynthTensor } from './synth-writer.js';
import { lastDim } from './synth-writer.js';

type Link = 'MatMul' | 'Bias' | 'LayerNorm' | 'Scale' | Activation;

/**
 * Ops whose output is bounded whatever their input (Tanh, Sigmoid) or normalised (LayerNorm). No
 * more than MAX_UNBOUNDED_RUN other links pass between two of them, so that a chain of thousands of
 * links stays O(1).
 */
const BOUNDING: ReadonlySet<Link> = new Set<Link>(['Tanh', 'Sigmoid', 'LayerNorm']);
const MAX_UNBOUNDED_RUN = 4;

/**
 * Root mean square of the input-dependent part of every MatMul output in a chain. Small against
 * the biases (see BIAS_HALF_RANGE) and in Tanh's linear range, it makes chains mildly contractive:
 * a model of a hundred nodes still visibly depends on its input, while rounding differences between
 * two executions die out instead of growing with depth. At 1 (unit-variance init) deep chains turn
 * chaotic and 3000-node models differ by 1e-3 between onnxruntime's optimised and plain graphs.
 */
const SIGNAL_RMS = 0.4;

/**
 * A linear chain of exactly `length` single-node links, each consuming the previous one's output:
 * MatMul (usually followed by a bias Add and an activation), LayerNormalization, Mul by a constant.
 * Keeps the innermost dimension. Node scopes are `${scope}/op${i}`.
 *
 * Each MatMul's weights are scaled from a running estimate of what the links since the last one did
 * to the signal (a Sigmoid shrinks it fourfold, a LayerNormalization restores it), so that every
 * MatMul output carries SIGNAL_RMS of it: without that, the fixed biases would outweigh the signal
 * after a few shrinking links and the chain would forget its input.
 */
export function chain(w: GraphWriter, x: SynthTensor, length: number, scope: string): SynthTensor {
  let current = x;
  let previous: Link | undefined;
  let unboundedRun = 0;
  let signalRms = 1;
  for (let i = 0; i < length; i++) {
    const link =
      unboundedRun >= MAX_UNBOUNDED_RUN
        ? w.structure.pick(['Tanh', 'Sigmoid', 'LayerNorm'] as const)
        : nextLink(w.structure, previous);
    current = emitLink(w, link, current, `${scope}/op${i}`, SIGNAL_RMS / signalRms);
    signalRms = link === 'MatMul' ? SIGNAL_RMS : signalRmsAfter(link, signalRms);
    unboundedRun = BOUNDING.has(link) ? 0 : unboundedRun + 1;
    previous = link;
  }
  return current;
}

/**
 * Root mean square of the input-dependent part of a link's output, for an input part of `rms`
 * (normal-approximation estimates; they only need to be right within a factor of about 1.5).
 */
function signalRmsAfter(link: Exclude<Link, 'MatMul'>, rms: number): number {
  switch (link) {
    case 'Bias':
      return rms;
    case 'LayerNorm':
      return 1;
    case 'Scale':
      return 1.04 * rms; // E[c^2] = 13/12 for c uniform in [0.5, 1.5)
    case 'Relu':
      return 0.58 * rms; // the centred part of max(0, z): sqrt(1/2 - 1/(2 pi))
    case 'Tanh':
      return rms / Math.sqrt(1 + 1.6 * rms * rms);
    case 'Sigmoid':
      return (0.25 * rms) / Math.sqrt(1 + 0.4 * rms * rms);
  }
}

/** What follows `previous`: a MatMul is mostly followed by its bias, a bias by an activation. */
function nextLink(rng: Rng, previous: Link | undefined): Link {
  if (previous === 'MatMul') return rng.bool(0.75) ? 'Bias' : drawActivation(rng);
  if (previous === 'Bias') return drawActivation(rng);
  const draw = rng.float();
  if (draw < 0.55) return 'MatMul';
  if (draw < 0.7) return 'LayerNorm';
  if (draw < 0.85) return 'Scale';
  return drawActivation(rng);
}

function drawActivation(rng: Rng): Activation {
  const draw = rng.float();
  if (draw < 0.45) return 'Relu';
  return draw < 0.8 ? 'Tanh' : 'Sigmoid';
}

function emitLink(w: GraphWriter, link: Link, x: SynthTensor, scope: string, gain: number): SynthTensor {
  switch (link) {
    case 'MatMul':
      return matMul(w, x, lastDim(x), scope, gain);
    case 'Bias':
      return addBias(w, x, scope);
    case 'LayerNorm':
      return layerNorm(w, x, scope);
    case 'Scale': {
      // A scalar or a per-channel factor in [0.5, 1.5): enough to vary the graph, not to drift far.
      const factorDims = w.structure.bool() ? [] : [lastDim(x)];
      return mulByRandom(w, x, factorDims, 0.5, 1, scope);
    }
    default:
      return activation(w, link, x, scope);
  }
}
