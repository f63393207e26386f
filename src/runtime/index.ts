export { type DataflowResult, runDataflow, type SegmentRunner } from './dataflow.js';
export { type Dispatched, Dispatcher, type DispatcherOptions, type DispatchJob } from './dispatcher.js';
export {
  Engine,
  type EngineModel,
  type EngineOptions,
  type InferOptions,
  type InferResult,
  type ServedModel,
} from './engine.js';
export type { Executable, ExecutableSegment } from './executable.js';
export { linearFit, measureTransfers, type TransferCosts } from './measure-transfers.js';
export { conciseOrtMessage } from './ort-message.js';
export {
  type PlanWorkloadOptions,
  planWorkload,
  type ReportedScore,
  SEARCH_REPORT_KIND,
  type SearchReport,
} from './plan-workload.js';
export { type PlacementRequest, type PlannedModel, Planner } from './planner.js';
export {
  type ProfileSessionOptions,
  type ProfileSessionResult,
  profileAndStore,
} from './profile-session.js';
export type { ModelProfilingOptions, ProfileProgress } from './profiler.js';
export {
  searchWorkload,
  type Workload,
  type WorkloadOptions,
  type WorkloadTenant,
} from './search-workload.js';
export { type RunOutput, WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
export {
  type AnalyzeResult,
  type AnalyzeTask,
  type ExecutionProviderName,
  type InspectResult,
  type InspectTask,
  type LoadResult,
  type LoadTask,
  type ModelSource,
  type PartitionedSegment,
  type PartitionResult,
  type PartitionTask,
  type PoolBroadcast,
  poolChannelName,
  type RunResult,
  type RunTask,
  type SessionOptionsData,
  type SessionSpec,
  type WorkerStats,
} from './worker-protocol.js';
