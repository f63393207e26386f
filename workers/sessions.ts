import { BroadcastChannel, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { type PoolBroadcast, poolChannelName, type SessionSpec } from '../src/runtime/index.js';
import { intraOpOptions } from './intra-op.js';

/**
 * This worker's onnxruntime sessions, built by a load task or on first use, and kept until the
 * main thread broadcasts an eviction. Session creation is synchronous and slow, which is exactly
 * why it happens here and never on the gRPC thread. The cache holds promises, so concurrent uses
 * build a session once.
 */
const sessions = new Map<number, Promise<ort.InferenceSession>>();

const channel = new BroadcastChannel(poolChannelName(String(workerData?.poolId ?? 'default')));
channel.unref();
channel.onmessage = (event: unknown) => {
  for (const id of (event as { data?: PoolBroadcast }).data?.evict ?? []) {
    const session = sessions.get(id);
    sessions.delete(id);
    session?.then(
      (loaded) => loaded.release(),
      () => {},
    );
  }
};

export function sessionFor(spec: SessionSpec): Promise<ort.InferenceSession> {
  const cached = sessions.get(spec.id);
  if (cached) return cached;
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [...spec.options.executionProviders],
    ...intraOpOptions(spec.options.intraOpThreads),
    // One operator at a time per session: parallelism comes from the pool's threads.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
  const created =
    spec.source.kind === 'file'
      ? ort.InferenceSession.create(spec.source.path, options)
      : // The native binding takes only a real ArrayBuffer, not shared memory: slice() copies into one.
        ort.InferenceSession.create(new Uint8Array(spec.source.bytes).slice(), options);
  sessions.set(spec.id, created);
  created.catch(() => {
    if (sessions.get(spec.id) === created) sessions.delete(spec.id);
  });
  return created;
}

/** Ids of the sessions this worker holds (built or building). */
export function cachedSessionIds(): number[] {
  return [...sessions.keys()];
}
