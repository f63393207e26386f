/**
 * Part A of suite `search`: the two-phase search on instances whose exact optimum is known —
 * random chains (dynamic programming) and small DAGs (MILP, HiGHS) of the additive objective —
 * against that optimum and against every baseline on the same objective.
 */
import {
  AdditiveObjective,
  additiveBlockCosts,
  allCpuBaseline,
  allGpuBaseline,
  allGpuStartOf,
  graphOfAdditive,
  modelLevelBaseline,
  ortRuleBaseline,
  RANGE_SWEEP,
  randomChain,
  randomDag,
  runBaselines,
  solveAdditiveMilp,
  solveChainDp,
  twoPhaseSearch,
} from '../src/search/index.js';
import { percentile, round } from './stats.js';

const INSTANCES_PER_KIND = 20;
const RL_EPISODES = 96;
const REFINE_EVALUATIONS = 8000;

export async function exactInstances(): Promise<Record<string, number>> {
  const gapsPct: number[] = [];
  let worseThanBaseline = 0;
  let solvedOptimal = 0;
  for (let seed = 1; seed <= INSTANCES_PER_KIND; seed++) {
    for (const kind of ['chain', 'dag'] as const) {
      const instance =
        kind === 'chain'
          ? randomChain(30 + 2 * seed, seed, { tenants: 2 })
          : randomDag(20 + seed, seed, { tenants: 2 });
      const exact =
        kind === 'chain' ? solveChainDp(instance) : await solveAdditiveMilp(instance, { maxVariables: 4000 });
      if (kind === 'chain' || ('optimal' in exact && exact.optimal)) solvedOptimal++;
      const objective = new AdditiveObjective(instance);
      // As planSearch does: all-GPU and the best cheap baseline are refined too, every start
      // swept over its tenants' GPU runs first.
      const cheap = [allCpuBaseline, allGpuBaseline, ortRuleBaseline, modelLevelBaseline].map((run) =>
        run(objective),
      );
      const start = cheap.reduce((a, b) => (b.score > a.score ? b : a));
      const found = await twoPhaseSearch(
        objective,
        instance.tenants.map(graphOfAdditive),
        additiveBlockCosts(instance),
        {
          seed,
          rlEpisodes: RL_EPISODES,
          refineEvaluations: REFINE_EVALUATIONS,
          rangeSweep: RANGE_SWEEP,
          extraStarts: [
            ...allGpuStartOf(cheap[1] as (typeof cheap)[number], start),
            { name: start.name, assignment: start.assignment },
          ],
        },
      );
      const baselines = runBaselines(new AdditiveObjective(instance), {
        seed,
        randomEvaluations: found.evaluations,
      });
      const bestBaseline = Math.max(...baselines.map((baseline) => baseline.score));
      const gapPct = (100 * (exact.score - found.score)) / Math.abs(exact.score);
      gapsPct.push(gapPct);
      if (found.score < bestBaseline - 1e-9 * Math.abs(bestBaseline)) worseThanBaseline++;
      process.stderr.write(
        `exact ${kind} seed ${seed}: gap ${gapPct.toFixed(3)}% (best baseline ${((100 * (exact.score - bestBaseline)) / Math.abs(exact.score)).toFixed(2)}%)\n`,
      );
    }
  }
  return {
    exact_instances: gapsPct.length,
    exact_solved_optimal: solvedOptimal,
    within_1pct_of_optimum_frac: round(gapsPct.filter((gap) => gap <= 1).length / gapsPct.length),
    optimum_gap_pct_median: round(percentile(gapsPct, 50)),
    optimum_gap_pct_max: round(Math.max(...gapsPct)),
    worse_than_best_baseline: worseThanBaseline,
  };
}
