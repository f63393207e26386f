/**
 * Suite `overhead`: what the gRPC path adds on top of onnxruntime. For each model, the same
 * inputs run (a) directly on an onnxruntime session in this thread and (b) through a hetsched
 * server in a separate process (a sidecar, one worker thread), called by a grpc-js client with raw
 * tensors. Both use one intra-op thread. Rounds alternate between (a), (b) and (c) a bare grpc-js
 * server (no hetsched) exchanging messages of exactly the Infer request's and response's sizes,
 * so that machine noise hits all alike. The overhead is (b) - (a) at each percentile; (c) splits
 * it into the transport's floor (grpc-js, HTTP/2 on loopback) and hetsched's own share.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Client, credentials, Metadata, makeGenericClientConstructor } from '@grpc/grpc-js';
import ort from 'onnxruntime-node';
import type { InferRequest } from '../src/gen/hetsched/v1/InferRequest.js';
import type { InferResponse } from '../src/gen/hetsched/v1/InferResponse.js';
import { ensureModels, exampleFeeds } from '../src/models/index.js';
import { protos } from '../src/server/index.js';
import { tensorBytes } from '../src/tensor/index.js';
import { spawnCli } from '../test/helpers/cli.js';
import { connect } from '../test/helpers/grpc.js';
import { ECHO_METHOD } from './echo-method.js';
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
  const echoServer = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'echo-server.ts')],
    { stdio: 'pipe' },
  );
  const server = spawnCli(
    ['serve', '--port', '0', '--repository', repository, '--cpu-threads', '1', '--intra-op-threads', '1'],
    {
      HETSCHED_LOG_LEVEL: 'warn',
    },
  );
  try {
    const address = await serverAddress(server);
    const clients = connect(address);
    const echoClient = await startEcho(echoServer);
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
      const floor: number[] = [];
      const echo = echoCall(echoClient, request, await clients.inference.Infer(request));
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
          await echo();
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
    echoServer.kill();
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
    // Of the overhead, what bare grpc-js costs for messages of these sizes on this machine...
    transport_floor_p50_ms: round(p(floor, 50)),
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

type EchoClient = Client & {
  Echo: (
    request: Buffer,
    metadata: Metadata,
    options: object,
    callback: (error: Error | null) => void,
  ) => void;
};

async function startEcho(server: ChildProcess): Promise<EchoClient> {
  const [line] = (await once(server.stdout ?? server, 'data')) as [Buffer];
  const port = /port (\d+)/.exec(String(line))?.[1];
  if (!port) throw new Error(`the echo server did not start: ${String(line)}`);
  const Constructor = makeGenericClientConstructor({ Echo: ECHO_METHOD } as never, 'echo');
  return new Constructor(`127.0.0.1:${port}`, credentials.createInsecure(), {
    'grpc.max_receive_message_length': -1,
    'grpc.max_send_message_length': -1,
  }) as unknown as EchoClient;
}

/** A call to the echo server with this Infer call's request and response sizes, as serialized on the wire. */
function echoCall(client: EchoClient, request: InferRequest, response: InferResponse): () => Promise<void> {
  const infer = protos().grpc.hetsched.v1.InferenceService.service.Infer;
  const payload = Buffer.alloc(Math.max(4, infer.requestSerialize(request).byteLength));
  payload.writeUInt32LE(infer.responseSerialize(response).byteLength, 0);
  return () =>
    new Promise((resolve, reject) =>
      client.Echo(payload, new Metadata(), {}, (error) => (error ? reject(error) : resolve())),
    );
}
