import { Rng } from '../common/index.js';
import {
  type Assignment,
  allCpu,
  allGpu,
  budgetSide,
  type Objective,
  ON_CPU,
  ON_GPU,
  withTenant,
} from './problem.js';

/**
 * The baselines a search is compared against, each scored through the same Objective as the
 * search itself so that the comparison is like for like.
 */

/** A baseline's plan and what it cost to find. */
export interface BaselineResult {
  readonly name: string;
  readonly assignment: Assignment;
  readonly score: number;
  /** Objective evaluations it made (cache hits excluded). */
  readonly evaluations: number;
}

/** Per tenant, per operator: a mask such as "the execution provider supports it". */
export type OpMask = readonly (readonly boolean[])[];

function result(objective: Objective, name: string, assignment: Assignment, before: number): BaselineResult {
  return {
    name,
    assignment,
    score: objective.score(assignment),
    evaluations: objective.evaluations - before,
  };
}

/** Everything on the CPU. */
export function allCpuBaseline(objective: Objective): BaselineResult {
  const before = objective.evaluations;
  return result(objective, 'all-cpu', allCpu(objective.sizes), before);
}

/** Every operator the GPU may take on the GPU. */
export function allGpuBaseline(objective: Objective): BaselineResult {
  const before = objective.evaluations;
  return result(objective, 'all-gpu', allGpu(objective.gpuAllowed), before);
}

/**
 * onnxruntime's own rule: each operator on the GPU wherever its execution provider supports it
 * (`supported`; gpuAllowed when not given, making this all-GPU), never where gpuAllowed forbids it.
 */
export function ortRuleBaseline(objective: Objective, supported?: OpMask): BaselineResult {
  const before = objective.evaluations;
  const assignment = objective.gpuAllowed.map((allowed, tenant) =>
    Uint8Array.from(allowed, (ok, op) => (ok && (supported?.[tenant]?.[op] ?? true) ? ON_GPU : ON_CPU)),
  );
  return result(objective, 'ort-rule', assignment, before);
}

/** Tenants up to which {@link modelLevelBaseline} tries every combination. */
export const MODEL_LEVEL_EXHAUSTIVE_TENANTS = 10;

/**
 * Model-level placement: each tenant whole on one processor, the CPU (at each of its thread
 * budgets, where the machine has some) or the GPU (all its GPU-allowed operators). The best of all
 * combinations while they number at most 2^10; beyond, greedy from all-CPU (move the tenant that
 * helps most to its best other processor, until none helps).
 */
export function modelLevelBaseline(objective: Objective): BaselineResult {
  const before = objective.evaluations;
  const gpu = allGpu(objective.gpuAllowed);
  const tenants = objective.sizes.length;
  const cpuSides = objective.cpuSides ?? 1;
  // Choices per tenant: 0 .. cpuSides - 1 the CPU sides (ON_CPU, then each budget), cpuSides the GPU.
  const choices = cpuSides + 1;
  const whole = (tenant: number, choice: number): Uint8Array =>
    choice === cpuSides
      ? (gpu[tenant] as Uint8Array).slice()
      : new Uint8Array(objective.sizes[tenant] ?? 0).fill(choice === 0 ? ON_CPU : budgetSide(choice - 1));
  const combine = (picked: readonly number[]): Uint8Array[] =>
    picked.map((choice, tenant) => whole(tenant, choice));
  let best = new Array<number>(tenants).fill(0);
  let bestScore = objective.score(combine(best));
  if (choices ** tenants <= 2 ** MODEL_LEVEL_EXHAUSTIVE_TENANTS) {
    for (let code = 1; code < choices ** tenants; code++) {
      const picked = Array.from(
        { length: tenants },
        (_, tenant) => Math.floor(code / choices ** tenant) % choices,
      );
      const score = objective.score(combine(picked));
      if (score > bestScore) [best, bestScore] = [picked, score];
    }
  } else {
    for (let improved = true; improved; ) {
      improved = false;
      let move: readonly number[] | undefined;
      for (let tenant = 0; tenant < tenants; tenant++) {
        for (let choice = 0; choice < choices; choice++) {
          if (choice === best[tenant]) continue;
          const picked = best.map((current, index) => (index === tenant ? choice : current));
          const score = objective.score(combine(picked));
          if (score > bestScore) [move, bestScore] = [picked, score];
        }
      }
      if (move) {
        best = [...move];
        improved = true;
      }
    }
  }
  return result(objective, 'model-level', combine(best), before);
}

export interface LayerGreedyOptions {
  /** Where to start; the better of all-CPU and all-GPU when not given. */
  readonly start?: Assignment;
  /** Passes over every operator; later passes run only while the previous one improved. Default 3. */
  readonly passes?: number;
  /** Stop once this many evaluations were made. Default unbounded. */
  readonly maxEvaluations?: number;
}

/**
 * Layer-level greedy: operators in topological order, tenant after tenant, each moved to the
 * other side when that improves the score; repeated while a pass improves, up to `passes`.
 */
export function layerGreedyBaseline(objective: Objective, options: LayerGreedyOptions = {}): BaselineResult {
  const before = objective.evaluations;
  const budget = options.maxEvaluations ?? Number.POSITIVE_INFINITY;
  let current: Uint8Array[];
  if (options.start) current = options.start.map((sides) => sides.slice());
  else {
    const cpu = allCpu(objective.sizes);
    const gpu = allGpu(objective.gpuAllowed);
    current = objective.score(gpu) > objective.score(cpu) ? gpu : cpu;
  }
  let currentScore = objective.score(current);
  const passes = options.passes ?? 3;
  let improved = true;
  for (let pass = 0; pass < passes && improved; pass++) {
    improved = false;
    objective.sizes.forEach((size, tenant) => {
      const allowed = objective.gpuAllowed[tenant] as readonly boolean[];
      for (let op = 0; op < size && objective.evaluations - before < budget; op++) {
        const sides = current[tenant] as Uint8Array;
        if (sides[op] === ON_CPU && !allowed[op]) continue;
        const moved = sides.slice();
        moved[op] = sides[op] === ON_GPU ? ON_CPU : ON_GPU;
        const candidate = withTenant(current, tenant, moved);
        const score = objective.score(candidate);
        if (score > currentScore) {
          current = candidate;
          currentScore = score;
          improved = true;
        }
      }
    });
  }
  return result(objective, 'layer-greedy', current, before);
}

export interface RandomSearchOptions {
  /** Random assignments to score. */
  readonly evaluations: number;
  readonly seed: number;
  /**
   * Chance that an allowed operator goes to the GPU: a number in [0, 1] (default 0.5), or
   * 'mixed' to draw it afresh for each assignment (plans from mostly-CPU to mostly-GPU).
   */
  readonly gpuProbability?: number | 'mixed';
}

/** Random search: each operator on a random allowed side; the best of `evaluations` draws. Seeded. */
export function randomSearchBaseline(objective: Objective, options: RandomSearchOptions): BaselineResult {
  const before = objective.evaluations;
  const rng = new Rng(options.seed);
  const probability = options.gpuProbability ?? 0.5;
  if (typeof probability === 'number' && !(probability >= 0 && probability <= 1))
    throw new RangeError(`gpuProbability must be in [0, 1] or 'mixed', got ${probability}`);
  let best: Assignment = allCpu(objective.sizes);
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let draw = 0; draw < options.evaluations; draw++) {
    const p = probability === 'mixed' ? rng.float() : probability;
    const assignment = objective.gpuAllowed.map((allowed) =>
      Uint8Array.from(allowed, (ok) => (ok && rng.bool(p) ? ON_GPU : ON_CPU)),
    );
    const score = objective.score(assignment);
    if (score > bestScore) [best, bestScore] = [assignment, score];
  }
  const name =
    probability === 0.5 ? 'random' : `random-${probability === 'mixed' ? 'mixed' : `p${probability}`}`;
  return result(objective, name, best, before);
}

export interface BaselineOptions {
  readonly seed: number;
  /** Evaluations for each random search. Default 100. */
  readonly randomEvaluations?: number;
  /** Evaluation cap of the layer-level greedy. Default unbounded. */
  readonly greedyEvaluations?: number;
  readonly supported?: OpMask;
}

/** Every baseline, in a fixed order. */
export function runBaselines(objective: Objective, options: BaselineOptions): BaselineResult[] {
  const randomEvaluations = options.randomEvaluations ?? 100;
  return [
    allCpuBaseline(objective),
    allGpuBaseline(objective),
    ortRuleBaseline(objective, options.supported),
    modelLevelBaseline(objective),
    layerGreedyBaseline(objective, {
      ...(options.greedyEvaluations !== undefined && { maxEvaluations: options.greedyEvaluations }),
    }),
    randomSearchBaseline(objective, { evaluations: randomEvaluations, seed: options.seed }),
    randomSearchBaseline(objective, {
      evaluations: randomEvaluations,
      seed: options.seed + 1,
      gpuProbability: 'mixed',
    }),
  ];
}
