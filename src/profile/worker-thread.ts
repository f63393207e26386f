import { runOneShot, tracer } from '../common/index.js';
import type { GpuWorkerTask } from './worker-protocol.js';

const trace = tracer('profile');

/**
 * Runs one task of src/profile in a fresh worker thread and resolves with its reply. onnxruntime's
 * session creation and runs are synchronous, so they never run on the caller's thread; a one-shot
 * Worker rather than a pool, because detection and probing happen once at startup or on demand
 * and a WebGPU session should not outlive its task. The entry (workers/profile-worker) does its
 * work on import and posts one message. A task that outlives `timeoutMs` rejects with
 * DEADLINE_EXCEEDED.
 */
export function runInWorker<T>(task: GpuWorkerTask, timeoutMs: number): Promise<T> {
  const started = performance.now();
  return runOneShot<T>('profile-worker', task, {
    timeoutMs,
    label: `GPU ${task.kind} task`,
    onSettled: () => trace(`${task.kind} task: ${((performance.now() - started) / 1000).toFixed(2)} s`),
  });
}
