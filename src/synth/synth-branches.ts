import type { Rng } from '../common/index.js';
import { chain } from './synth-chain.js';
import { add, concatLast, layerNorm, matMul } from './synth-ops.js';
import { type GraphWriter, lastDim, type SynthTensor } from './synth-writer.js';

/** The smallest fan-out: two one-node branches and one Add. */
export const BRANCHES_MIN_NODES = 3;

interface Join {
  readonly branches: number;
  /** `add`: pairwise Adds, then (`norm`) a LayerNormalization; `concat`: Concat, then a MatMul back to width. */
  readonly kind: 'add' | 'concat';
  readonly norm: boolean;
}

/**
 * A fan-out of 2-4 parallel chains from `x`, joined back into one tensor of `x`'s shape: exactly
 * `nodes` nodes (at least BRANCHES_MIN_NODES).
 */
export function branchesStage(w: GraphWriter, x: SynthTensor, nodes: number, scope: string): SynthTensor {
  const join = chooseJoin(w.structure, nodes);
  const lengths = splitLength(w.structure, nodes - joinNodes(join), join.branches);
  const outputs = lengths.map((length, branch) => chain(w, x, length, `${scope}/branch${branch}`));
  if (join.kind === 'concat') {
    const joined = concatLast(w, outputs, `${scope}/join`);
    return matMul(w, joined, lastDim(x), `${scope}/join/proj`);
  }
  let sum: SynthTensor | undefined;
  for (const [branch, output] of outputs.entries()) {
    sum = sum === undefined ? output : add(w, sum, output, `${scope}/join/add${branch}`);
  }
  if (sum === undefined) throw new Error('synth: a fan-out without branches');
  // A sum of k branches has k times the variance: normalise, or stacked stages would blow up.
  return join.norm ? layerNorm(w, sum, `${scope}/join/norm`) : sum;
}

function joinNodes(join: Join): number {
  return join.kind === 'concat' ? 2 : join.branches - 1 + (join.norm ? 1 : 0);
}

/**
 * The join drawn by the seed if `nodes` leave each branch a node, else the nearest that does:
 * fewer branches, the other kind of join, and only for the smallest stage no normalisation.
 */
function chooseJoin(rng: Rng, nodes: number): Join {
  const wanted = rng.int(2, 4);
  const wantedKind = rng.bool() ? 'add' : 'concat';
  const otherKind = wantedKind === 'add' ? 'concat' : 'add';
  for (let branches = wanted; branches >= 2; branches--) {
    for (const join of [
      { branches, kind: wantedKind, norm: true },
      { branches, kind: otherKind, norm: true },
    ] as const) {
      if (nodes - joinNodes(join) >= branches) return join;
    }
  }
  return { branches: 2, kind: 'add', norm: false };
}

/** `total` (at least `parts`) split into `parts` positive lengths at random. */
function splitLength(rng: Rng, total: number, parts: number): number[] {
  const lengths = Array.from({ length: parts }, () => 1);
  for (let extra = total - parts; extra > 0; extra--) {
    const part = rng.int(0, parts - 1);
    lengths[part] = (lengths[part] ?? 0) + 1;
  }
  return lengths;
}
