import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inspectModel } from '../onnx/index.js';
import type { TensorData } from '../tensor/index.js';
import { measureWorkerIdle, type WorkerIdleDeps } from './measure-worker-idle.js';

const MiB = 1 << 20;

/**
 * A one-thread pool on a virtual clock: requests run one at a time, each taking `serviceMs`, of which
 * the session reports all but the worker's wait — 1 ms, and 1 ms more per MiB of the pass-through
 * tensor `x` in and out.
 */
function fakePool(serviceMs: number): WorkerIdleDeps & { served: string[]; stopped: boolean } {
  let clockMs = 0;
  let freeAtMs = 0;
  const fake = {
    threads: 1,
    now: () => clockMs,
    served: [] as string[],
    stopped: false,
    serve: (path: string) => {
      fake.served.push(path);
      return {
        request: async (feeds: Map<string, TensorData>) => {
          const passMiB = (2 * (feeds.get('x')?.data.byteLength ?? 0)) / MiB;
          const waitMs = 1 + passMiB;
          freeAtMs = Math.max(freeAtMs, clockMs) + serviceMs;
          await Promise.resolve();
          clockMs = Math.max(clockMs, freeAtMs);
          return { computeMs: serviceMs - waitMs };
        },
        stop: async () => {
          fake.stopped = true;
        },
      };
    },
  };
  return fake;
}

describe('measureWorkerIdle', () => {
  it('fits the workers’ wait per request as fixed + per MiB of the tensors handed in and out', async () => {
    const pool = fakePool(6);
    const cost = await measureWorkerIdle(pool, { roundMs: 600 });
    // The wait is 1 ms + 1 ms per MiB of x; the probe's 0.5 MiB of matrices add 0 to it here.
    // Fitted on (x + matrices) MiB: slope 1, intercept 1 - 0.5.
    expect(cost.msPerMiB).toBeCloseTo(1, 6);
    expect(cost.fixedMs).toBeCloseTo(0.5, 6);
    expect(pool.stopped).toBe(true);
  });

  it('serves a probe onnxruntime can read: a vector passed through and a square matrix product', async () => {
    const pool = fakePool(6);
    let inputs: readonly string[] = [];
    let outputs: readonly string[] = [];
    await measureWorkerIdle(
      {
        ...pool,
        serve: (path, sha256, specIn, specOut) => {
          inputs = specIn.map((spec) => `${spec.name}:${spec.shape.join('x')}`);
          outputs = specOut.map((spec) => `${spec.name}:${spec.shape.join('x')}`);
          expect(sha256).toMatch(/^[0-9a-f]{64}$/);
          return pool.serve(path, sha256, specIn, specOut);
        },
      },
      { roundMs: 60 },
    );
    expect(inputs).toEqual(['x:-1', 'a:256x256']);
    expect(outputs).toEqual(['y:-1', 'z:256x256']);
    // The probe file is gone once measured.
    await expect(readFile(pool.served[0] ?? '')).rejects.toThrow(/ENOENT/);
  });

  it('writes a model whose signature matches the specs it serves it with', async () => {
    let info: ReturnType<typeof inspectModel> | undefined;
    const pool = fakePool(6);
    await measureWorkerIdle(
      {
        ...pool,
        serve: (path, sha256, specIn, specOut) => {
          const served = pool.serve(path, sha256, specIn, specOut);
          return {
            request: async (feeds) => {
              info ??= inspectModel(await readFile(path));
              return served.request(feeds);
            },
            stop: served.stop,
          };
        },
      },
      { roundMs: 60 },
    );
    expect(info?.inputs.map((spec) => [spec.name, spec.dtype, spec.shape])).toEqual([
      ['x', 'float32', [-1]],
      ['a', 'float32', [256, 256]],
    ]);
    expect(info?.outputs.map((spec) => spec.name)).toEqual(['y', 'z']);
  });
});
