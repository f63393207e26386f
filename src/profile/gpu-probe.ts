import { Code, HetschedError } from '../common/index.js';
import type { TensorData } from '../tensor/index.js';
import type { GpuProvider } from './gpu-provider.js';
import type { ProbeResult } from './probe-result.js';
import { DEFAULT_TOLERANCE } from './tensor-diff.js';
import { applyVulkanEnvironment } from './vulkan-env.js';
import { runInWorker } from './worker-thread.js';

/** Options of {@link probeGpuOperators}. */
export interface ProbeOptions {
  readonly provider: GpuProvider;
  /** Absolute tolerance of float outputs; default 1e-4. */
  readonly atol?: number;
  /** Relative tolerance of float outputs, against the CPU value; default 1e-3. */
  readonly rtol?: number;
  /** Limit for the whole probe in ms; default 600 000 (SwiftShader runs conv nets ~100x slower than the CPU EP). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const PROVIDERS: readonly GpuProvider[] = ['webgpu', 'cuda'];

/**
 * Tells, for every node of the model's main graph (a control-flow node as a whole), whether the GPU
 * EP runs it and whether its GPU output matches the CPU EP's given exactly the same inputs. Runs in
 * a short-lived worker thread, with three onnxruntime sessions whatever the model's size:
 *
 * 1. the model on the CPU EP with every node output exposed, for every intermediate tensor's value;
 * 2. the probe model (see buildProbeModel) on the GPU EP, optimizations off so that nodes stay 1:1,
 *    with profiling on; every node reads the CPU's values from graph inputs, so a difference is that
 *    node's own and does not accumulate from one node to the next;
 * 3. the profile says which EP ran each node; each output is compared with the CPU's (diffTensors).
 *
 * Note that the probe model also decides placement: a node onnxruntime keeps on the CPU in the full
 * model only because its input comes from a Shape node may be put on the GPU here.
 */
export async function probeGpuOperators(
  modelBytes: Uint8Array,
  feeds: Readonly<Record<string, TensorData>>,
  options: ProbeOptions,
): Promise<ProbeResult> {
  if (!PROVIDERS.includes(options.provider)) {
    throw new HetschedError(
      Code.InvalidArgument,
      `provider must be one of ${PROVIDERS.join(', ')}; got '${String(options.provider)}'`,
    );
  }
  const atol = nonNegative('atol', options.atol ?? DEFAULT_TOLERANCE.atol);
  const rtol = nonNegative('rtol', options.rtol ?? DEFAULT_TOLERANCE.rtol);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new HetschedError(
      Code.InvalidArgument,
      `timeoutMs must be a positive number of ms; got ${timeoutMs}`,
    );
  }
  if (options.provider === 'webgpu') applyVulkanEnvironment();
  return runInWorker<ProbeResult>(
    { kind: 'probe', provider: options.provider, model: modelBytes, feeds, tolerance: { atol, rtol } },
    timeoutMs,
  );
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new HetschedError(Code.InvalidArgument, `${name} must be a finite number >= 0; got ${value}`);
  }
  return value;
}
