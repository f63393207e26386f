import type ort from 'onnxruntime-node';

/**
 * A session's intra-op threads, with its thread pool's spinning off where it has one (more than
 * one thread). By default onnxruntime's pool threads spin after a run, waiting for the next
 * parallel section; but a worker holds many sessions (segments, tenants, calibration splits) run
 * one after another on few cores, and the threads of the session that just ran spin on the cores
 * the next one needs. `npm run bench -- intraop` (PP-OCR rec at 2 threads on 2 cores, sessions
 * run in turn): a run takes 1.78 times as long with spinning for 2 sessions, 1.88 times for 4;
 * a session run alone is 8% faster with it. On another 2-core machine: 1.29 to 1.47, 1.59 to
 * 1.64, and a session alone 1.37 to 1.57 times faster with spinning, which a worker that hosts a
 * single such session gives up (keeping it there would need profiles measured both ways).
 * Every timed session (serving and profiling) takes its threads from here, so that a profile
 * prices what serving runs.
 */
export function intraOpOptions(
  threads: number,
): Pick<ort.InferenceSession.SessionOptions, 'intraOpNumThreads' | 'extra'> {
  if (threads <= 1) return { intraOpNumThreads: threads };
  return { intraOpNumThreads: threads, extra: { session: { intra_op: { allow_spinning: '0' } } } };
}
