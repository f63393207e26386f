/**
 * Part of suite `rl` (see rl-policy.ts): phase 1's tfjs work for one search, cold, in a process of
 * its own, by the policy's own forms (`policy`) or by the textbook ones (`textbook`, below). Both
 * start from the same weights and see the same seeded features, actions and weights. Prints one
 * JSON object: the wall ms of the whole loop, and the last step's loss.
 */
import { performance } from 'node:perf_hooks';
import type { Scalar, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { Rng } from '../src/common/index.js';
import { FEATURE_COUNT, loadTf, Policy, type PolicyWeights, type Tf } from '../src/search/index.js';
import { POLICY_SHAPE } from './rl-policy.js';

/** What the loop needs of a policy. */
interface Trainable {
  readonly variables: Variable[];
  logits(features: Tensor2D): Tensor1D;
  loss(features: Tensor2D, actions: Tensor1D, rowWeights: Tensor1D, entropyBonus: number): Scalar;
}

/**
 * The same policy as the textbook writes it: tanh hidden units, block offsets tiled to every row,
 * log π(a) = −(a·softplus(−z) + (1 − a)·softplus(z)). The form phase 1 used before its tfjs
 * kernels were chosen for the wasm backend (Policy.logits says which and why).
 */
class TextbookPolicy implements Trainable {
  readonly variables: Variable[];

  constructor(
    private readonly tf: Tf,
    weights: PolicyWeights,
    decisions: number,
  ) {
    const h = weights.hiddenUnits;
    this.variables = [
      tf.variable(tf.tensor2d([...weights.w1], [FEATURE_COUNT, h])),
      tf.variable(tf.tensor1d([...weights.b1])),
      tf.variable(tf.tensor2d([...weights.w2], [h, 1])),
      tf.variable(tf.tensor1d([weights.b2])),
      tf.variable(tf.zeros([decisions])),
    ];
  }

  logits(features: Tensor2D): Tensor1D {
    const tf = this.tf;
    const [w1, b1, w2, b2, blockBias] = this.variables as [Variable, Variable, Variable, Variable, Variable];
    const hidden = tf.tanh(tf.add(tf.matMul(features, w1 as Tensor2D), b1));
    const shared = tf.reshape(tf.add(tf.matMul(hidden as Tensor2D, w2 as Tensor2D), b2), [-1]);
    const repeats = (features.shape[0] as number) / (blockBias.shape[0] as number);
    return tf.add(shared, tf.tile(blockBias, [repeats])) as Tensor1D;
  }

  loss(features: Tensor2D, actions: Tensor1D, rowWeights: Tensor1D, entropyBonus: number): Scalar {
    const tf = this.tf;
    const z = this.logits(features);
    const logProb = tf.neg(
      tf.add(tf.mul(actions, tf.softplus(tf.neg(z))), tf.mul(tf.sub(1, actions), tf.softplus(z))),
    );
    const entropy = tf.mean(tf.sub(tf.softplus(z), tf.mul(tf.sigmoid(z), z)));
    return tf.sub(tf.neg(tf.sum(tf.mul(rowWeights, logProb))), tf.mul(entropyBonus, entropy)) as Scalar;
  }
}

const form = process.argv[2] === 'textbook' ? 'textbook' : 'policy';
const { batches, sweeps, episodes, decisions, hiddenUnits, entropyBonus, learningRate } = POLICY_SHAPE;
const { tf } = await loadTf();
const weights = Policy.create(tf, hiddenUnits, 1).toJSON();
let trainable: Trainable;
if (form === 'policy') {
  const policy = Policy.fromWeights(tf, weights);
  policy.addBlockBias(decisions);
  trainable = policy;
} else {
  trainable = new TextbookPolicy(tf, weights, decisions);
}
const optimizer = tf.train.adam(learningRate);
// The data, drawn before the clock starts: one batch's, seen by every batch (the policy changes).
const rng = new Rng(1);
const random = (length: number): Float32Array => Float32Array.from({ length }, () => rng.float());
const rows = sweeps * episodes * decisions;
const greedyFeatures = random(decisions * FEATURE_COUNT);
const sampledFeatures = random(episodes * decisions * FEATURE_COUNT);
const features = random(rows * FEATURE_COUNT);
const actions = Float32Array.from(random(rows), (u) => (u < 0.5 ? 1 : 0));
const rowWeights = Float32Array.from(random(rows), (u) => (2 * u - 1) / rows);

/** A forward pass as a rollout makes one: P(GPU) per row, read back. */
const probabilities = (rowFeatures: Float32Array): void => {
  const count = rowFeatures.length / FEATURE_COUNT;
  const p = tf.tidy(() => tf.sigmoid(trainable.logits(tf.tensor2d(rowFeatures, [count, FEATURE_COUNT]))));
  p.dataSync();
  p.dispose();
};

let lastLoss = Number.NaN;
const started = performance.now();
for (let batch = 0; batch < batches; batch++) {
  // The greedy episode, then the sampled ones, a forward pass per sweep each; then one step.
  for (let sweep = 0; sweep < sweeps; sweep++) probabilities(greedyFeatures);
  for (let sweep = 0; sweep < sweeps; sweep++) probabilities(sampledFeatures);
  lastLoss = tf.tidy(() => {
    const loss = optimizer.minimize(
      () =>
        trainable.loss(
          tf.tensor2d(features, [rows, FEATURE_COUNT]),
          tf.tensor1d(actions),
          tf.tensor1d(rowWeights),
          entropyBonus,
        ),
      true,
      trainable.variables,
    );
    return loss?.dataSync()[0] ?? Number.NaN;
  });
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, last_loss: lastLoss })}\n`);
process.exit(0);
