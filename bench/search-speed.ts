/**
 * Part C of suite `search`: how long a search takes on synthetic graphs — 5 tenants x 300
 * operators and 5 x 2,000 — with the H100 host's analytic profile, on this machine's cores. The
 * search as Plan runs it (the LP bound, whose rounding can be a start; the cheap baselines as
 * starts; both phases; the simulator's verdict), and again without the LP; not the comparison
 * baselines. tfjs is loaded first and its load time reported apart.
 */
import { performance } from 'node:perf_hooks';
import { runOneShot } from '../src/common/index.js';
import {
  type LpBoundSolution,
  loadTf,
  planSearch,
  syntheticProblem,
  toSearchTask,
} from '../src/search/index.js';
import { round } from './stats.js';

export async function searchSpeed(): Promise<Record<string, number | string>> {
  const loadStarted = performance.now();
  const tf = await loadTf();
  const loadS = (performance.now() - loadStarted) / 1000;
  const seconds: Record<string, number> = {};
  for (const operators of [300, 2000]) {
    const problem = syntheticProblem({
      tenants: 5,
      operators,
      seed: 3,
      pinnedFraction: 0.02,
      objective: 'throughput',
      cpuSlots: 2,
      gpuSlots: 1,
      sloMs: operators > 1000 ? 200 : 50,
    });
    for (const withLp of [true, false]) {
      const started = performance.now();
      // As the search worker runs it: the LP in a thread of its own, overlapping phase 1.
      const report = await planSearch(problem, {
        seed: 1,
        compare: false,
        lpBound: withLp,
        lpSolver: () =>
          runOneShot<LpBoundSolution>('lp-worker', toSearchTask(problem, { seed: 1 }), {
            timeoutMs: 10 * 60_000,
            label: 'LP bound',
          }),
      });
      const key = `search_s_5x${operators}${withLp ? '' : '_without_lp'}`;
      seconds[key] = (performance.now() - started) / 1000;
      process.stderr.write(
        `${key}: ${seconds[key]?.toFixed(2)} s, score ${report.search.score.toFixed(1)} (${report.search.evaluations} evaluations, started from ${report.search.startedFrom}${report.lpBoundNote ? `; ${report.lpBoundNote}` : ''})\n`,
      );
    }
  }
  return {
    ...Object.fromEntries(Object.entries(seconds).map(([key, value]) => [key, round(value)])),
    tfjs_backend: tf.backend,
    tfjs_load_s: round(loadS),
  };
}
