/**
 * Part C of suite `search`: how long a search takes on synthetic graphs — 5 tenants x 300
 * operators and 5 x 2,000 — with the H100 host's analytic profile, on this machine's cores. The
 * search alone (its cheap baselines as starts, both phases, the simulator's verdict), not the
 * comparison baselines; tfjs is loaded first and its load time reported apart.
 */
import { performance } from 'node:perf_hooks';
import { loadTf, planSearch, syntheticProblem } from '../src/search/index.js';
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
    const started = performance.now();
    const report = await planSearch(problem, { seed: 1, compare: false, lpBound: false });
    seconds[operators] = (performance.now() - started) / 1000;
    process.stderr.write(
      `5 x ${operators}: ${seconds[operators]?.toFixed(2)} s, score ${report.search.score.toFixed(1)} (${report.search.evaluations} evaluations)\n`,
    );
  }
  return {
    search_s_5x300: round(seconds[300] ?? Number.NaN),
    search_s_5x2000: round(seconds[2000] ?? Number.NaN),
    tfjs_backend: tf.backend,
    tfjs_load_s: round(loadS),
  };
}
