export {
  type AdditiveEdge,
  type AdditiveInstance,
  AdditiveObjective,
  type AdditiveTenant,
  type ExactSolution,
  weightedLatencyMs,
} from './additive.js';
export { solveBruteForce } from './additive-brute.js';
export { additiveBlockCosts, graphOfAdditive } from './additive-graph.js';
export { randomChain, randomDag } from './additive-random.js';
export { AnalyticObjective } from './analytic-objective.js';
export {
  allCpuBaseline,
  allGpuBaseline,
  type BaselineResult,
  layerGreedyBaseline,
  modelLevelBaseline,
  ortRuleBaseline,
  randomSearchBaseline,
  runBaselines,
} from './baselines.js';
export { solveChainDp } from './chain-dp.js';
export { coarsen, coarsenAll } from './coarsen.js';
export {
  boundLpText,
  type LpBoundOptions,
  type LpThroughputBound,
  lpThroughputBound,
  solveLpBound,
} from './lp-bound.js';
export { type MilpSolution, solveAdditiveMilp } from './milp.js';
export {
  allGpuStartOf,
  blockCostsOf,
  type PlanSearchOptions,
  type PlanSearchReport,
  planSearch,
  RANGE_SWEEP,
  type ScoredPlan,
} from './plan-search.js';
export {
  type Assignment,
  allCpu,
  allGpu,
  assignmentKey,
  budgetLane,
  budgetSide,
  type Objective,
  type ObjectiveKind,
  ON_CPU,
  ON_GPU,
  type SearchMachine,
  type SearchProblem,
  type SearchResult,
  type SearchTenant,
  type TracePoint,
} from './problem.js';
export { syntheticProblem } from './problem-fixture.js';
export { narrowestCuts, type RangeSweepOptions, rangeSweep } from './range-sweep.js';
export { refine } from './refine.js';
export { type LearningPoint, type RlResult, rlSearch } from './rl.js';
export { FEATURE_COUNT } from './rl-features.js';
export { Policy, type PolicyWeights, policyFromJson } from './rl-policy.js';
export { fromSearchTask, type SearchTask, toSearchTask } from './search-task.js';
export { type PlanPrediction, SimObjective, type TenantPrediction } from './sim-objective.js';
export {
  alternateName,
  describeSplit,
  SPLIT_SHARES,
  type SplitSearchResult,
  searchSplits,
  splitAssignment,
  splitProblem,
  type TenantSplit,
} from './split-routes.js';
export { loadTf, type Tf } from './tf-backend.js';
export { type TwoPhaseResult, twoPhaseSearch } from './two-phase.js';
