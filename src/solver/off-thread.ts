import { type OneShotOptions, startOneShot } from '../common/index.js';
import type { LpSolution, LpSolveOptions } from './highs.js';
import type { LpTextSolver } from './lp-text-solver.js';

/** What HiGHS's worker (workers/highs-worker.ts) is sent: one LP and how to solve it. */
export interface HighsTask {
  readonly lpText: string;
  readonly options: Partial<LpSolveOptions>;
}

/**
 * Solves in a worker thread of its own, started now: it imports HiGHS and compiles its wasm while
 * the caller writes the LP, and the caller's thread goes on with other work (the search's phase 1)
 * while HiGHS solves. `label` names the solve in errors; `timeoutMs` runs from now.
 */
export function offThreadLpSolver(options: Pick<OneShotOptions, 'timeoutMs' | 'label'>): LpTextSolver {
  const worker = startOneShot<LpSolution>('highs-worker', options);
  return {
    solve: (lpText, solveOptions) => worker.run({ lpText, options: solveOptions } satisfies HighsTask),
    cancel: () => worker.cancel(),
  };
}
