export {
  type HighsCompile,
  type LpSolution,
  type LpSolveOptions,
  linearExpression,
  preloadHighs,
  solveLpText,
} from './highs.js';
export { inThreadLpSolver, type LpTextSolver } from './lp-text-solver.js';
export { type HighsTask, offThreadLpSolver } from './off-thread.js';
