import { BroadcastChannel, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { type EvictMessage, evictChannelName, type SessionSpec } from '../src/runtime/index.js';

/**
 * This worker's onnxruntime sessions, built on first use and kept until the main thread
 * broadcasts an eviction (model unregistered). Session creation is synchronous and slow, which is
 * exactly why it happens here and never on the gRPC thread.
 */
const sessions = new Map<number, ort.InferenceSession>();

const channel = new BroadcastChannel(evictChannelName(String(workerData?.poolId ?? 'default')));
channel.unref();
channel.onmessage = (event: unknown) => {
  const message = (event as { data?: EvictMessage }).data;
  for (const id of message?.evict ?? []) {
    const session = sessions.get(id);
    sessions.delete(id);
    void session?.release();
  }
};

export async function sessionFor(spec: SessionSpec): Promise<ort.InferenceSession> {
  const cached = sessions.get(spec.id);
  if (cached) return cached;
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [...spec.options.executionProviders],
    intraOpNumThreads: spec.options.intraOpThreads,
    // One operator at a time per session: parallelism comes from the pool's threads.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
  const session =
    spec.source.kind === 'file'
      ? await ort.InferenceSession.create(spec.source.path, options)
      : await ort.InferenceSession.create(new Uint8Array(spec.source.bytes), options);
  sessions.set(spec.id, session);
  return session;
}
