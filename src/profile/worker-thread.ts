import { Worker } from 'node:worker_threads';
import { Code, fromErrorData, HetschedError, tracer, workerEntry } from '../common/index.js';
import type { GpuWorkerTask, WorkerReply } from './worker-protocol.js';

const trace = tracer('profile');

/**
 * Runs one task in a fresh worker thread and resolves with its reply. onnxruntime's session
 * creation and runs are synchronous, so they never run on the caller's thread; a plain one-shot
 * Worker rather than a pool, because detection and probing happen once at startup or on demand
 * and a WebGPU session should not outlive its task.
 *
 * The entry is the built dist/workers/profile-worker.js, or, when hetsched runs from its sources,
 * workers/source-bootstrap.mjs, which registers tsx in the thread and imports the TypeScript entry
 * named in `workerData.sourceEntry` (see workerEntry in src/common). The entry
 * does its work on import and posts one message, so the bootstrap's piscina handler list is not
 * involved. A task that outlives `timeoutMs` rejects with DEADLINE_EXCEEDED and the worker is
 * terminated (a native call in progress finishes first: termination only stops JavaScript).
 */
export function runInWorker<T>(task: GpuWorkerTask, timeoutMs: number): Promise<T> {
  const entry = workerEntry('profile-worker');
  const started = performance.now();
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL(entry.filename), { workerData: { ...entry.workerData, task } });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      trace(`${task.kind} task: ${((performance.now() - started) / 1000).toFixed(2)} s`);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new HetschedError(
              Code.DeadlineExceeded,
              `the GPU ${task.kind} task did not finish within ${timeoutMs} ms`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.once('message', (reply: WorkerReply<T>) =>
      settle(() => (reply.ok ? resolve(reply.result) : reject(fromErrorData(reply.error)))),
    );
    worker.once('error', (error) =>
      settle(() => reject(HetschedError.from(error, Code.Internal, `GPU ${task.kind} worker failed`))),
    );
    worker.once('exit', (code) =>
      settle(() =>
        reject(
          new HetschedError(
            Code.Internal,
            `GPU ${task.kind} worker exited with code ${code} before replying`,
          ),
        ),
      ),
    );
  });
}
