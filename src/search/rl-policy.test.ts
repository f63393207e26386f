import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import { FEATURE_COUNT } from './rl-features.js';
import { Policy, type PolicyWeights } from './rl-policy.js';
import { loadTf } from './tf-backend.js';

/** Rows of features in [-1, 1), row-major, from a seeded stream. */
function randomFeatures(rows: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * FEATURE_COUNT }, () => 2 * rng.float() - 1);
}

/** The textbook MLP in float64: tanh(x·w1 + b1)·w2 + b2, per row. */
function referenceLogits(weights: PolicyWeights, features: Float32Array): number[] {
  const { hiddenUnits: h, w1, b1, w2, b2 } = weights;
  const logits: number[] = [];
  for (let row = 0; row < features.length / FEATURE_COUNT; row++) {
    let logit = b2;
    for (let j = 0; j < h; j++) {
      let pre = b1[j] as number;
      for (let f = 0; f < FEATURE_COUNT; f++)
        pre += (features[row * FEATURE_COUNT + f] as number) * (w1[f * h + j] as number);
      logit += Math.tanh(pre) * (w2[j] as number);
    }
    logits.push(logit);
  }
  return logits;
}

const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('Policy', () => {
  it('computes the tanh MLP its weights describe', async () => {
    const { tf } = await loadTf();
    const policy = Policy.create(tf, 16, 7);
    const features = randomFeatures(50, 1);
    const expected = referenceLogits(policy.toJSON(), features);
    const logits = tf.tidy(() => policy.logits(tf.tensor2d(features, [50, FEATURE_COUNT])).arraySync());
    policy.dispose();
    expect(logits).toHaveLength(50);
    logits.forEach((logit, row) => {
      expect(logit).toBeCloseTo(expected[row] as number, 5);
    });
  });

  it("loss is REINFORCE's: −Σ weight·log π(action) − bonus · mean entropy", async () => {
    const { tf } = await loadTf();
    const policy = Policy.create(tf, 16, 3);
    const rows = 40;
    const features = randomFeatures(rows, 2);
    const actions = Float32Array.from({ length: rows }, (_, row) => (row % 3 === 0 ? 1 : 0));
    const weights = Float32Array.from({ length: rows }, (_, row) => (row - 20) / 100);
    const bonus = 0.05;
    const z = referenceLogits(policy.toJSON(), features);
    let weighted = 0;
    let entropy = 0;
    z.forEach((logit, row) => {
      // log σ(z) for the GPU, log(1 − σ(z)) for the CPU.
      const logProb = actions[row] === 1 ? -softplus(-logit) : -softplus(logit);
      weighted += (weights[row] as number) * logProb;
      entropy += softplus(logit) - sigmoid(logit) * logit;
    });
    const expected = -weighted - (bonus * entropy) / rows;
    const loss = tf.tidy(() =>
      policy
        .loss(tf.tensor2d(features, [rows, FEATURE_COUNT]), tf.tensor1d(actions), tf.tensor1d(weights), bonus)
        .dataSync(),
    )[0] as number;
    policy.dispose();
    expect(loss).toBeCloseTo(expected, 5);
  });

  it('adds block offsets by decision, repeated over the episodes', async () => {
    const { tf } = await loadTf();
    const policy = Policy.create(tf, 8, 5);
    const decisions = 3;
    policy.addBlockBias(decisions);
    // One row of features for every decision of four episodes: only the offsets can tell them apart.
    const episodes = 4;
    const rows = decisions * episodes;
    const row = randomFeatures(1, 9);
    const features = new Float32Array(rows * FEATURE_COUNT);
    for (let r = 0; r < rows; r++) features.set(row, r * FEATURE_COUNT);
    // Reward the GPU at decision 0 and the CPU at decisions 1 and 2.
    const actions = Float32Array.from({ length: rows }, (_, r) => (r % decisions === 0 ? 1 : 0));
    const optimizer = tf.train.adam(0.1);
    for (let step = 0; step < 5; step++)
      tf.tidy(() => {
        const x = tf.tensor2d(features, [rows, FEATURE_COUNT]);
        const a = tf.tensor1d(actions);
        const w = tf.fill([rows], 1 / rows) as ReturnType<typeof tf.tensor1d>;
        optimizer.minimize(() => policy.loss(x, a, w, 0), false, policy.variables);
      });
    const logits = tf.tidy(() => policy.logits(tf.tensor2d(features, [rows, FEATURE_COUNT])).arraySync());
    policy.dispose();
    optimizer.dispose();
    for (let r = decisions; r < rows; r++) expect(logits[r]).toBe(logits[r % decisions]);
    expect(logits[0]).toBeGreaterThan(logits[1] as number);
    expect(logits[0]).toBeGreaterThan(logits[2] as number);
  });
});
