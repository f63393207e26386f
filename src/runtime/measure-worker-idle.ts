import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WorkerIdle } from '../cost/index.js';
import { buildModel, encodeModel, node, tensorProto, valueInfo } from '../onnx/index.js';
import type { TensorData, TensorSpec } from '../tensor/index.js';
import { linearFit } from './measure-transfers.js';

/** The probes' matrices: ROWS x SIDE through SIDE x SIDE weights; small, as most tensors are. */
const ROWS = 16;
const SIDE = 256;
/**
 * MatMuls in each probe's chain: a short run and a long one (0.03-0.06 ms and 0.9-0.95 ms on this
 * machine: bench costmodel's `sim_worker_idle`), a small model's and a larger one's: how long the
 * main thread had nothing to do changes how soon it answers.
 */
const CHAINS = [1, 96] as const;
/** Bytes of the pass-through tensor at each round: none to speak of, and a quarter MiB. */
const PASS_THROUGH_BYTES = [1 << 12, 1 << 18] as const;
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
 * Measures the worker time each segment run costs beyond its session while the CPU pool is
 * saturated: after a run a worker waits for the main thread to take its result and hand it the
 * next task, and the main thread is slow to come when it is busy with other requests, collecting
 * the garbage their tensors leave, waiting for a core (where the cores are all the pool's), or
 * waking up. Two probes served as tenants — a chain of MatMuls, short or long, and a float32
 * tensor passed through — take requests from twice as many closed-loop clients as the pool has
 * threads, for `roundMs` at each pass-through size. Per probe, each round's idle worker time
 * (threads × wall − session time) per request is fitted as fixed + per MiB of tensors in and out,
 * at the probe's run time (its mean session time at the smaller size). Run it on an idle engine.
 */
export async function measureWorkerIdle(
  deps: WorkerIdleDeps,
  options: { roundMs: number },
): Promise<WorkerIdle> {
  const now = deps.now ?? (() => performance.now());
  const dir = await mkdtemp(join(tmpdir(), 'hetsched-idle-'));
  try {
    const points: WorkerIdle['points'][number][] = [];
    for (const matmuls of CHAINS) {
      const path = join(dir, `probe-${matmuls}.onnx`);
      const bytes = probeModel(matmuls);
      await writeFile(path, bytes);
      const matrix = (name: string): TensorSpec => ({
        name,
        dtype: 'float32',
        shape: [ROWS, SIDE],
        dimNames: ['', ''],
      });
      const served = deps.serve(
        path,
        createHash('sha256').update(bytes).digest('hex'),
        [floatVectorSpec('x'), matrix('a')],
        [floatVectorSpec('y'), matrix('z')],
      );
      try {
        const rounds = [];
        for (const passBytes of PASS_THROUGH_BYTES)
          rounds.push(await saturate(deps, served, passBytes, now, options));
        const fit = linearFit(rounds.map((round) => [round.tensorMiB, round.idleMs] as const));
        points.push({ runMs: rounds[0]?.sessionMs ?? 0, fixedMs: fit.intercept, msPerMiB: fit.slope });
      } finally {
        await served.stop();
      }
    }
    return { points: points.sort((a, b) => a.runMs - b.runMs) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One round: the probe saturating the pool; its tensors' MiB, and per request its session and idle worker time. */
async function saturate(
  deps: WorkerIdleDeps,
  served: ReturnType<WorkerIdleDeps['serve']>,
  passBytes: number,
  now: () => number,
  options: { roundMs: number },
): Promise<{ tensorMiB: number; sessionMs: number; idleMs: number }> {
  const clients = 2 * deps.threads;
  const feeds = () =>
    new Map<string, TensorData>([
      ['x', { dtype: 'float32', dims: [passBytes / 4], data: new Float32Array(passBytes / 4) }],
      ['a', { dtype: 'float32', dims: [ROWS, SIDE], data: new Float32Array(ROWS * SIDE).fill(1 / SIDE) }],
    ]);
  // Warm: sessions built on every worker, the path's code compiled.
  await Promise.all(Array.from({ length: clients }, () => served.request(feeds())));
  let sessionMs = 0;
  let requests = 0;
  const started = now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (now() - started < options.roundMs) {
        // Read after the await: `sessionMs += await …` would add to a stale total.
        const { computeMs } = await served.request(feeds());
        sessionMs += computeMs;
        requests++;
      }
    }),
  );
  const wallMs = now() - started;
  const count = Math.max(1, requests);
  return {
    // In and out: the pass-through tensor both ways, the matrix in and the product out.
    tensorMiB: (2 * passBytes + 2 * ROWS * SIDE * 4) / MiB,
    sessionMs: sessionMs / count,
    idleMs: Math.max(0, deps.threads * wallMs - sessionMs) / count,
  };
}

/** A float32 vector of any length: the probes' pass-through tensors. */
export function floatVectorSpec(name: string): TensorSpec {
  return { name, dtype: 'float32', shape: [-1], dimNames: ['n'] };
}

/** A probe: y = Relu(x) for any length of x, and z = a·W·W·…·W (`matmuls` times). */
function probeModel(matmuls: number): Uint8Array {
  // Small weights keep the chain's values finite; their exact values do not matter.
  const weights = Float32Array.from({ length: SIDE * SIDE }, (_, i) => ((i % 7) - 3) / (4 * SIDE));
  const chain = Array.from({ length: matmuls }, (_, k) =>
    node('MatMul', [k === 0 ? 'a' : `m${k - 1}`, 'w'], [k === matmuls - 1 ? 'z' : `m${k}`], [], `matmul${k}`),
  );
  return encodeModel(
    buildModel({
      graphName: 'worker-idle-probe',
      nodes: [node('Relu', ['x'], ['y'], [], 'pass'), ...chain],
      initializers: [tensorProto('w', 'float32', [SIDE, SIDE], weights)],
      inputs: [valueInfo('x', 'float32', ['n']), valueInfo('a', 'float32', [ROWS, SIDE])],
      outputs: [valueInfo('y', 'float32', ['n']), valueInfo('z', 'float32', [ROWS, SIDE])],
    }),
  );
}
