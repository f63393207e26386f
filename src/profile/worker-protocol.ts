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

/**
 * Time a model's operators and the model whole, on one execution provider: operators from a
 * profiled session with onnxruntime's optimisations off (one kernel per operator, so every kernel
 * maps to an operator), the whole from a plain session with them on (what fusion buys).
 */
export interface TimeTask {
  readonly kind: 'time';
  readonly provider: 'cpu' | GpuProvider;
  /** Intra-op threads (CPU). */
  readonly threads: number;
  /** Main-graph nodes named `n<index>` (see nameNodesByIndex), so kernels map back to operators. */
  readonly model: Uint8Array;
  readonly feeds: Readonly<Record<string, TensorData>>;
  readonly warmup: number;
  readonly runs: number;
}

/**
 * Run these models on the CPU, one thread, over and over until `stop[0]` becomes non-zero: a
 * co-located inference whose interference the calibration measures. Replies once, when its
 * sessions are made and it is running; then ends by itself once told to stop (terminating a
 * thread inside onnxruntime's run aborts the process).
 */
export interface CoRunTask {
  readonly kind: 'co-run';
  /** An Int32Array over a SharedArrayBuffer; the caller sets [0] to 1 to stop. */
  readonly stop: Int32Array;
  readonly models: readonly {
    readonly model: Uint8Array;
    readonly feeds: Readonly<Record<string, TensorData>>;
  }[];
}

/** One kernel of the optimised session, in execution order. */
export interface FusedKernel {
  readonly name: string;
  readonly opType: string;
  /** One per measured run, in µs. */
  readonly durationsUs: readonly number[];
}

export interface TimeReply {
  /** Kernel durations per node name, one per measured run (warm-up runs dropped), in µs. */
  readonly kernelsUs: Readonly<Record<string, readonly number[]>>;
  /** The optimised session's kernels (fused, re-laid-out), in the order the first run executed them. */
  readonly fusedKernels: readonly FusedKernel[];
  /** Wall time of each measured run of the whole model, optimisations on, in ms. */
  readonly wholeMs: readonly number[];
}

/** What workers/profile-worker.ts receives as `workerData.task`. */
export type GpuWorkerTask = DetectTask | ProbeTask | TimeTask | CoRunTask;

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
