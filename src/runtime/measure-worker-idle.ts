import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LinearCost } from '../cost/index.js';
import { buildModel, encodeModel, node, tensorProto, valueInfo } from '../onnx/index.js';
import type { TensorData, TensorSpec } from '../tensor/index.js';
import { linearFit } from './measure-transfers.js';

/** Side of the probe's square matrices: its MatMul chain is the work its requests do. */
const SIDE = 256;
/** MatMuls in the chain: a few ms a request on one core, about a real segment's time. */
const MATMULS = 24;
/** Bytes of the pass-through tensor of each round: small, and about a real model's tensors. */
const PASS_THROUGH_BYTES = [1 << 12, 1 << 20] as const;
const MiB = 1 << 20;

/** What the measurement needs of the engine: its CPU threads, and serving the probe as a tenant. */
export interface WorkerIdleDeps {
  readonly threads: number;
  /** The clock (ms); performance.now by default. */
  readonly now?: () => number;
  serve(
    path: string,
    sha256: string,
    inputs: readonly TensorSpec[],
    outputs: readonly TensorSpec[],
  ): {
    request(feeds: Map<string, TensorData>): Promise<{ readonly computeMs: number }>;
    stop(): Promise<void>;
  };
}

/**
 * Measures the worker time each request costs beyond its sessions while the CPU pool is saturated:
 * after a run a worker waits for the main thread to take its result and hand it the next task,
 * and the main thread is slow to come when it is busy with other requests, collecting the garbage
 * their tensors leave, or (where the cores are all the pool's) waiting for a core itself. A probe
 * served as a tenant — a MatMul chain of a few ms, and a float32 tensor passed through — takes
 * requests from twice as many closed-loop clients as the pool has threads, for `roundMs` at each
 * pass-through size; each round's idle worker time (threads × wall − session time) per request is
 * fitted as fixed + per MiB of tensors in and out. Run it on an idle engine.
 */
export async function measureWorkerIdle(
  deps: WorkerIdleDeps,
  options: { roundMs: number },
): Promise<LinearCost> {
  const now = deps.now ?? (() => performance.now());
  const dir = await mkdtemp(join(tmpdir(), 'hetsched-idle-'));
  const path = join(dir, 'probe.onnx');
  const bytes = probeModel();
  await writeFile(path, bytes);
  const vector = floatVectorSpec;
  const square = (name: string): TensorSpec => ({
    name,
    dtype: 'float32',
    shape: [SIDE, SIDE],
    dimNames: ['', ''],
  });
  const served = deps.serve(
    path,
    createHash('sha256').update(bytes).digest('hex'),
    [vector('x'), square('a')],
    [vector('y'), square('z')],
  );
  try {
    const points: [number, number][] = [];
    for (const passBytes of PASS_THROUGH_BYTES) {
      const feeds = () =>
        new Map<string, TensorData>([
          ['x', { dtype: 'float32', dims: [passBytes / 4], data: new Float32Array(passBytes / 4) }],
          ['a', { dtype: 'float32', dims: [SIDE, SIDE], data: new Float32Array(SIDE * SIDE).fill(1 / SIDE) }],
        ]);
      // Warm: sessions built on every worker, the path's code compiled.
      await Promise.all(Array.from({ length: 2 * deps.threads }, () => served.request(feeds())));
      let sessionMs = 0;
      let requests = 0;
      const started = now();
      await Promise.all(
        Array.from({ length: 2 * deps.threads }, async () => {
          while (now() - started < options.roundMs) {
            // Read after the await: `sessionMs += await …` would add to a stale total.
            const { computeMs } = await served.request(feeds());
            sessionMs += computeMs;
            requests++;
          }
        }),
      );
      const wallMs = now() - started;
      // In and out: the pass-through tensor both ways, the matrix in and the product out.
      const tensorMiB = (2 * passBytes + 2 * SIDE * SIDE * 4) / MiB;
      points.push([tensorMiB, Math.max(0, deps.threads * wallMs - sessionMs) / Math.max(1, requests)]);
    }
    const fit = linearFit(points);
    return { fixedMs: fit.intercept, msPerMiB: fit.slope };
  } finally {
    await served.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A float32 vector of any length: the probes' pass-through tensors. */
export function floatVectorSpec(name: string): TensorSpec {
  return { name, dtype: 'float32', shape: [-1], dimNames: ['n'] };
}

/** The probe: y = Relu(x) for any length of x, and z = a·W·W·…·W (MATMULS times). */
function probeModel(): Uint8Array {
  // Small weights keep the chain's values finite; their exact values do not matter.
  const weights = Float32Array.from({ length: SIDE * SIDE }, (_, i) => ((i % 7) - 3) / (4 * SIDE));
  const chain = Array.from({ length: MATMULS }, (_, k) =>
    node('MatMul', [k === 0 ? 'a' : `m${k - 1}`, 'w'], [k === MATMULS - 1 ? 'z' : `m${k}`], [], `matmul${k}`),
  );
  return encodeModel(
    buildModel({
      graphName: 'worker-idle-probe',
      nodes: [node('Relu', ['x'], ['y'], [], 'pass'), ...chain],
      initializers: [tensorProto('w', 'float32', [SIDE, SIDE], weights)],
      inputs: [valueInfo('x', 'float32', ['n']), valueInfo('a', 'float32', [SIDE, SIDE])],
      outputs: [valueInfo('y', 'float32', ['n']), valueInfo('z', 'float32', [SIDE, SIDE])],
    }),
  );
}
