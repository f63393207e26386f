export {
  formatNumber,
  type HighsCompile,
  type LpSolution,
  type LpSolveOptions,
  linearExpression,
  solveLpText,
} from './highs.js';
export { algorithmFor } from './lp-algorithm.js';
export { inThreadLpSolver, type LpTextSolver } from './lp-text-solver.js';
export { compileFor, type HighsTask, offThreadLpSolver } from './off-thread.js';
