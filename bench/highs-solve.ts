/**
 * Suite `highs`: how HiGHS solves the LP bound fastest, by the LP's size. The LP bound of the
 * search bench's synthetic problems (5 tenants of 300 to 2,000 operators), each solved cold in a
 * process of its own (highs-solve-run.ts), alternating, ROUNDS times, every way:
 * - HiGHS compiled with V8's optimising tier and without (why its one-shot worker compiles it
 *   without for an LP under BASELINE_MAX_LP_CHARS of text: src/solver/off-thread.ts);
 * - by its dual simplex method (its default simplex), its primal simplex method and its
 *   interior point method (why the bound solves an LP under SIMPLEX_MAX_LP_CHARS by the primal
 *   simplex: src/solver/lp-algorithm.ts).
 * Median wall and CPU seconds per way; what the LP's length makes the worker choose; whether every
 * way reached the same optimum; and whether the bound rounds its LP's solution to the same
 * placement (the search's start) whichever algorithm solved it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/common/index.js';
import { boundLpText, type SearchProblem, solveLpBound, syntheticProblem } from '../src/search/index.js';
import {
  algorithmFor,
  compileFor,
  type HighsCompile,
  type LpSolveOptions,
  type LpTextSolver,
  solveLpText,
} from '../src/solver/index.js';
import { speedProblem } from './search-speed.js';
import { percentile, round } from './stats.js';

const OPERATORS = [300, 450, 600, 1000, 2000] as const;
const ROUNDS = 3;
const COMPILES: readonly HighsCompile[] = ['tiered', 'baseline'];
const ALGORITHMS: readonly LpSolveOptions['solver'][] = ['simplex', 'primal-simplex', 'ipm'];
/** Objectives this close (relative) are one optimum reached two ways. */
const SAME_OPTIMUM = 1e-9;

/** One way to solve: how HiGHS is compiled, and its algorithm. */
interface Way {
  readonly compile: HighsCompile;
  readonly algorithm: LpSolveOptions['solver'];
}

interface Solve {
  readonly wall_s: number;
  readonly cpu_s: number;
  readonly status: string;
  readonly objective: number;
}

export async function highsSolve(): Promise<Record<string, unknown>> {
  const scratch = mkdtempSync(join(tmpdir(), 'hetsched-highs-'));
  const metrics: Record<string, unknown> = {};
  const ways: Way[] = COMPILES.flatMap((compile) => ALGORITHMS.map((algorithm) => ({ compile, algorithm })));
  try {
    for (const operators of OPERATORS) {
      const problem = syntheticProblem(speedProblem(operators));
      const lpText = boundLpText(problem);
      const path = join(scratch, `5x${operators}.lp`);
      writeFileSync(path, lpText);
      const runs = new Map<Way, Solve[]>(ways.map((way) => [way, []]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const way of ways) {
          const result = solveCold(path, way);
          runs.get(way)?.push(result);
          process.stderr.write(
            `5x${operators} ${label(way)}: ${result.wall_s.toFixed(2)} s wall, ${result.cpu_s.toFixed(2)} s CPU (${result.status})\n`,
          );
        }
      }
      const key = `5x${operators}`;
      metrics[`${key}_lp_mb`] = round(lpText.length / 1e6);
      metrics[`${key}_worker_compiles`] = compileFor(lpText);
      metrics[`${key}_bound_solves_by`] = algorithmFor(lpText);
      const objectives = [...runs.values()].flat().map((solve) => solve.objective);
      const first = objectives[0] ?? 0;
      metrics[`${key}_same_optimum`] = objectives.every(
        (objective) => Math.abs(objective - first) <= SAME_OPTIMUM * Math.abs(first),
      );
      const roundings = await Promise.all(ALGORITHMS.map((algorithm) => roundedBy(problem, algorithm)));
      metrics[`${key}_same_rounding`] = roundings.every((rounding) => rounding === roundings[0]);
      for (const [way, solves] of runs) {
        metrics[`${key}_${label(way)}_wall_s`] = round(
          percentile(
            solves.map((solve) => solve.wall_s),
            50,
          ),
        );
        metrics[`${key}_${label(way)}_cpu_s`] = round(
          percentile(
            solves.map((solve) => solve.cpu_s),
            50,
          ),
        );
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return metrics;
}

/**
 * The bound's placement rounded from its LP's solution (LpBoundSolution.rounded), HiGHS solving by
 * `algorithm` in this process, as a string to compare. Untimed; no time limit.
 */
async function roundedBy(problem: SearchProblem, algorithm: LpSolveOptions['solver']): Promise<string> {
  const solver: LpTextSolver = {
    solve: (lpText, options) => solveLpText(lpText, { ...options, solver: algorithm }),
    cancel: () => undefined,
  };
  const { rounded } = await solveLpBound(problem, { timeLimitS: 600 }, solver);
  return rounded.map((sides) => Buffer.from(sides).toString('hex')).join('|');
}

/** A way as its metrics name it: `tiered_simplex`, `baseline_primal_simplex`, `baseline_ipm`, ... */
function label(way: Way): string {
  return `${way.compile}_${way.algorithm.replace('-', '_')}`;
}

/** One cold solve, the way asked. */
function solveCold(path: string, way: Way): Solve {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'bench', 'highs-solve-run.ts'), path, way.compile, way.algorithm],
    { cwd: packageRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}
