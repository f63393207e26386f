import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/common/index.js';
import type { InferRequest } from '../src/gen/hetsched/v1/InferRequest.js';
import { exampleFeeds, modelPath } from '../src/models/index.js';
import { tensorBytes, tensorToJson } from '../src/tensor/index.js';
import { runCli, spawnCli } from './helpers/cli.js';
import { connect } from './helpers/grpc.js';
import { maxAbsDiff, referenceRun } from './helpers/reference.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hetsched-cli-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('hetsched infer', () => {
  it('prints outputs as JSON equal to onnxruntime run directly', async () => {
    const feeds = exampleFeeds('ppocr-cls', { seed: 4 });
    const inputs = join(scratch, 'cls-inputs.json');
    await writeFile(
      inputs,
      JSON.stringify({
        inputs: Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, tensorToJson(t)])),
      }),
    );
    const result = await runCli([
      'infer',
      '--model',
      modelPath('ppocr-cls'),
      '--inputs',
      inputs,
      '--placement',
      'all-cpu',
      '--json',
    ]);
    expect(result.stderr).toBe('plan all-cpu: 1 segment(s) (1 on cpu), 1 boundary tensor(s)\n');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as {
      outputs: Record<string, { dtype: string; dims: number[]; data: number[] }>;
    };
    const expected = await referenceRun(modelPath('ppocr-cls'), feeds);
    expect(Object.keys(printed.outputs)).toEqual(Object.keys(expected));
    for (const [name, tensor] of Object.entries(expected)) {
      const output = printed.outputs[name];
      expect(output?.dtype).toBe('float32');
      expect(output?.dims).toEqual(tensor.dims);
      expect(maxAbsDiff(output?.data ?? [], tensor.data as Float32Array)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('handles int64 scalars and selected outputs', async () => {
    const feeds = exampleFeeds('silero-vad-v5', { seed: 8 });
    const inputs = join(scratch, 'vad-inputs.json');
    await writeFile(
      inputs,
      JSON.stringify({
        inputs: Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, tensorToJson(t)])),
      }),
    );
    const result = await runCli([
      'infer',
      '--model',
      modelPath('silero-vad-v5'),
      '--inputs',
      inputs,
      '--outputs',
      'output',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { outputs: Record<string, { data: number[] }> };
    expect(Object.keys(printed.outputs)).toEqual(['output']);
    const expected = await referenceRun(modelPath('silero-vad-v5'), feeds);
    expect(
      maxAbsDiff(printed.outputs.output?.data ?? [], expected.output?.data as Float32Array),
    ).toBeLessThanOrEqual(1e-6);
  });

  it.each([
    [
      'an unknown placement',
      ['--placement', 'gpu-magic'],
      "placement 'gpu-magic' is not one of: all-cpu, all-gpu, random:SEED",
    ],
    ['inputs that do not fit the model', ['--inputs', 'WRONG'], "input 'x' must have shape"],
  ])('fails with exit code 1 and a clear message for %s', async (_, extra, message) => {
    const wrong = join(scratch, 'wrong.json');
    await writeFile(
      wrong,
      JSON.stringify({ inputs: { x: { dtype: 'float32', dims: [1, 2], data: [1, 2] } } }),
    );
    const args = [
      'infer',
      '--model',
      modelPath('ppocr-cls'),
      '--inputs',
      wrong,
      ...extra.map((arg) => (arg === 'WRONG' ? wrong : arg)),
    ];
    const result = await runCli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });
});

/** Starts `hetsched serve ARGS` and waits for its banner; returns the process, its address and the banner. */
async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ server: ChildProcess; address: string; banner: string }> {
  const server = spawnCli(['serve', '--port', '0', ...args], { HETSCHED_LOG_LEVEL: 'warn', ...env });
  let stdout = '';
  server.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  while (!/\n\n$/.test(stdout)) {
    if (server.exitCode !== null) throw new Error(`server exited early: ${stdout}`);
    await once(server.stdout ?? server, 'data');
  }
  return { server, address: /serving on (\S+)/.exec(stdout)?.[1] ?? '', banner: stdout };
}

async function stopServe(server: ChildProcess): Promise<number> {
  if (server.exitCode !== null) return server.exitCode;
  server.kill('SIGTERM');
  const [code] = (await once(server, 'exit')) as [number];
  return code;
}

describe('hetsched serve', () => {
  it('registers the demo tenants on the first start only, and serves the README example request', async () => {
    const repository = join(scratch, 'demo-repo');
    const first = await startServe(['--repository', repository, '--demo']);
    try {
      expect(first.banner).toContain('models (3):');
      // Started without them, it runs again under its node flags (the serving process is a child).
      expect(first.banner).toContain('node: --initial-old-space-size=256');
      for (const name of ['ppocr-det@1', 'ppocr-rec@1', 'silero-vad@1']) expect(first.banner).toContain(name);
      const clients = connect(first.address);
      const request = JSON.parse(
        await readFile(join(packageRoot, 'examples', 'infer-silero-vad.json'), 'utf8'),
      ) as InferRequest;
      const response = await clients.inference.Infer(request);
      expect(response.outputs.map((output) => output.name)).toEqual(['output', 'stateN']);
      await clients.models.UnregisterModel({ name: 'ppocr-det' });
      clients.close();
    } finally {
      expect(await stopServe(first.server)).toBe(0);
    }
    // Told to stay in the node it was started in, it says what it runs without.
    const second = await startServe(['--repository', repository, '--demo'], { HETSCHED_NO_RESPAWN: '1' });
    expect(second.banner).toContain('models (2):');
    expect(second.banner).toContain('node: without --initial-old-space-size=256');
    expect(await stopServe(second.server)).toBe(0);
  });

  it('drains in-flight requests on SIGTERM, then exits 0', async () => {
    const { server, address } = await startServe([
      '--repository',
      join(scratch, 'repo'),
      '--cpu-threads',
      '1',
    ]);
    const clients = connect(address);
    try {
      await clients.models.RegisterModel({ name: 'rec', modelBytes: await readFile(modelPath('ppocr-rec')) });
      const x = exampleFeeds('ppocr-rec', { seed: 1 }).x;
      if (!x) throw new Error('no feed');
      const request = {
        model: 'rec',
        inputs: [
          {
            name: 'x',
            dtype: 'DATA_TYPE_FLOAT32' as const,
            shape: [...x.dims],
            raw: Buffer.from(tensorBytes(x)),
          },
        ],
      };
      await clients.inference.Infer(request);
      const finishedAt: number[] = [];
      const inflight = Array.from({ length: 4 }, () =>
        clients.inference.Infer(request).then((response) => {
          finishedAt.push(performance.now());
          return response;
        }),
      );
      // Four ~25 ms runs on one worker thread: some are still queued or running 50 ms from now.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const signalledAt = performance.now();
      server.kill('SIGTERM');
      const [exitCode] = (await once(server, 'exit')) as [number];
      const responses = await Promise.all(inflight);
      expect(exitCode).toBe(0);
      expect(responses.every((response) => response.outputs[0]?.shape.join(',') === '1,40,6625')).toBe(true);
      expect(Math.max(...finishedAt)).toBeGreaterThan(signalledAt);
    } finally {
      clients.close();
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  });
});
