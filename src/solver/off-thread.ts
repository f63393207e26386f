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
 * the bound uses at that length (algorithmFor: the primal simplex up to 2 MB, the interior point
 * method past it). Medians of 3 on a 2-core machine, wall s and CPU s, tiered against baseline:
 * - 5 x 300 operators, 0.55 MB: 0.86 and 1.45 against 0.80 and 0.88;
 * - 5 x 450, 0.84 MB: 1.18 and 1.90 against 1.53 and 1.66;
 * - 5 x 600, 1.14 MB: 2.02 and 2.84 against 2.52 and 2.65;
 * - 5 x 1,000, 1.92 MB: 3.49 and 4.32 against 5.26 and 5.40;
 * - 5 x 2,000, 3.89 MB (interior point): 7.16 and 8.31 against 13.80 and 14.08.
 * On a small LP the optimising tier costs more CPU than it saves, which a search running beside
 * the solve on two cores pays for. Towards 1 MB that extra CPU shrinks while the optimising tier's
 * wall time becomes the shorter (from 0.84 MB); by 1.92 MB its faster code wins on both counts.
 * Between those the limit trades CPU for wall time: past it, wall time.
 */
export const BASELINE_MAX_LP_CHARS = 1_000_000;

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
