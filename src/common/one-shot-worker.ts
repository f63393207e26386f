import { Worker } from 'node:worker_threads';
import { Code, type ErrorData, fromErrorData, HetschedError } from './errors.js';
import { workerEntry } from './worker-entry.js';

/** What a one-shot worker posts, once. */
export type OneShotReply<T> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly error: ErrorData };

/**
 * Runs one task in a fresh worker thread (entry `workers/<entry>`, given the task as
 * `workerData.task`) and resolves with its one reply. For work that must not hold the caller's
 * thread — synchronous onnxruntime calls, seconds of search — and happens once in a while, so a
 * thread per task rather than a pool. A task that outlives `timeoutMs` rejects with
 * DEADLINE_EXCEEDED and the worker is terminated (a native call in progress finishes first:
 * termination only stops JavaScript). `label` names the task in errors.
 */
export function runOneShot<T>(
  entry: string,
  task: unknown,
  options: { readonly timeoutMs: number; readonly label: string; readonly onSettled?: () => void },
): Promise<T> {
  const { filename, workerData } = workerEntry(entry);
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL(filename), { workerData: { ...workerData, task } });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.onSettled?.();
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new HetschedError(
              Code.DeadlineExceeded,
              `the ${options.label} did not finish within ${options.timeoutMs} ms`,
            ),
          ),
        ),
      options.timeoutMs,
    );
    worker.once('message', (reply: OneShotReply<T>) =>
      settle(() => (reply.ok ? resolve(reply.result) : reject(fromErrorData(reply.error)))),
    );
    worker.once('error', (error) =>
      settle(() => reject(HetschedError.from(error, Code.Internal, `the ${options.label} worker failed`))),
    );
    worker.once('exit', (code) =>
      settle(() =>
        reject(
          new HetschedError(
            Code.Internal,
            `the ${options.label} worker exited with code ${code} before replying`,
          ),
        ),
      ),
    );
  });
}
