import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClientReadableStream, credentials, type ServiceError, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelProfileSchema } from '../src/cost/index.js';
import type { ProfileRequest } from '../src/gen/hetsched/v1/ProfileRequest.js';
import type { ProfileResponse__Output } from '../src/gen/hetsched/v1/ProfileResponse.js';
import type { ProfileServiceClient } from '../src/gen/hetsched/v1/ProfileService.js';
import { modelPath } from '../src/models/index.js';
import { protos } from '../src/server/index.js';
import { callError, promiseClient } from './helpers/grpc.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { MEASURING_TEST_MS } from './helpers/timeouts.js';

/** Reads a server stream to its end: every message, or the status it failed with. */
function drain(
  stream: ClientReadableStream<ProfileResponse__Output>,
): Promise<{ messages: ProfileResponse__Output[]; error?: ServiceError }> {
  const messages: ProfileResponse__Output[] = [];
  return new Promise((resolve) => {
    stream.on('data', (message: ProfileResponse__Output) => messages.push(message));
    stream.on('error', (error: ServiceError) => resolve({ messages, error }));
    stream.on('end', () => resolve({ messages }));
  });
}

describe('ProfileService through a real server', () => {
  let t: TestServer;
  let profiles: string;
  let client: ProfileServiceClient;
  let unary: ReturnType<
    typeof promiseClient<ReturnType<typeof protos>['grpc']['hetsched']['v1']['ProfileService']['service']>
  >;
  const profile = (request: ProfileRequest) => drain(client.Profile(request));

  beforeAll(async () => {
    profiles = await mkdtemp(join(tmpdir(), 'hetsched-profiles-'));
    // No GPU: profiling SwiftShader is slow and says nothing about a GPU.
    t = await startTestServer({ gpu: 'none', profiles });
    await t.clients.models.RegisterModel({
      name: 'ow',
      modelBytes: await readFile(modelPath('openwakeword')),
    });
    const { grpc } = protos();
    client = new grpc.hetsched.v1.ProfileService(t.address, credentials.createInsecure());
    unary = promiseClient(grpc.hetsched.v1.ProfileService.service, t.address);
  });
  afterAll(async () => {
    client?.close();
    unary?.close();
    await t?.dispose();
    await rm(profiles, { recursive: true, force: true });
  });

  it('has no profile before Profile runs: NOT_FOUND saying what to call', async () => {
    const error = await callError(unary.GetProfile({ model: 'ow' }));
    expect(error.code).toBe(status.NOT_FOUND);
    expect(error.details).toMatch(/call Profile first/);
  });

  it('streams progress, then the stored profile; GetProfile reads it back', {
    timeout: MEASURING_TEST_MS,
  }, async () => {
    const { messages, error } = await profile({ model: 'ow', runs: 3 });
    expect(error).toBeUndefined();
    const progress = messages.filter((message) => message.event === 'progress');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.some((message) => message.progress?.step.startsWith('machine:'))).toBe(true);
    expect(progress.some((message) => message.progress?.step.startsWith('ow@1:'))).toBe(true);
    const last = messages.at(-1);
    expect(last?.event).toBe('result');
    const stored = modelProfileSchema.parse(JSON.parse(last?.result?.profileJson ?? ''));
    expect(stored.source).toBe('measured');
    expect(stored.gpu).toBeNull();
    const cpu = Object.values(stored.cpu)[0];
    expect(Object.keys(cpu?.ops ?? {}).length).toBeGreaterThan(10);
    expect(cpu?.whole.medianMs).toBeGreaterThan(0);
    expect(last?.result?.path.startsWith(profiles)).toBe(true);

    const read = await unary.GetProfile({ model: 'ow' });
    expect(JSON.parse(read.profileJson)).toEqual(JSON.parse(last?.result?.profileJson ?? ''));
    expect(JSON.parse(read.machineJson).kind).toBe('hetsched.machine-profile');
  });

  it('reuses the stored machine profile on the next call; fits segments at every thread count asked', async () => {
    const { messages, error } = await profile({ model: 'ow', runs: 3, cpuThreads: [1, 2] });
    expect(error).toBeUndefined();
    expect(messages.some((message) => message.progress?.step.startsWith('machine:'))).toBe(false);
    // Calibration runs its splits with the CPU lanes at 2 threads (a plan's thread budgets) too.
    expect(
      messages.some(
        (message) =>
          message.progress?.step.includes('segment calibration') &&
          message.progress.step.endsWith('(2 thread(s))'),
      ),
    ).toBe(true);
    const stored = modelProfileSchema.parse(JSON.parse(messages.at(-1)?.result?.profileJson ?? ''));
    expect(Object.keys(stored.cpu).sort()).toEqual(['1', '2']);
    expect(stored.cpu['1']?.fittedSegments).toBeGreaterThan(10);
    expect(stored.cpu['2']?.fittedSegments).toBeGreaterThan(10);
  });

  it('rejects an unknown model, too many runs and zero threads with clear statuses', async () => {
    const unknown = await profile({ model: 'nope' });
    expect(unknown.error?.code).toBe(status.NOT_FOUND);
    const runs = await profile({ model: 'ow', runs: 5000 });
    expect(runs.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(runs.error?.details).toMatch(/at most 1000/);
    const threads = await profile({ model: 'ow', cpuThreads: [0] });
    expect(threads.error?.code).toBe(status.INVALID_ARGUMENT);
    // The server keeps serving.
    expect((await t.clients.models.ListModels({})).models).toHaveLength(1);
  });
});
