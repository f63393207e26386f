/**
 * Part C of suite `search`: how long a search takes on synthetic graphs — 5 tenants x 300
 * operators and 5 x 2,000 — with the H100 host's analytic profile, on this machine's cores. The
 * search as Plan runs it (the LP bound, whose rounding can be a start; the cheap baselines as
 * starts; both phases; the simulator's verdict), and again without the LP; not the comparison
 * baselines. tfjs is loaded first and its load time reported apart. Timed twice: from source (as
 * the benchmark itself runs, its worker threads loading TypeScript through tsx), and as the
 * installed package runs it (`_built`: a fresh build under dist/, in plain Node.js).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageRoot, runOneShot } from '../src/common/index.js';
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
  for (const { key, problem: options } of CASES) {
    const problem = syntheticProblem(options);
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
      const name = `${key}${withLp ? '' : '_without_lp'}`;
      seconds[name] = (performance.now() - started) / 1000;
      process.stderr.write(
        `${name}: ${seconds[name]?.toFixed(2)} s, score ${report.search.score.toFixed(1)} (${report.search.evaluations} evaluations, started from ${report.search.startedFrom}${report.lpBoundNote ? `; ${report.lpBoundNote}` : ''})\n`,
      );
    }
  }
  const built = builtSeconds();
  return {
    ...Object.fromEntries(Object.entries(seconds).map(([key, value]) => [key, round(value)])),
    ...Object.fromEntries(Object.entries(built).map(([key, value]) => [key, round(value)])),
    tfjs_backend: tf.backend,
    tfjs_load_s: round(loadS),
  };
}

const CASES = [300, 2000].map((operators) => ({
  key: `search_s_5x${operators}`,
  problem: {
    tenants: 5,
    operators,
    seed: 3,
    pinnedFraction: 0.02,
    objective: 'throughput' as const,
    cpuSlots: 2,
    gpuSlots: 1,
    sloMs: operators > 1000 ? 200 : 50,
  },
}));

/** The same cases from a fresh build, in a plain Node.js process (search-speed-built.mjs). */
function builtSeconds(): Record<string, number> {
  execFileSync(
    process.execPath,
    [join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: packageRoot,
      stdio: 'inherit',
    },
  );
  const out = execFileSync(
    process.execPath,
    [
      join(packageRoot, 'bench', 'search-speed-built.mjs'),
      JSON.stringify(CASES.map(({ key, problem }) => ({ key: `${key}_built`, problem }))),
    ],
    {
      cwd: packageRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}
