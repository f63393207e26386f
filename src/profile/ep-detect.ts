import { Code, HetschedError, tracer } from '../common/index.js';
import { CUDA_NOT_INSTALLED, cudaProviderInstalled } from './cuda-install.js';
import type { GpuProvider } from './gpu-provider.js';
import { applyVulkanEnvironment, vulkanDriver } from './vulkan-env.js';
import type { DetectReply, EpAttempt } from './worker-protocol.js';
import { runInWorker } from './worker-thread.js';

const trace = tracer('profile');

/** Which GPU EP to look for: 'auto' tries each in priority order, 'none' disables the GPU. */
export type GpuPreference = 'auto' | GpuProvider | 'none';

/** Options of {@link detectGpu}. */
export interface DetectGpuOptions {
  /** Default 'auto'. */
  readonly preferred?: GpuPreference;
  /** Limit for the whole detection in ms; default 120 000 (a first WebGPU session compiles shaders). */
  readonly timeoutMs?: number;
  /**
   * Whether to point the Vulkan loader at SwiftShader when no driver is configured and no hardware
   * one is installed (see applyVulkanEnvironment); default true. This sets process.env.
   */
  readonly vulkanFallback?: boolean;
}

/** The GPU EP hetsched can use, for the startup log and the scheduler. */
export interface GpuInfo {
  readonly provider: GpuProvider | 'none';
  /** True when the "GPU" is a CPU implementation of Vulkan (SwiftShader, lavapipe): its timings are not a GPU's. */
  readonly software: boolean;
  /** One line for the server's startup log. */
  readonly detail: string;
  /** `<ep>: <reason>` for every EP tried that failed, in the order tried. */
  readonly failures: readonly string[];
}

/** Priority order: CUDA, where its libraries are installed, is faster and exact on NVIDIA GPUs. */
const CANDIDATES: Readonly<Record<GpuPreference, readonly GpuProvider[]>> = {
  auto: ['cuda', 'webgpu'],
  cuda: ['cuda'],
  webgpu: ['webgpu'],
  none: [],
};

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Finds the GPU EP to use: in a short-lived worker thread, creates a session of a one-node Relu
 * model on each candidate EP in priority order, runs it, checks the output and that the profile
 * shows the node on that EP (not quietly on the CPU EP), and stops at the first that passes.
 * Never rejects for an EP that does not work: that EP's reason goes into `failures` and the next is
 * tried; provider 'none' means every candidate failed (or 'none' was asked for).
 */
export async function detectGpu(options: DetectGpuOptions = {}): Promise<GpuInfo> {
  const resolved = resolveOptions(options);
  const candidates = CANDIDATES[resolved.preferred];
  if (candidates.length === 0) {
    return {
      provider: 'none',
      software: false,
      detail: 'GPU disabled (preferred: none): every operator runs on the CPU worker pools',
      failures: [],
    };
  }
  if (resolved.vulkanFallback && candidates.includes('webgpu')) {
    const applied = applyVulkanEnvironment();
    if (Object.keys(applied).length > 0) trace(`Vulkan: set ${JSON.stringify(applied)}`);
  }
  // Only try what is installed; a missing CUDA provider is reported without asking onnxruntime.
  const skipped: EpAttempt[] =
    candidates.includes('cuda') && !cudaProviderInstalled()
      ? [{ provider: 'cuda', failure: CUDA_NOT_INSTALLED, seconds: 0 }]
      : [];
  const tried = candidates.filter((candidate) => !skipped.some((attempt) => attempt.provider === candidate));
  const reply =
    tried.length > 0
      ? await runInWorker<DetectReply>({ kind: 'detect', candidates: tried }, resolved.timeoutMs)
      : { attempts: [] };
  return gpuInfo([...skipped, ...reply.attempts]);
}

function gpuInfo(attempts: readonly EpAttempt[]): GpuInfo {
  const failures = attempts.flatMap((attempt) =>
    attempt.failure === undefined ? [] : [`${attempt.provider}: ${attempt.failure}`],
  );
  const chosen = attempts.find((attempt) => attempt.failure === undefined);
  if (!chosen) {
    return {
      provider: 'none',
      software: false,
      detail: `no GPU execution provider, every operator runs on the CPU worker pools; ${failures.join('; ')}`,
      failures,
    };
  }
  const skipped = attempts
    .filter((attempt) => attempt.failure !== undefined)
    .map((attempt) => attempt.provider);
  const unavailable = skipped.length > 0 ? ` (${skipped.join(', ')} unavailable)` : '';
  if (chosen.provider === 'cuda') {
    return { provider: 'cuda', software: false, detail: `cuda EP${unavailable}`, failures };
  }
  const driver = vulkanDriver();
  const kind = driver.software ? ", software: timings are not a GPU's" : '';
  return {
    provider: 'webgpu',
    software: driver.software,
    detail: `webgpu EP via Vulkan (${driver.name}${kind})${unavailable}`,
    failures,
  };
}

function resolveOptions(options: DetectGpuOptions): Required<DetectGpuOptions> {
  const preferred = options.preferred ?? 'auto';
  if (!Object.hasOwn(CANDIDATES, preferred)) {
    throw new HetschedError(
      Code.InvalidArgument,
      `preferred GPU must be one of ${Object.keys(CANDIDATES).join(', ')}; got '${String(preferred)}'`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new HetschedError(
      Code.InvalidArgument,
      `timeoutMs must be a positive number of ms; got ${timeoutMs}`,
    );
  }
  return { preferred, timeoutMs, vulkanFallback: options.vulkanFallback ?? true };
}
