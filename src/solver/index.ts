export {
  type HighsCompile,
  type LpSolution,
  type LpSolveOptions,
  linearExpression,
  solveLpText,
} from './highs.js';
export { inThreadLpSolver, type LpTextSolver } from './lp-text-solver.js';
export { BASELINE_MAX_LP_CHARS, compileFor, type HighsTask, offThreadLpSolver } from './off-thread.js';
