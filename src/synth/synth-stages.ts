import type { Rng } from '../common/index.js';
import { ATTENTION_MIN_NODES, attentionBlock, naturalAttentionNodes } from './synth-attention.js';
import { BRANCHES_MIN_NODES, branchesStage } from './synth-branches.js';
import { chain } from './synth-chain.js';
import { RESIDUAL_MIN_NODES, residualBlock } from './synth-residual.js';
import type { SynthKind } from './synth-spec.js';
import type { GraphWriter, SynthTensor } from './synth-writer.js';

/** The kinds of stage a model is a sequence of. */
export type StageKind = Exclude<SynthKind, 'mixed'>;

/** One kind of stage: how small it can be, how big it usually is, and how to write one. */
export interface Stage {
  readonly minNodes: number;
  /** Whether it needs a [batch, seq, width] input. */
  readonly needsSequence: boolean;
  /** A size drawn from the stage's usual range. */
  naturalNodes(rng: Rng, width: number): number;
  /** Writes exactly `nodes` nodes (at least `minNodes`) from `x` to a tensor of `x`'s shape. */
  write(w: GraphWriter, x: SynthTensor, nodes: number, scope: string): SynthTensor;
}

export const STAGES: Readonly<Record<StageKind, Stage>> = {
  chain: {
    minNodes: 1,
    needsSequence: false,
    naturalNodes: (rng) => rng.int(3, 12),
    write: (w, x, nodes, scope) => chain(w, x, nodes, scope),
  },
  branches: {
    minNodes: BRANCHES_MIN_NODES,
    needsSequence: false,
    naturalNodes: (rng) => rng.int(6, 24),
    write: branchesStage,
  },
  residual: {
    minNodes: RESIDUAL_MIN_NODES,
    needsSequence: false,
    naturalNodes: (rng) => rng.int(3, 8),
    write: residualBlock,
  },
  attention: {
    minNodes: ATTENTION_MIN_NODES,
    needsSequence: true,
    naturalNodes: naturalAttentionNodes,
    write: attentionBlock,
  },
};

export const STAGE_KINDS: readonly StageKind[] = ['chain', 'branches', 'residual', 'attention'];
