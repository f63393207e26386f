import type { ErrorData } from '../common/index.js';
import type { TensorData } from '../tensor/index.js';
import type { GpuProvider } from './gpu-provider.js';
import type { Tolerance } from './tensor-diff.js';

/** Try each EP in order with the check model; stop at the first that passes. */
export interface DetectTask {
  readonly kind: 'detect';
  readonly candidates: readonly GpuProvider[];
}

/** Probe every main-graph node of a model on the EP. */
export interface ProbeTask {
  readonly kind: 'probe';
  readonly provider: GpuProvider;
  readonly model: Uint8Array;
  readonly feeds: Readonly<Record<string, TensorData>>;
  readonly tolerance: Tolerance;
}

/** What workers/gpu-probe-worker.ts receives as `workerData.task`. */
export type GpuWorkerTask = DetectTask | ProbeTask;

/** One EP tried by a detect task: `failure` says why it cannot be used, absent where it works. */
export interface EpAttempt {
  readonly provider: GpuProvider;
  readonly failure?: string;
  /** Session creation and the check run, in seconds. */
  readonly seconds: number;
}

export interface DetectReply {
  readonly attempts: readonly EpAttempt[];
}

/** The result of a task, or its error in a form that survives the thread boundary. */
export type WorkerReply<T> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly error: ErrorData };
