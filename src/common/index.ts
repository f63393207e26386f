export { Code, type ErrorData, fromErrorData, HetschedError, toErrorData } from './errors.js';
export { Marks } from './marks.js';
export {
  type OneShotOptions,
  type OneShotReply,
  type PendingOneShot,
  runOneShot,
  startOneShot,
} from './one-shot-worker.js';
export { packageRoot, runningFromSource } from './package-root.js';
export { Rng } from './rng.js';
export { type Tracer, tracer } from './trace.js';
export { workerEntry } from './worker-entry.js';
