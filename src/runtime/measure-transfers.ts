import { performance } from 'node:perf_hooks';
import type { LinearCost } from '../cost/index.js';
import { buildModel, encodeModel, node, valueInfo } from '../onnx/index.js';
import type { TensorData } from '../tensor/index.js';
import type { WorkerPool } from './worker-pool.js';
import type { ExecutionProviderName, SessionSpec } from './worker-protocol.js';

/** The switching costs of one pool, as the cost model uses them. */
export interface TransferCosts {
  /** A session run's fixed cost inside a worker (onnxruntime's own overhead), ms. */
  readonly launchMs: number;
  /** Posting a segment to a worker and its reply back, beyond the tensors, ms. */
  readonly dispatchMs: number;
  /** Moving one tensor to or from a worker of the pool (the thread hand-off). */
  readonly handoff: LinearCost;
  /** For a GPU pool: each direction of the host<->device copy, beyond the hand-off. */
  readonly copy?: LinearCost;
}

const SIZES_BYTES = [1 << 10, 1 << 16, 1 << 18, 1 << 20, 1 << 22] as const;
const MiB = 1 << 20;

/**
 * Measures what moving work to a pool costs, with the pools the engine runs on: a one-operator
 * model (Relu over a float32 vector, kept by every optimiser and run on the GPU by its EP) timed
 * at sizes from 1 KiB to 4 MiB. Inside the worker, the session run's time at the smallest size is
 * the launch cost; the rest of each round trip (main thread to worker and back) is fitted as
 * fixed + per-MiB. Four tensors at once instead of one, at the smallest size, separate the
 * per-tensor hand-off from the per-segment dispatch. On a GPU pool the session time grows with
 * size by the host<->device copies, split evenly between the directions (one run cannot tell
 * them apart).
 */
export async function measureTransfers(
  pool: WorkerPool,
  provider: ExecutionProviderName,
  nextSessionId: () => number,
  options: { repeats: number },
): Promise<TransferCosts> {
  const single = transferModelSession(nextSessionId(), provider, 1);
  const quad = transferModelSession(nextSessionId(), provider, 4);
  try {
    const messaging: [number, number][] = [];
    const inside: [number, number][] = [];
    for (const bytes of SIZES_BYTES) {
      const sample = await medianRun(pool, single, [bytes], options.repeats);
      messaging.push([bytes / MiB, sample.roundTripMs - sample.computeMs]);
      inside.push([bytes / MiB, sample.computeMs]);
    }
    const one = await medianRun(pool, single, [SIZES_BYTES[0]], options.repeats);
    const four = await medianRun(pool, quad, Array(4).fill(SIZES_BYTES[0] / 4), options.repeats);
    // Four tensors in and four out instead of one each: six more hand-offs.
    const perTensorMs = Math.max(
      0,
      (four.roundTripMs - four.computeMs - (one.roundTripMs - one.computeMs)) / 6,
    );
    const messagingFit = linearFit(messaging);
    const insideFit = linearFit(inside);
    const costs: TransferCosts = {
      launchMs: one.computeMs,
      dispatchMs: Math.max(0, messagingFit.intercept - 2 * perTensorMs),
      handoff: { fixedMs: perTensorMs, msPerMiB: messagingFit.slope / 2 },
    };
    if (provider === 'cpu') return costs;
    return { ...costs, copy: { fixedMs: 0, msPerMiB: insideFit.slope / 2 } };
  } finally {
    pool.evict([single.id, quad.id]);
  }
}

/** Least-squares line through the points (x: MiB, y: ms). */
export function linearFit(points: readonly (readonly [number, number])[]): {
  intercept: number;
  slope: number;
} {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  const slope = variance > 0 ? Math.max(0, covariance / variance) : 0;
  return { intercept: Math.max(0, meanY - slope * meanX), slope };
}

export async function medianRun(
  pool: WorkerPool,
  spec: SessionSpec,
  tensorBytes: readonly number[],
  repeats: number,
): Promise<{ roundTripMs: number; computeMs: number }> {
  const roundTrips: number[] = [];
  const computes: number[] = [];
  for (let i = 0; i < repeats + 3; i++) {
    const feeds: Record<string, TensorData> = {};
    tensorBytes.forEach((bytes, k) => {
      feeds[`x${k}`] = { dtype: 'float32', dims: [bytes / 4], data: new Float32Array(bytes / 4) };
    });
    const started = performance.now();
    const { computeMs } = await pool.run(spec, feeds, []);
    // The first runs build the session and warm the path up.
    if (i < 3) continue;
    roundTrips.push(performance.now() - started);
    computes.push(computeMs);
  }
  return { roundTripMs: median(roundTrips), computeMs: median(computes) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function transferModelSession(
  id: number,
  provider: ExecutionProviderName,
  tensors: number,
): SessionSpec {
  const names = Array.from({ length: tensors }, (_, k) => k);
  const bytes = encodeModel(
    buildModel({
      graphName: 'transfer',
      nodes: names.map((k) => node('Relu', [`x${k}`], [`y${k}`], [], `relu${k}`)),
      initializers: [],
      inputs: names.map((k) => valueInfo(`x${k}`, 'float32', ['n'])),
      outputs: names.map((k) => valueInfo(`y${k}`, 'float32', ['n'])),
    }),
  );
  const shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  return {
    id,
    source: { kind: 'bytes', bytes: shared },
    options: { executionProviders: [provider], intraOpThreads: 1 },
  };
}
