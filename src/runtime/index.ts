export { CpuPool, type CpuPoolOptions, type RunOutput } from './cpu-pool.js';
export { type Dispatched, Dispatcher, type DispatcherOptions, type DispatchJob } from './dispatcher.js';
export {
  Engine,
  type EngineModel,
  type EngineOptions,
  type InferOptions,
  type InferResult,
  type ServedModel,
} from './engine.js';
export { conciseOrtMessage } from './ort-message.js';
export {
  type ExecutionProviderName,
  type InspectResult,
  type InspectTask,
  type LoadResult,
  type LoadTask,
  type ModelSource,
  type PoolBroadcast,
  poolChannelName,
  type RunResult,
  type RunTask,
  type SessionOptionsData,
  type SessionSpec,
  type WorkerStats,
} from './worker-protocol.js';
