import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inspectModel } from '../onnx/index.js';
import type { TensorData } from '../tensor/index.js';
import { measureWorkerIdle, type WorkerIdleDeps } from './measure-worker-idle.js';

const MiB = 1 << 20;
/** The probes' matrices in and out: 16 x 256 float32 each way. */
const MATRICES_MIB = (2 * 16 * 256 * 4) / MiB;

/**
 * A one-thread pool on a virtual clock: requests run one at a time, each taking `serviceMs`, of
 * which the session reports all but the worker's wait. The short probe (a one-MatMul chain) takes
 * 2 ms and waits 0.5 ms + 0.25 ms per MiB of `x` in and out; the long one 6 ms, waiting 1 + 1 per MiB.
 */
function fakePool(): WorkerIdleDeps & { served: string[]; stopped: number } {
  let clockMs = 0;
  let freeAtMs = 0;
  const fake = {
    threads: 1,
    now: () => clockMs,
    served: [] as string[],
    stopped: 0,
    serve: (path: string) => {
      fake.served.push(path);
      const short = path.endsWith('probe-1.onnx');
      const [serviceMs, fixedMs, msPerMiB] = short ? [2, 0.5, 0.25] : [6, 1, 1];
      return {
        request: async (feeds: Map<string, TensorData>) => {
          const passMiB = (2 * (feeds.get('x')?.data.byteLength ?? 0)) / MiB;
          freeAtMs = Math.max(freeAtMs, clockMs) + serviceMs;
          await Promise.resolve();
          clockMs = Math.max(clockMs, freeAtMs);
          return { computeMs: serviceMs - (fixedMs + msPerMiB * passMiB) };
        },
        stop: async () => {
          fake.stopped++;
        },
      };
    },
  };
  return fake;
}

describe('measureWorkerIdle', () => {
  it('fits the wait per run as fixed + per MiB handed in and out, at a short and a long run', async () => {
    const pool = fakePool();
    const { points } = await measureWorkerIdle(pool, { roundMs: 600 });
    const smallMiB = (2 * 4096) / MiB;
    expect(points).toHaveLength(2);
    const [short, long] = points;
    // Fitted on all the tensors' MiB (x and the matrices): the matrices cost nothing here.
    expect(short?.runMs).toBeCloseTo(2 - (0.5 + 0.25 * smallMiB), 9);
    expect(short?.msPerMiB).toBeCloseTo(0.25, 6);
    expect(short?.fixedMs).toBeCloseTo(0.5 - 0.25 * MATRICES_MIB, 6);
    expect(long?.runMs).toBeCloseTo(6 - (1 + smallMiB), 9);
    expect(long?.msPerMiB).toBeCloseTo(1, 6);
    expect(long?.fixedMs).toBeCloseTo(1 - MATRICES_MIB, 6);
    // Both probes were served, then stopped, and their files are gone.
    expect(pool.stopped).toBe(2);
    for (const path of pool.served) await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });

  it('serves probes onnxruntime can read, with the signature it declares', async () => {
    const pool = fakePool();
    const signatures: string[] = [];
    await measureWorkerIdle(
      {
        ...pool,
        serve: (path, sha256, inputs, outputs) => {
          const served = pool.serve(path, sha256, inputs, outputs);
          return {
            request: async (feeds) => {
              if (signatures.length < pool.served.length) {
                const info = inspectModel(await readFile(path));
                const read = [...info.inputs, ...info.outputs].map(
                  (spec) => `${spec.name}:${spec.shape.join('x')}`,
                );
                const declared = [...inputs, ...outputs].map(
                  (spec) => `${spec.name}:${spec.shape.join('x')}`,
                );
                expect(read).toEqual(declared);
                expect(sha256).toMatch(/^[0-9a-f]{64}$/);
                signatures.push(read.join(' '));
              }
              return served.request(feeds);
            },
            stop: served.stop,
          };
        },
      },
      { roundMs: 60 },
    );
    expect(signatures).toEqual(['x:-1 a:16x256 y:-1 z:16x256', 'x:-1 a:16x256 y:-1 z:16x256']);
  });
});
