import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterModelRequest } from '../src/gen/hetsched/v1/RegisterModelRequest.js';
import { modelPath } from '../src/models/index.js';
import { callError } from './helpers/grpc.js';
import { reluModel } from './helpers/onnx-fixtures.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('ModelService against a real server', () => {
  let t: TestServer;
  const register = (request: RegisterModelRequest) => t.clients.models.RegisterModel(request);
  const list = () => t.clients.models.ListModels({});

  beforeAll(async () => {
    t = await startTestServer({ maxModelBytes: 16 * 1024 * 1024 });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('registers from bytes with QoS and input shapes, and describes the model', async () => {
    const bytes = await readFile(modelPath('ppocr-rec'));
    const { model } = await register({
      name: 'rec',
      tenant: 'ocr',
      qos: { latencySloMs: 40, weight: 2, requestRatePerS: 15 },
      inputShapes: [{ name: 'x', shape: [1, 3, 48, 320] }],
      modelBytes: bytes,
    });
    expect(model).toMatchObject({
      name: 'rec',
      version: 1,
      tenant: 'ocr',
      qos: { latencySloMs: 40, weight: 2, requestRatePerS: 15 },
    });
    expect(model?.sha256).toBe('06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0');
    const { model: got } = await t.clients.models.GetModel({ name: 'rec' });
    expect(got?.inputs).toEqual([
      {
        name: 'x',
        dtype: 'DATA_TYPE_FLOAT32',
        shape: ['1', '3', '48', '320'],
        dimNames: ['p2o.DynamicDimension.0', '', '', 'p2o.DynamicDimension.1'],
      },
    ]);
    expect(got?.outputs?.[0]).toMatchObject({
      name: 'softmax_11.tmp_0',
      dtype: 'DATA_TYPE_FLOAT32',
      shape: ['-1', '-1', '6625'],
    });
    expect(got).toMatchObject({
      opset: '9',
      irVersion: '8',
      nodeCount: 765,
      sizeBytes: String(bytes.byteLength),
    });
  });

  it('fills QoS defaults and the tenant from the name', async () => {
    const { model } = await register({ name: 'relu-defaults', modelBytes: Buffer.from(reluModel()) });
    expect(model).toMatchObject({
      tenant: 'relu-defaults',
      qos: { latencySloMs: 100, weight: 1, requestRatePerS: 0 },
    });
  });

  it('registers from a path inside the repository, and lists by tenant', async () => {
    await mkdir(join(t.repository, 'incoming'), { recursive: true });
    await writeFile(join(t.repository, 'incoming', 'relu.onnx'), reluModel());
    const { model } = await register({
      name: 'relu-path',
      tenant: 'team-b',
      modelPath: 'incoming/relu.onnx',
    });
    expect(model?.name).toBe('relu-path');
    const { models } = await t.clients.models.ListModels({ tenant: 'team-b' });
    expect(models.map((entry) => entry.name)).toEqual(['relu-path']);
  });

  it('keeps versions apart and resolves version 0 to the latest', async () => {
    await register({ name: 'multi', version: 1, modelBytes: Buffer.from(reluModel()) });
    await register({ name: 'multi', version: 3, modelBytes: Buffer.from(reluModel({ dims: [1, 8] })) });
    const { model } = await t.clients.models.GetModel({ name: 'multi' });
    expect(model?.version).toBe(3);
    const error = await callError(t.clients.models.GetModel({ name: 'multi', version: 2 }));
    expect(error.code).toBe(status.NOT_FOUND);
    expect(error.details).toContain('versions: 1, 3');
  });

  it('rejects a duplicate registration and keeps the original', async () => {
    await register({ name: 'dup', modelBytes: Buffer.from(reluModel()) });
    const error = await callError(
      register({ name: 'dup', modelBytes: Buffer.from(reluModel({ dims: [1, 8] })) }),
    );
    expect(error.code).toBe(status.ALREADY_EXISTS);
    expect(error.details).toContain("'dup' version 1 is already registered");
    const { model } = await t.clients.models.GetModel({ name: 'dup' });
    expect(model?.inputs?.[0]?.shape).toEqual(['1', '4']);
  });

  it.each([
    [
      'garbage bytes',
      { name: 'bad1', modelBytes: Buffer.from('definitely not onnx') },
      status.INVALID_ARGUMENT,
      'not an ONNX protobuf',
    ],
    [
      'an opset onnxruntime lacks',
      { name: 'bad2', modelBytes: Buffer.from(reluModel({ opset: 99 })) },
      status.INVALID_ARGUMENT,
      'onnxruntime cannot load the model',
    ],
    [
      'an unknown operator',
      { name: 'bad3', modelBytes: Buffer.from(reluModel({ op: 'NoSuchOp' })) },
      status.INVALID_ARGUMENT,
      'onnxruntime cannot load the model',
    ],
    ['no source', { name: 'bad4' }, status.INVALID_ARGUMENT, 'set model_bytes'],
    [
      'a bad name',
      { name: '../evil', modelBytes: Buffer.from(reluModel()) },
      status.INVALID_ARGUMENT,
      'is not valid',
    ],
    [
      'a negative SLO',
      { name: 'bad5', qos: { latencySloMs: -1 }, modelBytes: Buffer.from(reluModel()) },
      status.INVALID_ARGUMENT,
      'qos.latency_slo_ms',
    ],
    [
      'input shapes of an unknown input',
      { name: 'bad6', inputShapes: [{ name: 'nope', shape: [1] }], modelBytes: Buffer.from(reluModel()) },
      status.INVALID_ARGUMENT,
      "'nope', which is not a model input",
    ],
    [
      'input shapes conflicting with the model',
      { name: 'bad7', inputShapes: [{ name: 'x', shape: [1, 5] }], modelBytes: Buffer.from(reluModel()) },
      status.INVALID_ARGUMENT,
      'fixed at 4',
    ],
    [
      'a path escaping the repository',
      { name: 'bad8', modelPath: '../outside.onnx' },
      status.PERMISSION_DENIED,
      'outside the model repository',
    ],
    [
      'an absolute path',
      { name: 'bad9', modelPath: '/etc/passwd' },
      status.INVALID_ARGUMENT,
      'relative to the model repository',
    ],
    [
      'a missing path',
      { name: 'bad10', modelPath: 'nowhere/model.onnx' },
      status.NOT_FOUND,
      'does not exist',
    ],
  ] satisfies [string, RegisterModelRequest, status, string][])(
    'rejects %s with a clear status',
    async (_, request, code, message) => {
      const before = (await list()).models.length;
      const error = await callError(register(request));
      expect(error.code).toBe(code);
      expect(error.details).toContain(message);
      expect((await list()).models.length).toBe(before);
    },
  );

  it('refuses a symlink that leads out of the repository', async () => {
    const outside = join(tmpdir(), `hetsched-outside-${process.pid}.onnx`);
    await writeFile(outside, reluModel());
    await symlink(outside, join(t.repository, 'sneaky.onnx'));
    const error = await callError(register({ name: 'sneaky', modelPath: 'sneaky.onnx' }));
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });

  it('refuses a model over the size limit before reading it all', async () => {
    const error = await callError(register({ name: 'huge', modelBytes: Buffer.alloc(17 * 1024 * 1024, 1) }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error.details).toContain('--max-model-bytes');
  });

  it('unregisters, after which the model is gone and its name is free', async () => {
    await register({ name: 'temp', modelBytes: Buffer.from(reluModel()) });
    const { removed } = await t.clients.models.UnregisterModel({ name: 'temp' });
    expect(removed.map((model) => model.name)).toEqual(['temp']);
    const error = await callError(t.clients.models.GetModel({ name: 'temp' }));
    expect(error.code).toBe(status.NOT_FOUND);
    const again = await callError(t.clients.models.UnregisterModel({ name: 'temp' }));
    expect(again.code).toBe(status.NOT_FOUND);
    await register({ name: 'temp', modelBytes: Buffer.from(reluModel()) });
  });

  it('keeps every registration across a restart', async () => {
    const before = (await list()).models;
    await t.stop();
    const restarted = await startTestServer({ repository: t.repository });
    try {
      const after = await restarted.clients.models.ListModels({});
      expect(after.models).toEqual(before);
      expect(restarted.server.problems).toEqual([]);
    } finally {
      await restarted.stop();
    }
    t = await startTestServer({ repository: t.repository, maxModelBytes: 16 * 1024 * 1024 });
  });
});
