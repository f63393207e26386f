import { Worker } from 'node:worker_threads';
import { Code, type ErrorData, fromErrorData, HetschedError } from './errors.js';
import { workerEntry } from './worker-entry.js';

/** What a one-shot worker posts, once. */
export type OneShotReply<T> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly error: ErrorData };

/** Limits of a one-shot worker: `label` names its task in errors. */
export interface OneShotOptions {
  readonly timeoutMs: number;
  readonly label: string;
  readonly onSettled?: () => void;
}

/**
 * Runs one task in a fresh worker thread (entry `workers/<entry>`, given the task as
 * `workerData.task`) and resolves with its one reply. For work that must not hold the caller's
 * thread — synchronous onnxruntime calls, seconds of search — and happens once in a while, so a
 * thread per task rather than a pool. A task that outlives `timeoutMs` rejects with
 * DEADLINE_EXCEEDED and the worker is terminated (a native call in progress finishes first:
 * termination only stops JavaScript).
 */
export function runOneShot<T>(entry: string, task: unknown, options: OneShotOptions): Promise<T> {
  return spawn<T>(entry, { task }, options).reply;
}

/** A one-shot worker started before its task is ready. */
export interface PendingOneShot<T> {
  /** Posts the task (the worker's first message) and resolves with the worker's one reply. */
  run(task: unknown): Promise<T>;
  /** Ends the worker unused. */
  cancel(): void;
}

/**
 * Starts a one-shot worker now, so that it loads its modules while the caller is still preparing
 * its task; the worker takes the task from its first message. `timeoutMs` runs from now.
 */
export function startOneShot<T>(entry: string, options: OneShotOptions): PendingOneShot<T> {
  const { worker, reply, cancel } = spawn<T>(entry, {}, options);
  // Observed by run(); a worker cancelled, or failing before its task came, must not leave an
  // unhandled rejection behind.
  reply.catch(() => undefined);
  return {
    run(task) {
      worker.postMessage(task);
      return reply;
    },
    cancel,
  };
}

function spawn<T>(
  entry: string,
  data: Record<string, unknown>,
  options: OneShotOptions,
): { worker: Worker; reply: Promise<T>; cancel: () => void } {
  const { filename, workerData } = workerEntry(entry);
  const worker = new Worker(new URL(filename), { workerData: { ...workerData, ...data } });
  let cancel: () => void = () => undefined;
  const reply = new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.onSettled?.();
      outcome();
      void worker.terminate();
    };
    cancel = () =>
      settle(() => reject(new HetschedError(Code.Cancelled, `the ${options.label} was cancelled`)));
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
  return { worker, reply, cancel };
}
