import { type OneShotOptions, startOneShot } from '../common/index.js';
import type { HighsCompile, LpSolution, LpSolveOptions } from './highs.js';
import type { LpTextSolver } from './lp-text-solver.js';

/** What HiGHS's worker (workers/highs-worker.ts) is sent: one LP and how to solve it (how to compile HiGHS included). */
export interface HighsTask {
  readonly lpText: string;
  readonly options: Partial<LpSolveOptions>;
}

/**
 * The longest LP text (characters) that HiGHS's worker solves compiled without V8's optimising tier.
 * `npm run bench -- highs` solves the search bench's synthetic LPs cold, each way, by the algorithm
 * the bound uses at that length (algorithmFor: the primal simplex up to 4 MB). Medians of 3 on a
 * 2-core machine, wall s and CPU s, tiered against baseline:
 * - 5 x 300 operators, 0.51 MB: 0.93 and 1.69 against 0.51 and 0.60;
 * - 5 x 450, 0.78 MB: 1.29 and 2.16 against 1.03 and 1.16;
 * - 5 x 600, 1.06 MB: 1.25 and 2.11 against 1.33 and 1.47;
 * - 5 x 1,000, 1.79 MB: 1.82 and 2.70 against 2.27 and 2.42;
 * - 5 x 2,000, 3.62 MB: 4.49 and 5.53 against 7.15 and 7.24.
 * On a small LP the optimising tier costs more CPU than it saves, which a search running beside
 * the solve on two cores pays for. At 1.06 MB the two take about the same wall time, the baseline
 * 30 % less CPU; at 1.79 MB the optimising tier takes a fifth less wall time for 12 % more CPU;
 * at 3.62 MB less of both.
 */
export const BASELINE_MAX_LP_CHARS = 1_500_000;

/** How HiGHS's worker compiles HiGHS for an LP of this length. */
export function compileFor(lpText: string): HighsCompile {
  return lpText.length <= BASELINE_MAX_LP_CHARS ? 'baseline' : 'tiered';
}

/**
 * Solves in a worker thread of its own, started now: it loads its modules while the caller writes
 * the LP, and the caller's thread goes on with other work (the search's phase 1) while HiGHS
 * solves. HiGHS is compiled when the LP comes, as its length calls for (compileFor). `label` names
 * the solve in errors; `timeoutMs` runs from now.
 */
export function offThreadLpSolver(options: Pick<OneShotOptions, 'timeoutMs' | 'label'>): LpTextSolver {
  const worker = startOneShot<LpSolution>('highs-worker', options);
  return {
    solve: (lpText, solveOptions) =>
      worker.run({ lpText, options: { ...solveOptions, compile: compileFor(lpText) } } satisfies HighsTask),
    cancel: () => worker.cancel(),
  };
}
