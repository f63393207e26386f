import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LinearCost } from '../cost/index.js';
import type { TensorData } from '../tensor/index.js';
import { linearFit, median, transferModelSession } from './measure-transfers.js';
import type { WorkerPool } from './worker-pool.js';

const SIZES_BYTES = [1 << 12, 1 << 18, 1 << 20, 1 << 22] as const;
const MiB = 1 << 20;

/**
 * Measures what the engine's own path adds to a request beyond the pool's round trip: checking
 * the request, its tenant queue and the dispatcher, the dataflow, the outputs. One Relu served as
 * a tenant (from a scratch file: the engine serves files) takes requests of 4 KiB to 4 MiB through
 * `infer`, each followed by a direct pool round trip of the same size; the median of the pairs'
 * differences is fitted as fixed + per MiB of request and reply tensors. Run it on an idle engine.
 */
export interface RequestPathDeps {
  readonly pool: WorkerPool;
  readonly sessionId: number;
  /** Serves a one-input (x0), one-output (y0) float32 model file as a tenant of the engine. */
  serve(
    path: string,
    sha256: string,
  ): {
    request(feeds: Map<string, TensorData>): Promise<unknown>;
    stop(): Promise<void>;
  };
}

export async function measureRequestPath(
  deps: RequestPathDeps,
  options: { repeats: number },
): Promise<LinearCost> {
  const { pool, sessionId } = deps;
  const spec = transferModelSession(sessionId, 'cpu', 1);
  if (spec.source.kind !== 'bytes') throw new Error('the transfer model is built in memory');
  const dir = await mkdtemp(join(tmpdir(), 'hetsched-request-'));
  const path = join(dir, 'relu.onnx');
  const bytes = new Uint8Array(spec.source.bytes);
  await writeFile(path, bytes);
  const served = deps.serve(path, createHash('sha256').update(bytes).digest('hex'));
  try {
    const points: [number, number][] = [];
    const vector = (size: number): TensorData => ({
      dtype: 'float32',
      dims: [size / 4],
      data: new Float32Array(size / 4),
    });
    for (const size of SIZES_BYTES) {
      // Each request against a direct round trip right after it: the machine's drift (frequency,
      // neighbours) cancels in each pair, which two medians taken apart let through.
      const extra: number[] = [];
      for (let i = 0; i < options.repeats + 3; i++) {
        let started = performance.now();
        await served.request(new Map([['x0', vector(size)]]));
        const requestMs = performance.now() - started;
        const feeds = { x0: vector(size) };
        started = performance.now();
        await pool.run(spec, feeds, []);
        const directMs = performance.now() - started;
        // The first pairs build the sessions and warm the path up.
        if (i >= 3) extra.push(requestMs - directMs);
      }
      // In and out: the request tensor and its reply.
      points.push([(2 * size) / MiB, median(extra)]);
    }
    const fit = linearFit(points);
    return { fixedMs: fit.intercept, msPerMiB: fit.slope };
  } finally {
    await served.stop();
    pool.evict([spec.id]);
    await rm(dir, { recursive: true, force: true });
  }
}
