import type { GradSaveFunc, Rank, Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { Code, HetschedError } from '../common/index.js';
import { FEATURE_COUNT } from './rl-features.js';
import type { Tf } from './tf-backend.js';

/**
 * The placement policy: a one-hidden-layer MLP mapping a block's features to the logit of
 * P(GPU). Tiny on purpose: hundreds of blocks x a batch of episodes go through it in one matmul.
 */

/** JSON-safe weights, saved with a plan so that the next search on similar models warm-starts. */
export interface PolicyWeights {
  readonly format: 'hetsched-rl-mlp';
  readonly version: 1;
  readonly featureCount: number;
  readonly hiddenUnits: number;
  /** Row-major [featureCount, hiddenUnits]. */
  readonly w1: readonly number[];
  readonly b1: readonly number[];
  /** [hiddenUnits]. */
  readonly w2: readonly number[];
  readonly b2: number;
}

export class Policy {
  readonly variables: Variable<Rank>[];
  /**
   * Per decision block, a learnt logit offset (problem-specific, so never saved): lets the policy
   * settle blocks the shared MLP cannot tell apart from their features alone.
   */
  private blockBias: Variable<Rank.R1> | undefined;

  private constructor(
    private readonly tf: Tf,
    readonly hiddenUnits: number,
    private readonly w1: Variable<Rank.R2>,
    private readonly b1: Variable<Rank.R1>,
    private readonly w2: Variable<Rank.R2>,
    private readonly b2: Variable<Rank.R1>,
  ) {
    this.variables = [w1, b1, w2, b2];
  }

  /** Fresh weights from seeded Glorot initializers (tf.random is never used unseeded). */
  static create(tf: Tf, hiddenUnits: number, seed: number): Policy {
    const w1 = adopt(
      tf,
      tf.initializers.glorotUniform({ seed }).apply([FEATURE_COUNT, hiddenUnits]) as Tensor2D,
    );
    const w2 = adopt(
      tf,
      tf.initializers.glorotUniform({ seed: seed + 1 }).apply([hiddenUnits, 1]) as Tensor2D,
    );
    return new Policy(tf, hiddenUnits, w1, adopt(tf, tf.zeros([hiddenUnits])), w2, adopt(tf, tf.zeros([1])));
  }

  static fromWeights(tf: Tf, weights: PolicyWeights): Policy {
    const h = weights?.hiddenUnits;
    if (weights?.format !== 'hetsched-rl-mlp' || weights.version !== 1) {
      throw new HetschedError(
        Code.InvalidArgument,
        `policy weights: unknown format ${String(weights.format)} v${String(weights.version)}`,
      );
    }
    if (weights.featureCount !== FEATURE_COUNT) {
      throw new HetschedError(
        Code.InvalidArgument,
        `policy weights: ${weights.featureCount} features, this version uses ${FEATURE_COUNT}`,
      );
    }
    if (
      !Array.isArray(weights.w1) ||
      !Array.isArray(weights.b1) ||
      !Array.isArray(weights.w2) ||
      typeof weights.b2 !== 'number' ||
      weights.w1.length !== FEATURE_COUNT * h ||
      weights.b1.length !== h ||
      weights.w2.length !== h
    ) {
      throw new HetschedError(
        Code.InvalidArgument,
        `policy weights: array sizes do not match ${FEATURE_COUNT}x${h}`,
      );
    }
    return new Policy(
      tf,
      h,
      adopt(tf, tf.tensor2d([...weights.w1], [FEATURE_COUNT, h])),
      adopt(tf, tf.tensor1d([...weights.b1])),
      adopt(tf, tf.tensor2d([...weights.w2], [h, 1])),
      adopt(tf, tf.tensor1d([weights.b2])),
    );
  }

  /** Adds per-block offsets for `decisions` blocks (rows then go in decision order, repeated). */
  addBlockBias(decisions: number): void {
    this.blockBias = adopt(this.tf, this.tf.zeros([decisions]));
    this.variables.push(this.blockBias);
  }

  /**
   * Logits of P(GPU), one per row of `features` [rows, FEATURE_COUNT]; with block offsets, rows go
   * in decision order, repeated. Call inside tf.tidy.
   *
   * Written for tfjs's wasm backend, the one these machines run (tf-backend.ts), where phase 1
   * spends most of its tfjs time on a few kernels:
   * - the hidden layer's tanh is computed as 2·sigmoid(2h) − 1, the same function: the backend
   *   vectorises sigmoid and runs tanh element by element (about 1.2 against 19 ns an element on
   *   a [10240, 16] tensor, a throwaway measurement);
   * - the offsets are added by broadcasting over [repeats, blocks], not tiled to every row: tile's
   *   gradient is a slice and an add per repeat;
   * - the layers' products differentiate without transposed operands (untransposedProduct).
   * `npm run bench -- rl` times this and `loss` against their textbook forms.
   */
  logits(features: Tensor2D): Tensor1D {
    const tf = this.tf;
    const preActivation = tf.add(untransposedProduct(tf, features, this.w1, 'a'), this.b1);
    const hidden = tf.sub(tf.mul(2, tf.sigmoid(tf.mul(2, preActivation))), 1);
    const shared = tf.add(untransposedProduct(tf, hidden as Tensor2D, this.w2, 'neither'), this.b2);
    if (this.blockBias === undefined) return tf.reshape(shared, [-1]) as Tensor1D;
    const blocks = this.blockBias.shape[0] as number;
    const repeats = (features.shape[0] as number) / blocks;
    return tf.reshape(tf.add(tf.reshape(shared, [repeats, blocks]), this.blockBias), [-1]) as Tensor1D;
  }

  /**
   * REINFORCE's loss over rows of `features`: −Σ rowWeights·log π(actions) − entropyBonus ·
   * mean entropy, with `actions` 1 for the GPU and 0 for the CPU. Call inside tf.tidy (the
   * optimiser's minimize).
   */
  loss(features: Tensor2D, actions: Tensor1D, rowWeights: Tensor1D, entropyBonus: number): Scalar {
    const tf = this.tf;
    const z = this.logits(features);
    // For a Bernoulli with logit z: log π(a) = a·z − softplus(z) (a = 1: −softplus(−z); a = 0:
    // −softplus(z)), entropy = softplus(z) − sigmoid(z)·z; one softplus serves both.
    const softplusZ = tf.softplus(z);
    const logProb = tf.sub(tf.mul(actions, z), softplusZ);
    const entropy = tf.mean(tf.sub(softplusZ, tf.mul(tf.sigmoid(z), z)));
    return tf.sub(tf.neg(tf.sum(tf.mul(rowWeights, logProb))), tf.mul(entropyBonus, entropy)) as Scalar;
  }

  /** P(GPU) per row of a row-major features array. */
  probabilities(features: Float32Array): Float32Array {
    const tf = this.tf;
    const rows = features.length / FEATURE_COUNT;
    const probs = tf.tidy(() => tf.sigmoid(this.logits(tf.tensor2d(features, [rows, FEATURE_COUNT]))));
    const values = probs.dataSync() as Float32Array;
    probs.dispose();
    return values;
  }

  toJSON(): PolicyWeights {
    const read = (t: Tensor): number[] => Array.from(t.dataSync());
    return {
      format: 'hetsched-rl-mlp',
      version: 1,
      featureCount: FEATURE_COUNT,
      hiddenUnits: this.hiddenUnits,
      w1: read(this.w1),
      b1: read(this.b1),
      w2: read(this.w2),
      b2: read(this.b2)[0] ?? 0,
    };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/**
 * a · b, differentiated without transposed operands: its gradients are dy · bᵀ and aᵀ · dy with
 * the transposes made first, and none for `a` where it is `constant` (the features). tfjs's own
 * gradient multiplies by a transposed operand in place, which its wasm backend does in a scalar
 * loop over strided elements (its fast matrix product takes untransposed operands only):
 * featuresᵀ · dy, the first layer's weight gradient, was a quarter of a training step's time.
 * The forward product is tfjs's own, so the policy's probabilities are unchanged; the gradients
 * differ only in the order float32 sums are added in.
 */
function untransposedProduct(tf: Tf, a: Tensor2D, b: Tensor2D, constant: 'a' | 'neither'): Tensor2D {
  const right = (dy: Tensor2D, left: Tensor2D): Tensor2D => tf.matMul(tf.transpose(left), dy);
  if (constant === 'a') {
    // Saved, not closed over: tfjs disposes what the forward pass made once it has run.
    const product = tf.customGrad(((weights: Tensor2D, save: GradSaveFunc) => {
      save([a]);
      return {
        value: tf.matMul(a, weights),
        gradFunc: (dy: Tensor2D, saved: Tensor[]) => right(dy, saved[0] as Tensor2D),
      };
    }) as unknown as CustomGradient);
    return product(b) as Tensor2D;
  }
  const product = tf.customGrad(((left: Tensor2D, weights: Tensor2D, save: GradSaveFunc) => {
    save([left, weights]);
    return {
      value: tf.matMul(left, weights),
      gradFunc: (dy: Tensor2D, saved: Tensor[]) => {
        const [x, y] = saved as [Tensor2D, Tensor2D];
        return [tf.matMul(dy, tf.transpose(y)), right(dy, x)];
      },
    };
  }) as unknown as CustomGradient);
  return product(a, b) as Tensor2D;
}

type CustomGradient = Parameters<Tf['customGrad']>[0];

/** A variable holding `initial`'s values; `initial` is disposed (tf.variable copies, and would leak it). */
function adopt<R extends Rank>(tf: Tf, initial: Tensor<R>): Variable<R> {
  const variable = tf.variable(initial);
  initial.dispose();
  return variable;
}

/**
 * The policy in a warm-start document (JSON text): a plan report (its `policy`) or the weights
 * alone, `what` naming where it came from in messages. Checked in full when a search loads it
 * (Policy.fromWeights).
 * @throws HetschedError INVALID_ARGUMENT when it is not JSON or holds no policy object.
 */
export function policyFromJson(text: string, what: string): PolicyWeights {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new HetschedError(Code.InvalidArgument, `${what} is not JSON: ${(error as Error).message}`);
  }
  const policy = (document as { policy?: unknown } | null)?.policy ?? document;
  if (
    typeof policy !== 'object' ||
    policy === null ||
    (policy as { format?: unknown }).format !== 'hetsched-rl-mlp'
  ) {
    throw new HetschedError(Code.InvalidArgument, `${what} holds no policy (a plan report, or its "policy")`);
  }
  return policy as PolicyWeights;
}
