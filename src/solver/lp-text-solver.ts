import { type LpSolution, type LpSolveOptions, solveLpText } from './highs.js';

/**
 * Where an LP is solved: on this thread, or in HiGHS's worker (off-thread.ts). Made before the LP
 * is written, so that a worker can start and load its modules meanwhile; `solve` is called at most
 * once, and `cancel` instead of it when no LP comes (writing it failed).
 */
export interface LpTextSolver {
  solve(lpText: string, options: Partial<LpSolveOptions>): Promise<LpSolution>;
  cancel(): void;
}

/** Solves on the calling thread, blocking it for the solve. */
export const inThreadLpSolver: LpTextSolver = {
  solve: solveLpText,
  cancel: () => undefined,
};
