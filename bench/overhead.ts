/**
 * Suite `overhead`: what the gRPC path adds on top of onnxruntime. For each model, the same
 * inputs run (a) directly on an onnxruntime session in this thread and (b) through a hetsched
 * server in a separate process (a sidecar, one worker thread), called by a grpc-js client with raw
 * tensors. Both use one intra-op thread. Rounds alternate between (a), (b) and (c) an empty RPC
 * to the same server, so that machine noise hits all alike. The overhead is (b) - (a) at each
 * percentile; (c) splits it into the transport's floor and hetsched's own share.
 */
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import type { InferRequest } from '../src/gen/hetsched/v1/InferRequest.js';
import { ensureModels, exampleFeeds } from '../src/models/index.js';
import { tensorBytes } from '../src/tensor/index.js';
import { spawnCli } from '../test/helpers/cli.js';
import { connect } from '../test/helpers/grpc.js';
import { percentile, round } from './stats.js';

interface Case {
  readonly id: string;
  /** Requests per measured round and per path. */
  readonly perRound: number;
  readonly rounds: number;
}

const CASES: readonly Case[] = [
  { id: 'openwakeword', perRound: 400, rounds: 5 }, // ~0.02 ms in onnxruntime: the sub-millisecond model
  { id: 'ppocr-cls', perRound: 200, rounds: 5 }, // ~0.6 ms
  { id: 'ppocr-rec', perRound: 40, rounds: 5 }, // ~8-25 ms
];

export async function overhead(): Promise<Record<string, unknown>> {
  const paths = await ensureModels(CASES.map((entry) => entry.id));
  const repository = await mkdtemp(join(tmpdir(), 'hetsched-bench-'));
  const server = spawnCli(
    ['serve', '--port', '0', '--repository', repository, '--cpu-threads', '1', '--intra-op-threads', '1'],
    {
      HETSCHED_LOG_LEVEL: 'warn',
    },
  );
  try {
    const address = await serverAddress(server);
    const clients = connect(address);
    const metrics: Record<string, unknown> = {};
    for (const entry of CASES) {
      const path = paths.get(entry.id) ?? '';
      const bytes = await readFile(path);
      await clients.models.RegisterModel({ name: entry.id, modelBytes: bytes });
      const feeds = exampleFeeds(entry.id, { seed: 1 });
      const session = await ort.InferenceSession.create(path, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      const ortFeeds = Object.fromEntries(
        Object.entries(feeds).map(([name, t]) => [
          name,
          new ort.Tensor(t.dtype, t.data.slice(), [...t.dims]),
        ]),
      );
      const request: InferRequest = {
        model: entry.id,
        inputs: Object.entries(feeds).map(([name, t]) => ({
          name,
          dtype: `DATA_TYPE_${t.dtype.toUpperCase()}` as InferRequest['inputs'] extends
            | (infer T)[]
            | undefined
            ? T extends { dtype?: infer D }
              ? D
              : never
            : never,
          shape: [...t.dims],
          raw: Buffer.from(tensorBytes(t)),
        })),
      };
      const direct: number[] = [];
      const viaGrpc: number[] = [];
      // The transport's own cost: an empty RPC (ListModels on an empty tenant) to the same server.
      const floor: number[] = [];
      // Warm-up: session creation in the worker, JIT on both paths.
      for (let i = 0; i < Math.max(5, entry.perRound / 10); i++) {
        await session.run(ortFeeds);
        await clients.inference.Infer(request);
      }
      for (let round = 0; round < entry.rounds; round++) {
        for (let i = 0; i < entry.perRound; i++) {
          const started = performance.now();
          await session.run(ortFeeds);
          direct.push(performance.now() - started);
        }
        for (let i = 0; i < entry.perRound; i++) {
          const started = performance.now();
          await clients.inference.Infer(request);
          viaGrpc.push(performance.now() - started);
        }
        for (let i = 0; i < entry.perRound; i++) {
          const started = performance.now();
          await clients.models.ListModels({ tenant: 'none' });
          floor.push(performance.now() - started);
        }
      }
      await session.release();
      const result = summarize(direct, viaGrpc, floor);
      process.stderr.write(`${entry.id}: ${JSON.stringify(result)}\n`);
      metrics[entry.id] = result;
    }
    clients.close();
    return metrics;
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
    await rm(repository, { recursive: true, force: true });
  }
}

function summarize(direct: number[], viaGrpc: number[], floor: number[]): Record<string, number> {
  const p = (samples: number[], q: number) => percentile(samples, q);
  return {
    requests: viaGrpc.length,
    direct_p50_ms: round(p(direct, 50)),
    direct_p99_ms: round(p(direct, 99)),
    grpc_p50_ms: round(p(viaGrpc, 50)),
    grpc_p99_ms: round(p(viaGrpc, 99)),
    grpc_overhead_p50_ms: round(p(viaGrpc, 50) - p(direct, 50)),
    grpc_overhead_p99_ms: round(p(viaGrpc, 99) - p(direct, 99)),
    ratio_p50: round(p(viaGrpc, 50) / p(direct, 50)),
    // Of the overhead, what an empty RPC to the same server costs (grpc-js, loopback, wake-ups)...
    grpc_floor_p50_ms: round(p(floor, 50)),
    // ...and what remains: hetsched's own work (decode, checks, queue, worker hand-off, encode).
    hetsched_overhead_p50_ms: round(p(viaGrpc, 50) - p(direct, 50) - p(floor, 50)),
  };
}

async function serverAddress(server: ReturnType<typeof spawnCli>): Promise<string> {
  let stdout = '';
  server.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  while (!/serving on (\S+)/.test(stdout)) {
    if (server.exitCode !== null) throw new Error(`the server exited: ${stdout}`);
    await once(server.stdout ?? server, 'data');
  }
  return /serving on (\S+)/.exec(stdout)?.[1] ?? '';
}
