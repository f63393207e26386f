import type { GraphIR } from '../graph/index.js';
import type { Placement } from './placement-spec.js';
import { CPU, isGpu, type ProcessorId } from './processor.js';

/** Why an operator placed on a GPU runs on the CPU instead. Every such move is recorded: no silent fallback. */
export type PinReason = 'no-gpu' | 'gpu-unverified' | 'gpu-unsupported' | 'gpu-inaccurate';

export interface Pin {
  readonly op: string;
  readonly wanted: ProcessorId;
  readonly processor: ProcessorId;
  readonly reason: PinReason;
  readonly detail: string;
}

/** What is known of one GPU's ability to run each operator (by ONNX node index). */
export interface GpuVerdicts {
  /** The GPU exists and its execution provider loads; `detail` says which, or why not. */
  readonly available: boolean;
  readonly detail: string;
  /** Set when the operators could not be checked on this GPU (no inputs to check them with): none is trusted. */
  readonly unverified?: string;
  /** Per ONNX node index; an operator missing here is treated as supported and accurate. */
  readonly nodes: ReadonlyMap<number, GpuVerdict>;
}

export interface GpuVerdict {
  /** Whether the GPU execution provider ran the node itself (not onnxruntime's CPU fallback). */
  readonly runsOnGpu: boolean;
  /** Whether its GPU output matched the CPU's on the same inputs. */
  readonly accurate: boolean;
  readonly maxAbsDiff: number;
  readonly maxRelDiff: number;
}

/**
 * Moves to the CPU every operator a GPU cannot be trusted with: no such GPU, an operator its
 * execution provider does not run, or one whose output differs from the CPU's beyond tolerance.
 */
export function pinToCpu(
  graph: GraphIR,
  placement: Placement,
  gpus: ReadonlyMap<ProcessorId, GpuVerdicts>,
): { placement: Placement; pinned: Pin[] } {
  const result: Record<string, ProcessorId> = { ...placement };
  const pinned: Pin[] = [];
  for (const op of graph.ops) {
    const wanted = placement[op.id] ?? CPU;
    if (!isGpu(wanted)) continue;
    const pin = (reason: PinReason, detail: string) => {
      result[op.id] = CPU;
      pinned.push({ op: op.id, wanted, processor: CPU, reason, detail });
    };
    const gpu = gpus.get(wanted);
    if (!gpu?.available) {
      pin('no-gpu', gpu?.detail ?? `${wanted} does not exist on this machine`);
      continue;
    }
    if (gpu.unverified !== undefined) {
      pin('gpu-unverified', gpu.unverified);
      continue;
    }
    const verdict = gpu.nodes.get(op.onnxIndex);
    if (verdict && !verdict.runsOnGpu) {
      pin(
        'gpu-unsupported',
        `the ${wanted} execution provider does not run this ${op.opType}; onnxruntime would run it on the CPU`,
      );
    } else if (verdict && !verdict.accurate) {
      pin(
        'gpu-inaccurate',
        `its ${wanted} output differs from the CPU's: max abs diff ${verdict.maxAbsDiff.toPrecision(3)}, max rel diff ${verdict.maxRelDiff.toPrecision(3)}`,
      );
    }
  }
  return { placement: result, pinned };
}
