import type { Plan, ProcessorId } from '../partition/index.js';
import type { SessionSpec } from './worker-protocol.js';

/** One segment ready to run: its session on its processor's pool. */
export interface ExecutableSegment {
  readonly id: number;
  readonly processor: ProcessorId;
  readonly session: SessionSpec;
  /** Worker slots of its pool a run holds (WorkerPool.run): more than 1 for a wide thread budget. */
  readonly slots: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A model as the runtime executes it: one segment (the whole model) or a plan's segments. */
export interface Executable {
  /** The plan it came from; absent for the whole model on the CPU (no partitioning at all). */
  readonly plan?: Plan;
  /** In a topological order. */
  readonly segments: readonly ExecutableSegment[];
  /** The model's outputs, in its order. */
  readonly outputs: readonly string[];
}
