import type { ErrorData } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import type { OnnxModelInfo } from '../onnx/index.js';
import type { ProcessorId, Segment } from '../partition/index.js';
import type { TensorData } from '../tensor/index.js';

/**
 * Messages between the main thread and the piscina workers that host onnxruntime sessions.
 * Plain data only: they cross threads by structured clone, tensor buffers by transfer.
 */

/** Where a worker finds a model to build a session from. */
export type ModelSource =
  | { readonly kind: 'file'; readonly path: string }
  /** Shared, not copied, between the workers of a pool. */
  | { readonly kind: 'bytes'; readonly bytes: SharedArrayBuffer };

/** Execution providers, in the order onnxruntime should try them. */
export type ExecutionProviderName = 'cpu' | 'webgpu' | 'cuda';

export interface SessionOptionsData {
  readonly executionProviders: readonly ExecutionProviderName[];
  /** Threads onnxruntime uses inside one operator (intra-op parallelism). */
  readonly intraOpThreads: number;
}

/**
 * A session a worker can build and cache. `id` is unique for the process lifetime: a model
 * re-registered under the same name gets a new id, so no worker can serve a stale session.
 */
export interface SessionSpec {
  readonly id: number;
  readonly source: ModelSource;
  readonly options: SessionOptionsData;
}

export interface RunTask {
  readonly session: SessionSpec;
  readonly feeds: Readonly<Record<string, TensorData>>;
  /** Output names to fetch; all of them when empty. */
  readonly outputs: readonly string[];
}

export type RunResult =
  | { readonly ok: true; readonly outputs: Record<string, TensorData>; readonly computeMs: number }
  | { readonly ok: false; readonly error: ErrorData };

export interface InspectTask {
  /** The model bytes, transferred to the worker. */
  readonly bytes: Uint8Array;
}

export type InspectResult =
  | { readonly ok: true; readonly info: OnnxModelInfo; readonly sha256: string; readonly sizeBytes: number }
  | { readonly ok: false; readonly error: ErrorData };

/** What one worker reports of itself. */
export interface WorkerStats {
  readonly sessionIds: readonly number[];
}

/**
 * Posted on a pool's BroadcastChannel, reaching every worker: drop sessions whose model is gone.
 * Only for messages that may be lost harmlessly: a worker that is still starting misses them (it
 * holds no sessions yet). Anything that needs an answer goes as a task.
 */
export interface PoolBroadcast {
  readonly evict: readonly number[];
}

/** Builds a session ahead of its first request. */
export interface LoadTask {
  readonly session: SessionSpec;
}

export type LoadResult = { readonly ok: true } | { readonly ok: false; readonly error: ErrorData };

/** Name of the BroadcastChannel a pool's workers listen on. */
export function poolChannelName(poolId: string): string {
  return `hetsched.sessions.${poolId}`;
}

export interface AnalyzeTask {
  readonly source: ModelSource;
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
  /** A copy of a real request's inputs, when there is one: exact shapes. */
  readonly sample?: Readonly<Record<string, TensorData>>;
}

export type AnalyzeResult =
  | { readonly ok: true; readonly graph: GraphIR; readonly runFailure?: string }
  | { readonly ok: false; readonly error: ErrorData };

export interface PartitionTask {
  readonly source: ModelSource;
  readonly graph: GraphIR;
  readonly segments: readonly Segment[];
}

/** A segment's ONNX model, in memory every worker of every pool can read without a copy. */
export interface PartitionedSegment {
  readonly segment: number;
  readonly processor: ProcessorId;
  readonly bytes: SharedArrayBuffer;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export type PartitionResult =
  | { readonly ok: true; readonly segments: readonly PartitionedSegment[] }
  | { readonly ok: false; readonly error: ErrorData };
