import { describe, expect, it } from 'vitest';
import { inThreadLpSolver, type LpTextSolver } from '../solver/index.js';
import { AnalyticObjective } from './analytic-objective.js';
import { randomSearchBaseline } from './baselines.js';
import { lpLimits, planSearch } from './plan-search.js';
import { assignmentKey } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { SimObjective } from './sim-objective.js';

/** A wide tenant (the GPU pays), a narrow one (the CPU pays) and a middling one. */
const PROBLEM = syntheticProblem({
  tenants: 3,
  operators: 30,
  kind: 'mixed',
  width: [1024, 64, 256],
  batch: 16,
  pinnedFraction: 0.1,
  seed: 3,
});
const OPTIONS = { seed: 5, rlEpisodes: 32, refineEvaluations: 200 } as const;

describe('planSearch', async () => {
  const report = await planSearch(PROBLEM, OPTIONS);

  it('repeats exactly for a seed', async () => {
    const again = await planSearch(PROBLEM, OPTIONS);
    const summary = (r: typeof report) =>
      JSON.stringify({
        chosen: r.chosen.assignment.map((sides) => Array.from(sides)),
        chosenName: r.chosen.name,
        search: r.search.score,
        baselines: r.baselines.map((baseline) => [baseline.name, baseline.score]),
      });
    expect(summary(again)).toBe(summary(report));
  });

  it('chooses the simulator-best of the search and the baselines', () => {
    expect(report.baselines.length).toBeGreaterThan(0);
    for (const baseline of report.baselines)
      expect(report.chosen.score).toBeGreaterThanOrEqual(baseline.score);
    expect(report.chosen.score).toBeGreaterThanOrEqual(report.search.score);
    // The scores are the simulator's: a fresh SimObjective agrees.
    const judge = new SimObjective(PROBLEM);
    expect(judge.score(report.chosen.assignment)).toBe(report.chosen.score);
    expect(judge.score(report.search.assignment)).toBe(report.search.score);
    // And the inner scores are the analytic objective's.
    const inner = new AnalyticObjective(PROBLEM);
    expect(inner.score(report.search.assignment)).toBe(report.search.innerScore);
  });

  it('gives the random baselines as many draws as the search made evaluations', () => {
    expect(report.search.evaluations).toBeGreaterThan(0);
    const random = report.baselines.filter((baseline) => baseline.name.startsWith('random'));
    expect(random.map((baseline) => baseline.name)).toEqual(['random', 'random-mixed']);
    // Replayed on a fresh objective with the search's evaluation count as the number of draws,
    // the same seeds find the same plans.
    const replays = [
      randomSearchBaseline(new AnalyticObjective(PROBLEM), {
        evaluations: report.search.evaluations,
        seed: OPTIONS.seed,
      }),
      randomSearchBaseline(new AnalyticObjective(PROBLEM), {
        evaluations: report.search.evaluations,
        seed: OPTIONS.seed + 1,
        gpuProbability: 'mixed',
      }),
    ];
    random.forEach((baseline, index) => {
      const replay = replays[index];
      expect(assignmentKey(baseline.assignment)).toBe(assignmentKey(replay?.assignment ?? []));
      expect(baseline.innerScore).toBe(replay?.score);
      // Evaluations exclude cache hits (repeated draws, plans the search already scored): at most the draws.
      expect(baseline.evaluations).toBeLessThanOrEqual(report.search.evaluations);
      expect(baseline.evaluations).toBeGreaterThan(0);
    });
  });

  it('reports an LP bound at or above the chosen plan', () => {
    const bound = report.lpBound;
    expect(bound).toBeDefined();
    expect(bound?.status).toBe('Optimal');
    expect(report.chosen.score).toBeGreaterThan(0);
    expect(bound?.boundWeightedThroughputPerS).toBeGreaterThanOrEqual(report.chosen.score);
  });

  it('predicts each tenant under the chosen plan', () => {
    expect(report.predicted.tenants.map((tenant) => tenant.name)).toEqual(
      PROBLEM.tenants.map((tenant) => tenant.name),
    );
    expect(report.predicted.score).toBe(report.chosen.score);
    expect(report.predicted.allWithinSlo).toBe(true);
    expect(report.seed).toBe(OPTIONS.seed);
  });

  it('skips the LP bound when asked', async () => {
    const without = await planSearch(PROBLEM, {
      ...OPTIONS,
      rlEpisodes: 16,
      refineEvaluations: 20,
      lpBound: false,
    });
    expect(without.lpBound).toBeUndefined();
    expect(without.lpBoundNote).toBeUndefined();
  });

  it('gives the LP no more time than the wall-clock budget', () => {
    expect(lpLimits(undefined, undefined)).toEqual({});
    expect(lpLimits({ maxVariables: 9 }, 2500)).toEqual({ maxVariables: 9, timeLimitS: 2.5 });
    expect(lpLimits({ timeLimitS: 1 }, 2500)).toEqual({ timeLimitS: 1 });
    expect(lpLimits(true, undefined)).toEqual({});
  });

  it('still plans when the LP bound is too large, and says why it is missing', async () => {
    const recorder = recordingSolver();
    const tooLarge = await planSearch(PROBLEM, {
      ...OPTIONS,
      rlEpisodes: 16,
      refineEvaluations: 20,
      lpBound: { maxVariables: 3 },
      lpSolver: () => recorder.solver,
    });
    expect(tooLarge.lpBound).toBeUndefined();
    expect(tooLarge.lpBoundNote).toBe('no LP bound: the LP bound would have more than 3 variables');
    expect(tooLarge.chosen.score).toBeGreaterThan(0);
    // The solver was made for an LP that never came: it is told so (a worker would wait for it).
    expect(recorder.calls).toEqual(['cancel']);
  });

  it('solves the LP with the solver it is given, and gets the bound solving here gets', async () => {
    const recorder = recordingSolver();
    const given = await planSearch(PROBLEM, { ...OPTIONS, lpSolver: () => recorder.solver });
    expect(recorder.calls).toEqual(['solve']);
    expect(given.lpBound).toEqual(report.lpBound);
    expect(given.chosen.assignment).toEqual(report.chosen.assignment);
  });
});

/** An in-thread solver that notes what it was asked to do. */
function recordingSolver(): { solver: LpTextSolver; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    solver: {
      solve: (lpText, options) => {
        calls.push('solve');
        return inThreadLpSolver.solve(lpText, options);
      },
      cancel: () => calls.push('cancel'),
    },
  };
}
