import { Rng } from '../common/index.js';
import { expandBlocks, type TenantBlocks } from './blocks.js';
import type { Assignment, Objective, SearchResult, TracePoint } from './problem.js';
import { ON_CPU, ON_GPU } from './problem.js';
import {
  type BlockCostFn,
  type DecisionSpace,
  decisionSpace,
  FEATURE_COUNT,
  writeFeatures,
} from './rl-features.js';
import { Policy, type PolicyWeights } from './rl-policy.js';
import { loadTf, type Tf } from './tf-backend.js';

/**
 * COS phase 1: policy-gradient search over block placements (REINFORCE, moving-average baseline,
 * batch-normalised rewards, entropy bonus). An episode places every movable block in `sweeps`
 * passes; each pass sees the placement the previous one left (neighbours on the GPU, load per
 * processor), the first starts from all-CPU. Reward: Objective.score of the expanded assignment.
 * The best assignment ever scored is returned, not the policy's last guess.
 *
 * Deterministic for a seed on one tfjs backend (weights from seeded initializers, sampling from
 * the seeded Rng). A deadline makes the result depend on the machine's speed.
 */
export interface RlOptions {
  readonly seed?: number;
  /** Episodes sampled at most (one score call each). Default 512. */
  readonly episodes?: number;
  /** Stop once the objective has counted this many new evaluations (cache hits excluded). */
  readonly maxEvaluations?: number;
  /** Episodes per policy update. Default 16. */
  readonly batchSize?: number;
  /** Adam step size. Default 0.05. */
  readonly learningRate?: number;
  readonly hiddenUnits?: number;
  /** Placement passes per episode. Default 2. */
  readonly sweeps?: number;
  /** Weight of the mean policy entropy in the loss (keeps exploring; at 0.01 it collapsed early on the tests' problems). Default 0.05. */
  readonly entropyBonus?: number;
  /** Per-batch decay of the moving-average reward baseline. Default 0.8. */
  readonly baselineDecay?: number;
  /** Score the policy's most likely placement once per batch too. Default true. */
  readonly greedyEval?: boolean;
  /** Learn a per-block logit offset next to the shared MLP (not saved in `policy`). Default true. */
  readonly blockBias?: boolean;
  /** Per tenant importance (policy input). Default 1 each. */
  readonly tenantWeights?: readonly number[];
  /** Start from these weights (a saved `policy`) instead of fresh ones. */
  readonly warmStart?: PolicyWeights;
  /** Wall-clock budget; the clock is injected because the search core reads no clock itself. */
  readonly deadline?: { readonly budgetMs: number; readonly nowMs: () => number };
}

export interface LearningPoint {
  readonly batch: number;
  /** Mean score of the batch's sampled episodes. */
  readonly meanReward: number;
  readonly bestScore: number;
  /** Objective evaluations since the search started. */
  readonly evaluations: number;
}

export interface RlResult extends SearchResult {
  readonly learningCurve: readonly LearningPoint[];
  /** The trained policy, for warm-starting a later search. */
  readonly policy: PolicyWeights;
  /** Which tfjs backend ran the policy (for the caller to log). */
  readonly backend: string;
  /** Episodes sampled (score calls, cache hits included). */
  readonly episodes: number;
}

/** Batches whose rewards are all equal before the search calls the policy converged. */
const CONVERGED_BATCHES = 3;
/** Normalised advantages are clipped to this magnitude: one outlier must not swamp an update. */
const ADVANTAGE_CLIP = 5;

export async function rlSearch(
  objective: Objective,
  tenants: readonly TenantBlocks[],
  blockCosts: BlockCostFn,
  options: RlOptions = {},
): Promise<RlResult> {
  const o = resolveOptions(options, tenants.length);
  const { tf, backend } = await loadTf();
  const space = decisionSpace(tenants, blockCosts, o.tenantWeights);
  const rng = new Rng(o.seed);
  const startEvaluations = objective.evaluations;
  const startMs = o.deadline?.nowMs();
  const policy = o.warmStart ? Policy.fromWeights(tf, o.warmStart) : Policy.create(tf, o.hiddenUnits, o.seed);
  if (o.blockBias && space.tenantOf.length > 0) policy.addBlockBias(space.tenantOf.length);
  const optimizer = tf.train.adam(o.learningRate);

  let best: { assignment: Assignment; score: number } | undefined;
  const trace: TracePoint[] = [];
  const learningCurve: LearningPoint[] = [];
  let episodes = 0;
  const evaluations = (): number => objective.evaluations - startEvaluations;
  const score = (sides: Uint8Array[]): number => {
    const assignment = expandBlocks(tenants, sides);
    const value = objective.score(assignment);
    episodes++;
    if (best === undefined || value > best.score) {
      best = { assignment, score: value };
      trace.push({ phase: 'rl', evaluations: evaluations(), bestScore: value });
    }
    return value;
  };

  try {
    const decisions = space.tenantOf.length;
    if (decisions === 0) score(tenants.map((t) => new Uint8Array(t.blocks.length)));
    let baseline: number | undefined;
    let flatBatches = 0;
    const outOfBudget = (): boolean =>
      episodes >= o.episodes ||
      evaluations() >= o.maxEvaluations ||
      (o.deadline !== undefined && o.deadline.nowMs() - (startMs as number) >= o.deadline.budgetMs);

    for (let batch = 0; decisions > 0 && !outOfBudget(); batch++) {
      if (o.greedyEval) score(rollout(policy, space, o.sweeps, 1, undefined).sides[0] as Uint8Array[]);
      const size = Math.min(o.batchSize, o.episodes - episodes);
      if (size <= 0) break;
      const { sides, features, actions } = rollout(policy, space, o.sweeps, size, rng);
      const rewards = sides.map((s) => score(s));
      const mean = rewards.reduce((a, b) => a + b, 0) / size;
      const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / size);
      baseline = baseline === undefined ? mean : o.baselineDecay * baseline + (1 - o.baselineDecay) * mean;
      learningCurve.push({
        batch,
        meanReward: mean,
        bestScore: best?.score ?? mean,
        evaluations: evaluations(),
      });
      flatBatches = std > 1e-12 * Math.max(1, Math.abs(mean)) ? 0 : flatBatches + 1;
      if (flatBatches >= CONVERGED_BATCHES) break;
      if (flatBatches > 0) continue;
      const advantages = rewards.map((r) =>
        Math.max(-ADVANTAGE_CLIP, Math.min(ADVANTAGE_CLIP, (r - (baseline as number)) / std)),
      );
      trainStep(tf, policy, optimizer, features, actions, advantages, decisions, o.sweeps, o.entropyBonus);
    }
    if (best === undefined) throw new Error('rlSearch: no episode ran (episodes or maxEvaluations is 0)');
    return {
      assignment: best.assignment,
      score: best.score,
      evaluations: evaluations(),
      trace,
      learningCurve,
      policy: policy.toJSON(),
      backend,
      episodes,
    };
  } finally {
    policy.dispose();
    optimizer.dispose();
  }
}

interface Rollout {
  /** Per episode, per tenant, per block: the final side. */
  readonly sides: Uint8Array[][];
  /** Row-major [sweep][episode][decision][feature]. */
  readonly features: Float32Array;
  /** 0/1 per [sweep][episode][decision]. */
  readonly actions: Float32Array;
}

/**
 * Samples `count` episodes in lock step, one batched forward pass per sweep. Without an Rng the
 * most likely side is taken (the greedy placement).
 */
function rollout(
  policy: Policy,
  space: DecisionSpace,
  sweeps: number,
  count: number,
  rng: Rng | undefined,
): Rollout {
  const decisions = space.tenantOf.length;
  const sides = Array.from({ length: count }, () =>
    space.tenants.map((t) => new Uint8Array(t.blocks.length)),
  );
  const rowsPerSweep = count * decisions;
  const features = new Float32Array(sweeps * rowsPerSweep * FEATURE_COUNT);
  const actions = new Float32Array(sweeps * rowsPerSweep);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    const offset = sweep * rowsPerSweep;
    sides.forEach((episode, e) => {
      writeFeatures(space, episode, features, offset + e * decisions);
    });
    const sweepFeatures = features.subarray(offset * FEATURE_COUNT, (offset + rowsPerSweep) * FEATURE_COUNT);
    const probabilities = policy.probabilities(sweepFeatures);
    sides.forEach((episode, e) => {
      for (let d = 0; d < decisions; d++) {
        const p = probabilities[e * decisions + d] as number;
        const onGpu = rng === undefined ? p > 0.5 : rng.float() < p;
        actions[offset + e * decisions + d] = onGpu ? 1 : 0;
        (episode[space.tenantOf[d] as number] as Uint8Array)[space.blockOf[d] as number] = onGpu
          ? ON_GPU
          : ON_CPU;
      }
    });
  }
  return { sides, features, actions };
}

/**
 * One REINFORCE update: ascend sum(advantage x log pi(action)) over every decision of every sweep,
 * averaged per decision so the step size does not grow with the block count, plus the entropy bonus.
 */
function trainStep(
  tf: Tf,
  policy: Policy,
  optimizer: ReturnType<Tf['train']['adam']>,
  features: Float32Array,
  actions: Float32Array,
  advantages: readonly number[],
  decisions: number,
  sweeps: number,
  entropyBonus: number,
): void {
  const rows = actions.length;
  const episodes = advantages.length;
  const rowWeights = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    const episode = Math.floor(row / decisions) % episodes;
    rowWeights[row] = (advantages[episode] as number) / (decisions * sweeps * episodes);
  }
  tf.tidy(() => {
    const x = tf.tensor2d(features, [rows, FEATURE_COUNT]);
    const a = tf.tensor1d(actions);
    const w = tf.tensor1d(rowWeights);
    optimizer.minimize(() => policy.loss(x, a, w, entropyBonus), false, policy.variables);
  });
}

interface ResolvedRlOptions {
  readonly seed: number;
  readonly episodes: number;
  readonly maxEvaluations: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly hiddenUnits: number;
  readonly sweeps: number;
  readonly entropyBonus: number;
  readonly baselineDecay: number;
  readonly greedyEval: boolean;
  readonly blockBias: boolean;
  readonly tenantWeights: readonly number[];
  readonly warmStart: PolicyWeights | undefined;
  readonly deadline: RlOptions['deadline'];
}

function resolveOptions(options: RlOptions, tenantCount: number): ResolvedRlOptions {
  const int = (name: string, value: number, min: number): number => {
    if (!Number.isInteger(value) || value < min)
      throw new RangeError(`rl ${name} must be an integer >= ${min}, got ${value}`);
    return value;
  };
  const positive = (name: string, value: number): number => {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`rl ${name} must be > 0, got ${value}`);
    return value;
  };
  const tenantWeights = options.tenantWeights ?? Array(tenantCount).fill(1);
  if (tenantWeights.length !== tenantCount || tenantWeights.some((w) => !(w >= 0))) {
    throw new RangeError(`rl tenantWeights must be ${tenantCount} numbers >= 0`);
  }
  const baselineDecay = options.baselineDecay ?? 0.8;
  if (!(baselineDecay >= 0 && baselineDecay < 1))
    throw new RangeError(`rl baselineDecay must be in [0, 1), got ${baselineDecay}`);
  const maxEvaluations = options.maxEvaluations ?? Number.POSITIVE_INFINITY;
  if (!(maxEvaluations >= 1)) throw new RangeError(`rl maxEvaluations must be >= 1, got ${maxEvaluations}`);
  return {
    seed: int('seed', options.seed ?? 0, Number.MIN_SAFE_INTEGER),
    episodes: int('episodes', options.episodes ?? 512, 1),
    maxEvaluations,
    batchSize: int('batchSize', options.batchSize ?? 16, 2),
    learningRate: positive('learningRate', options.learningRate ?? 0.05),
    hiddenUnits: int('hiddenUnits', options.hiddenUnits ?? 16, 1),
    sweeps: int('sweeps', options.sweeps ?? 2, 1),
    entropyBonus: options.entropyBonus ?? 0.05,
    baselineDecay,
    greedyEval: options.greedyEval ?? true,
    blockBias: options.blockBias ?? true,
    tenantWeights,
    warmStart: options.warmStart,
    deadline: options.deadline,
  };
}
