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
 * Cold solves of the search bench's synthetic LPs, on a 2-core machine (wall s and CPU s, tiered
 * against baseline):
 * - 5 x 300 operators, 0.55 MB: 1.3-1.5 and 2.7-3.0 against 1.3-1.4 and 1.6;
 * - 5 x 450, 0.84 MB: 2.4-2.7 and 3.9-4.4 against 2.7-2.9 and 3.1;
 * - 5 x 600, 1.1 MB: 3.1 and 4.5 against 4.2 and 4.5;
 * - 5 x 2,000, 3.9 MB: 11.2 and 12.8 against 20.8 and 21.1.
 * Below about 1 MB the optimising tier costs a second of CPU more than it saves, which a search
 * running beside the solve on two cores pays for; above it, its faster code pays for itself.
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
