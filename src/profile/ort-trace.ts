import { Code, HetschedError } from '../common/index.js';

/** One operator execution in an onnxruntime profile. */
export interface KernelEvent {
  /** The node's name as the session saw it. */
  readonly nodeName: string;
  readonly opType: string;
  /** onnxruntime's provider name, e.g. 'WebGpuExecutionProvider', 'CPUExecutionProvider'. */
  readonly provider: string;
  readonly durationUs: number;
}

const KERNEL_SUFFIX = '_kernel_time';

/**
 * The kernel events of a profile that `session.endProfiling()` wrote (Chrome trace format: an
 * array of events, or an object holding them in `traceEvents`). Node events are named
 * `<node name>_kernel_time`; onnxruntime also writes `_fence_before`/`_fence_after` Node events
 * in some builds, which carry no provider and are skipped.
 */
export function kernelEvents(trace: unknown): KernelEvent[] {
  const events = Array.isArray(trace) ? trace : (trace as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) {
    throw new HetschedError(Code.Internal, 'the onnxruntime profile is not a Chrome trace (no event array)');
  }
  const kernels: KernelEvent[] = [];
  for (const event of events as unknown[]) {
    if (typeof event !== 'object' || event === null) continue;
    const { cat, name, dur, args } = event as {
      cat?: unknown;
      name?: unknown;
      dur?: unknown;
      args?: unknown;
    };
    if (cat !== 'Node' || typeof name !== 'string' || !name.endsWith(KERNEL_SUFFIX)) continue;
    const { provider, op_name: opType } = (args ?? {}) as { provider?: unknown; op_name?: unknown };
    if (typeof provider !== 'string') continue;
    kernels.push({
      nodeName: name.slice(0, -KERNEL_SUFFIX.length),
      opType: typeof opType === 'string' ? opType : '',
      provider,
      durationUs: typeof dur === 'number' ? dur : 0,
    });
  }
  return kernels;
}
