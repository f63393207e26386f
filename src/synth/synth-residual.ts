import { chain } from './synth-chain.js';
import { add, layerNorm } from './synth-ops.js';
import type { GraphWriter, SynthTensor } from './synth-writer.js';

/** `f` of one node, the Add and the LayerNormalization. */
export const RESIDUAL_MIN_NODES = 3;

/**
 * A post-norm residual block `LayerNorm(x + f(x))`, `f` a chain: exactly `nodes` nodes (at least
 * RESIDUAL_MIN_NODES). The norm after the Add keeps a stack of thousands of blocks at O(1).
 */
export function residualBlock(w: GraphWriter, x: SynthTensor, nodes: number, scope: string): SynthTensor {
  const f = chain(w, x, nodes - 2, `${scope}/f`);
  return layerNorm(w, add(w, x, f, `${scope}/add`), `${scope}/norm`);
}
