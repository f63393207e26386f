/**
 * Part B of suite `search`: multi-tenant mixes of the real models, priced with this machine's
 * measured CPU profiles (profiles/, measured now where missing) and the analytic H100 profile's
 * GPU. The full search (planSearch) against every baseline and the LP bound, all judged by the
 * simulator, with and without the shares of tenants' requests the search hands to another
 * placement (searchSplits); and an ablation in the same run: RL only, refinement only (from
 * all-GPU, from ORT's rule), both, and random search with RL's number of evaluations (phases
 * only, no splits). Also the LP bound over the placements that keep the best baseline's CPU
 * operators on the CPU: how much room the GPU leaves beyond that baseline at all. And re-planning
 * after a tenant change: each mix's phase 1 on a small budget, warm-started from the previous
 * mix's policy and from scratch.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/common/index.js';
import { ensureModels, exampleFeeds } from '../src/models/index.js';
import { applyVulkanEnvironment, detectGpu, ProfileStore } from '../src/profile/index.js';
import { Engine, searchWorkload, type WorkloadTenant } from '../src/runtime/index.js';
import {
  AnalyticObjective,
  type Assignment,
  allGpuBaseline,
  blockCostsOf,
  budgetSide,
  lpThroughputBound,
  ON_GPU,
  ortRuleBaseline,
  type PolicyWeights,
  planSearch,
  RANGE_SWEEP,
  randomSearchBaseline,
  type SearchProblem,
  SimObjective,
  twoPhaseSearch,
} from '../src/search/index.js';
import { round } from './stats.js';

interface MixTenant {
  readonly id: string;
  readonly sloMs: number;
  readonly weight: number;
  readonly ratePerS: number;
}

const MIXES: Record<string, readonly MixTenant[]> = {
  ocr: [
    { id: 'ppocr-det', sloMs: 300, weight: 1, ratePerS: 4 },
    { id: 'ppocr-rec', sloMs: 150, weight: 1, ratePerS: 10 },
    { id: 'ppocr-cls', sloMs: 50, weight: 1, ratePerS: 20 },
  ],
  'ocr+audio': [
    { id: 'ppocr-rec', sloMs: 150, weight: 2, ratePerS: 10 },
    { id: 'silero-vad-v5', sloMs: 20, weight: 1, ratePerS: 50 },
    { id: 'openwakeword', sloMs: 20, weight: 1, ratePerS: 50 },
    { id: 'ppocr-cls', sloMs: 50, weight: 1, ratePerS: 20 },
  ],
  'det+audio': [
    { id: 'ppocr-det', sloMs: 400, weight: 3, ratePerS: 2 },
    { id: 'silero-vad-legacy', sloMs: 20, weight: 1, ratePerS: 50 },
    { id: 'openwakeword', sloMs: 20, weight: 1, ratePerS: 50 },
  ],
};
const GPU_PROFILE = 'nvidia-h100-sxm';
const SEED = 1;
const RL_EPISODES = 320;
const REFINE_EVALUATIONS = 800;
/**
 * Phase 1's episodes when a mix's search is warm-started from the previous mix's policy (a tenant
 * change: the next mix keeps some models and adds others), against as many from scratch.
 */
const WARM_START_EPISODES = 64;
/** More request slots than a mix has requests in flight within its SLOs (Little: Σ rate × SLO). */
const UNBOUNDED_REQUEST_SLOTS = 1_000;

/** The policy a mix's search trained, and which mix it was. */
interface TrainedPolicy {
  readonly mix: string;
  readonly policy: PolicyWeights;
}

export async function realMixes(): Promise<Record<string, unknown>> {
  applyVulkanEnvironment();
  // The same GPU detection as `hetsched profile`: the machine's fingerprint names its GPU.
  const gpu = await detectGpu({ preferred: 'auto' });
  const engine = new Engine({
    cpuThreads: availableParallelism(),
    intraOpThreads: 1,
    maxQueueLength: 4,
    gpu,
  });
  const store = new ProfileStore([join(packageRoot, 'profiles')]);
  const perMix: Record<string, unknown> = {};
  try {
    const ids = [...new Set(Object.values(MIXES).flatMap((mix) => mix.map((tenant) => tenant.id)))];
    const paths = await ensureModels(ids);
    const served = new Map<string, WorkloadTenant['served']>();
    for (const id of ids) {
      const model = await engine.loadFile(paths.get(id) ?? '', id);
      await engine.infer(model, new Map(Object.entries(exampleFeeds(id, { seed: 1 }))));
      served.set(id, model);
    }
    // Each mix's trained policy warm-starts the next one's phase 1 (warm_start).
    let previous: TrainedPolicy | undefined;
    for (const [name, mix] of Object.entries(MIXES)) {
      const tenants = mix.map((tenant) => ({
        name: tenant.id,
        served: served.get(tenant.id) as WorkloadTenant['served'],
        sloMs: tenant.sloMs,
        weight: tenant.weight,
        ratePerS: tenant.ratePerS,
      }));
      const { problem } = await searchWorkload(engine, tenants, {
        store,
        objective: 'throughput',
        seed: SEED,
        gpuProfile: GPU_PROFILE,
        measureMissing: true,
        onProgress: (progress) => process.stderr.write(`${progress.step}\n`),
      });
      const { metrics, policy } = await mixMetrics(name, problem, previous);
      perMix[name] = metrics;
      if (policy) previous = { mix: name, policy };
    }
  } finally {
    await engine.close();
  }
  return perMix;
}

async function mixMetrics(
  name: string,
  problem: SearchProblem,
  previous: TrainedPolicy | undefined,
): Promise<{ metrics: Record<string, unknown>; policy: PolicyWeights | undefined }> {
  const report = await planSearch(problem, {
    seed: SEED,
    rlEpisodes: RL_EPISODES,
    refineEvaluations: REFINE_EVALUATIONS,
  });
  const bestBaseline = report.baselines.reduce((a, b) => (b.score > a.score ? b : a));
  const bound = report.lpBound?.boundWeightedThroughputPerS ?? Number.NaN;
  // Ablation: each variant on a fresh fast objective, judged by one simulator.
  const judge = new SimObjective(problem);
  const graphs = problem.tenants.map((tenant) => tenant.graph);
  const variant = async (
    rlEpisodes: number,
    refineEvaluations: number,
    start?: (o: AnalyticObjective) => Assignment,
    warmStart?: PolicyWeights,
  ) => {
    const inner = new AnalyticObjective(problem);
    const result = await twoPhaseSearch(inner, graphs, blockCostsOf(problem), {
      seed: SEED,
      rlEpisodes,
      refineEvaluations,
      ...(warmStart && { warmStart }),
      // Phase 2 as planSearch runs it: each start swept over its tenants' GPU runs, then refined.
      rangeSweep: RANGE_SWEEP,
      ...(start && { extraStarts: [{ name: 'start', assignment: start(inner) }] }),
    });
    return {
      score: judge.score(result.assignment),
      innerScore: result.score,
      evaluations: result.evaluations,
    };
  };
  const rlOnly = await variant(RL_EPISODES, 0);
  const random = randomSearchBaseline(new AnalyticObjective(problem), {
    evaluations: rlOnly.evaluations,
    seed: SEED,
  });
  const randomScore = judge.score(random.assignment);
  // The thread budgets' worth: the same search on the same problem without them, same seed.
  const { cpuBudgets, ...binaryMachine } = problem.machine;
  const withoutBudgets = cpuBudgets?.length
    ? await planSearch(
        { ...problem, machine: binaryMachine },
        { seed: SEED, rlEpisodes: RL_EPISODES, refineEvaluations: REFINE_EVALUATIONS, compare: false },
      )
    : undefined;
  // Room beyond the best baseline: the bound over placements that keep every operator the best
  // baseline runs on the CPU there. Where it is close to the full bound, moving those operators
  // to the GPU cannot gain much, whatever the search does.
  const keepingBaselineCpu: SearchProblem = {
    ...problem,
    tenants: problem.tenants.map((tenant, t) => ({
      ...tenant,
      gpuAllowed: tenant.gpuAllowed.map((ok, op) => ok && bestBaseline.assignment[t]?.[op] === ON_GPU),
    })),
  };
  const boundKeepingBaselineCpu = (await lpThroughputBound(keepingBaselineCpu)).boundWeightedThroughputPerS;
  // What the dispatcher's request slots (REQUEST_SLOTS_PER_THREAD) cost the plan: its score where
  // every request is dispatched on arrival.
  const unboundedSlots = new SimObjective(problem, { requestSlots: UNBOUNDED_REQUEST_SLOTS });
  const scoreUnboundedSlots = unboundedSlots.score(report.search.assignment);
  // Re-planning after a tenant change: phase 1 alone on a small budget, from the previous mix's
  // policy and from scratch, judged by the simulator (and the fast objective it optimises).
  const warmStart = previous && {
    from: previous.mix,
    episodes: WARM_START_EPISODES,
    cold: await variant(WARM_START_EPISODES, 0),
    warm: await variant(WARM_START_EPISODES, 0, undefined, previous.policy),
  };
  // What the search's shares of requests on another placement bought: its plan without them.
  const splits = report.search.splits ?? [];
  const scoreWithoutSplits = splits.length > 0 ? judge.score(report.search.assignment) : report.search.score;
  const metrics = {
    search_score: round(report.search.score),
    search_started_from: report.search.startedFrom,
    search_splits: splits.map((split) => ({
      tenant: problem.tenants[split.tenant]?.name,
      share: split.share,
      alternate: split.sides.includes(ON_GPU) ? 'gpu' : 'cpu',
    })),
    search_score_without_splits: round(scoreWithoutSplits),
    ratio_vs_best_baseline_without_splits: round(scoreWithoutSplits / bestBaseline.score),
    // Both without the splits: the dispatcher's slots priced on the same plan of whole requests.
    search_score_unbounded_request_slots: round(scoreUnboundedSlots),
    ratio_vs_unbounded_request_slots: round(scoreWithoutSplits / scoreUnboundedSlots),
    best_baseline: bestBaseline.name,
    best_baseline_score: round(bestBaseline.score),
    ratio_vs_best_baseline: round(report.search.score / bestBaseline.score),
    lp_bound: round(bound),
    frac_of_lp_bound: round(report.search.score / bound),
    lp_bound_keeping_best_baseline_cpu_ops: round(boundKeepingBaselineCpu),
    best_baseline_frac_of_that_bound: round(bestBaseline.score / boundKeepingBaselineCpu),
    baselines: Object.fromEntries(report.baselines.map((baseline) => [baseline.name, round(baseline.score)])),
    ablation: {
      rl_only: round(rlOnly.score),
      refine_only_from_all_gpu: round(
        (await variant(0, REFINE_EVALUATIONS, (o) => allGpuBaseline(o).assignment)).score,
      ),
      refine_only_from_ort_rule: round(
        (await variant(0, REFINE_EVALUATIONS, (o) => ortRuleBaseline(o).assignment)).score,
      ),
      both: round((await variant(RL_EPISODES, REFINE_EVALUATIONS)).score),
      random_same_evaluations: round(randomScore),
    },
    rl_evaluations: rlOnly.evaluations,
    rl_vs_random: round(rlOnly.score / randomScore),
    rl_vs_random_inner: round(rlOnly.innerScore / random.score),
    learning_curve: report.learningCurve.map((point) => round(point.meanReward)),
    warm_start: warmStart
      ? {
          from_mix: warmStart.from,
          rl_episodes: warmStart.episodes,
          rl_only_cold: round(warmStart.cold.score),
          rl_only_warm: round(warmStart.warm.score),
          ratio_warm_vs_cold: round(warmStart.warm.score / warmStart.cold.score),
          ratio_warm_vs_cold_inner: round(warmStart.warm.innerScore / warmStart.cold.innerScore),
          ratio_warm_vs_full_rl_only: round(warmStart.warm.score / rlOnly.score),
        }
      : null,
    cpu_budgets: (cpuBudgets ?? []).map((budget) => `${budget.threads} threads / ${budget.slots} slots`),
    // Operators the search's plan runs on a wider budget, per tenant.
    budget_ops: Object.fromEntries(
      problem.tenants.map((tenant, t) => [
        tenant.name,
        [...(report.search.assignment[t] ?? [])].filter((side) => side >= budgetSide(0)).length,
      ]),
    ),
    search_score_without_budgets: withoutBudgets ? round(withoutBudgets.search.score) : null,
    ratio_vs_without_budgets: withoutBudgets
      ? round(report.search.score / withoutBudgets.search.score)
      : null,
  };
  process.stderr.write(`mix ${name}: ${JSON.stringify(metrics)}\n`);
  return { metrics, policy: report.policy };
}
