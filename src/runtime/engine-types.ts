import type { TensorData, TensorSpec } from '../tensor/index.js';
import type { AppliedPlan } from './applied-plan.js';
import type { Executable } from './executable.js';
import type { PlacementRequest } from './planner.js';
import type { SessionSpec } from './worker-protocol.js';

/** What the engine serves and answers: its models and the results of their requests. */

/** A model as the engine serves it. */
export interface EngineModel {
  /** Unique among served models; names the tenant queue in messages (e.g. `ppocr-rec@1`). */
  readonly key: string;
  readonly path: string;
  readonly sha256: string;
  /** Inputs with the registered shapes applied (-1 where still open). */
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly latencySloMs: number;
}

export interface InferOptions {
  /** Outputs to return, in this order; all of the model's, in its order, when empty. */
  readonly outputs?: readonly string[];
  readonly signal?: AbortSignal;
  /** Absolute deadline on performance.now()'s clock. */
  readonly deadlineMs?: number;
  /**
   * Run this request with this placement instead of the model's active plan, bypassing its split
   * between routes; a plan with an alternate runs its main placement.
   */
  readonly placement?: PlacementRequest;
}

export interface InferResult {
  readonly outputs: ReadonlyMap<string, TensorData>;
  readonly queueMs: number;
  /** onnxruntime time, summed over the segments that ran. */
  readonly computeMs: number;
  /** Wall time of the execution, hand-offs between threads and processors included. */
  readonly executeMs: number;
  readonly segments: number;
  /** Whether the request ran the applied plan's alternate placement (Plan.alternate), not its main one. */
  readonly alternate: boolean;
  /** onnxruntime time of each segment that ran, by segment id. */
  readonly segmentComputeMs: ReadonlyMap<number, number>;
}

/** A model loaded into the engine; obtained from load(), given back to unload(). */
export interface ServedModel {
  readonly model: EngineModel;
  /** The whole model as one CPU session: what runs when no plan is applied. */
  readonly session: SessionSpec;
  readonly whole: Executable;
  /**
   * The applied plan and what runs it (its routes and their router), if a plan other than the
   * whole model on the CPU is applied.
   */
  applied: AppliedPlan | undefined;
}
