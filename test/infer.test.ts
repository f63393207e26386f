import { readFile } from 'node:fs/promises';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferRequest } from '../src/gen/hetsched/v1/InferRequest.js';
import type { Tensor } from '../src/gen/hetsched/v1/Tensor.js';
import { exampleFeeds, modelPath } from '../src/models/index.js';
import { onnx } from '../src/onnx/index.js';
import {
  DTYPE_NAMES,
  DTYPES,
  type DType,
  type TensorData,
  tensorBytes,
  tensorFromValues,
} from '../src/tensor/index.js';
import { callError } from './helpers/grpc.js';
import { reluModel } from './helpers/onnx-fixtures.js';
import { maxAbsDiff, referenceRun } from './helpers/reference.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const wireDType = (dtype: DType) => `DATA_TYPE_${dtype.toUpperCase()}` as Tensor['dtype'] & string;

function rawTensor(name: string, tensor: TensorData): Tensor {
  return {
    name,
    dtype: wireDType(tensor.dtype),
    shape: [...tensor.dims],
    raw: Buffer.from(tensorBytes(tensor)),
  };
}

function floatsOf(raw: Buffer | undefined): Float32Array {
  if (!raw) throw new Error('no raw output');
  const copy = new Uint8Array(raw);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

describe('Infer against a real server', () => {
  let t: TestServer;
  const infer = (request: InferRequest, control?: { deadlineMs?: number; signal?: AbortSignal }) =>
    t.clients.inference.Infer(request, control);

  beforeAll(async () => {
    t = await startTestServer();
    const register = t.clients.models.RegisterModel;
    await register({
      name: 'rec',
      modelBytes: await readFile(modelPath('ppocr-rec')),
      inputShapes: [{ name: 'x', shape: [1, 3, 48, 320] }],
    });
    await register({ name: 'vad', modelBytes: await readFile(modelPath('silero-vad-v5')) });
    await register({ name: 'relu', modelBytes: Buffer.from(reluModel({ dims: ['N', 4] })) });
    for (const dtype of DTYPE_NAMES) {
      await register({
        name: `identity-${dtype}`,
        modelBytes: Buffer.from(reluModel({ op: 'Identity', dtype: DTYPES[dtype].onnx, dims: [2, 3] })),
      });
    }
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('PP-OCR rec through gRPC equals onnxruntime run directly (max abs diff <= 1e-5)', async () => {
    const feeds = exampleFeeds('ppocr-rec', { seed: 11 });
    const expected = await referenceRun(modelPath('ppocr-rec'), feeds);
    const response = await infer({
      model: 'rec',
      inputs: Object.entries(feeds).map(([name, tensor]) => rawTensor(name, tensor)),
    });
    const output = response.outputs[0];
    const reference = expected['softmax_11.tmp_0'];
    expect(output?.name).toBe('softmax_11.tmp_0');
    expect(output?.shape).toEqual(reference?.dims.map(String));
    expect(maxAbsDiff(floatsOf(output?.raw), reference?.data as Float32Array)).toBeLessThanOrEqual(1e-5);
    expect(response.timing?.computeMs).toBeGreaterThan(0);
  });

  it('runs a stateful model with an int64 scalar sent as typed contents', async () => {
    const feeds = exampleFeeds('silero-vad-v5', { seed: 3 });
    const expected = await referenceRun(modelPath('silero-vad-v5'), feeds);
    const response = await infer({
      model: 'vad',
      outputEncoding: 'OUTPUT_ENCODING_CONTENTS',
      inputs: [
        {
          name: 'input',
          dtype: 'DATA_TYPE_FLOAT32',
          shape: [1, 512],
          contents: { floatValues: Array.from(feeds.input?.data ?? [], Number) },
        },
        {
          name: 'state',
          dtype: 'DATA_TYPE_FLOAT32',
          shape: [2, 1, 128],
          contents: { floatValues: new Array(256).fill(0) },
        },
        { name: 'sr', dtype: 'DATA_TYPE_INT64', shape: [], contents: { int64Values: ['16000'] } },
      ],
    });
    const probability =
      response.outputs.find((tensor) => tensor.name === 'output')?.contents?.floatValues ?? [];
    expect(probability).toHaveLength(1);
    expect(
      Math.abs((probability[0] ?? 0) - Number(expected.output?.data[0] ?? Number.NaN)),
    ).toBeLessThanOrEqual(1e-6);
  });

  describe.each(DTYPE_NAMES)('dtype %s', (dtype) => {
    const values = dtype === 'bool' ? [false, true, true, false, true, false] : [0, 1, 2, 3, 100, 7];
    const sample = (): TensorData => tensorFromValues(dtype, [2, 3], values, 'x');

    it('round-trips raw bytes exactly', async () => {
      const tensor = sample();
      const response = await infer({ model: `identity-${dtype}`, inputs: [rawTensor('x', tensor)] });
      expect(response.outputs[0]?.dtype).toBe(wireDType(dtype));
      expect(
        Buffer.compare(response.outputs[0]?.raw ?? Buffer.alloc(0), Buffer.from(tensorBytes(tensor))),
      ).toBe(0);
    });

    it('round-trips typed contents', async () => {
      const field = {
        float32: 'floatValues',
        float16: 'floatValues',
        float64: 'doubleValues',
        int8: 'intValues',
        int16: 'intValues',
        int32: 'intValues',
        uint8: 'intValues',
        uint16: 'intValues',
        int64: 'int64Values',
        uint32: 'uintValues',
        uint64: 'uint64Values',
        bool: 'boolValues',
      }[dtype];
      const wireValues = field === 'int64Values' || field === 'uint64Values' ? values.map(String) : values;
      const response = await infer({
        model: `identity-${dtype}`,
        outputEncoding: 'OUTPUT_ENCODING_CONTENTS',
        inputs: [{ name: 'x', dtype: wireDType(dtype), shape: [2, 3], contents: { [field]: wireValues } }],
      });
      expect(response.outputs[0]?.contents?.[field as 'floatValues']).toEqual(wireValues);
    });
  });

  const relu = (tensor: Partial<Tensor>): InferRequest => ({
    model: 'relu',
    inputs: [
      {
        name: 'x',
        dtype: 'DATA_TYPE_FLOAT32',
        shape: [1, 4],
        contents: { floatValues: [1, -2, 3, -4] },
        ...tensor,
      },
    ],
  });

  it('fills open dimensions from the request', async () => {
    const response = await infer({
      model: 'relu',
      outputEncoding: 'OUTPUT_ENCODING_CONTENTS',
      inputs: [
        {
          name: 'x',
          dtype: 'DATA_TYPE_FLOAT32',
          shape: [2, 4],
          contents: { floatValues: [1, -2, 3, -4, -5, 6, -7, 8] },
        },
      ],
    });
    expect(response.outputs[0]?.contents?.floatValues).toEqual([1, 0, 3, 0, 0, 6, 0, 8]);
    expect(response.outputs[0]?.shape).toEqual(['2', '4']);
  });

  it.each([
    ['an unknown model', { ...relu({}), model: 'nope' }, status.NOT_FOUND, "model 'nope' is not registered"],
    ['an unknown version', { ...relu({}), version: 9 }, status.NOT_FOUND, 'has no version 9'],
    ['a wrong input name', relu({ name: 'y' }), status.INVALID_ARGUMENT, "needs input 'x'"],
    [
      'a wrong dtype',
      relu({ dtype: 'DATA_TYPE_INT32', contents: { intValues: [1, 2, 3, 4] } }),
      status.INVALID_ARGUMENT,
      "input 'x' must be float32, got int32",
    ],
    [
      'a wrong rank',
      relu({ shape: [4] }),
      status.INVALID_ARGUMENT,
      "input 'x' must have shape [?,4], got [4]",
    ],
    ['a wrong fixed dimension', relu({ shape: [2, 2] }), status.INVALID_ARGUMENT, 'must have shape [?,4]'],
    [
      'too few values',
      relu({ contents: { floatValues: [1, 2] } }),
      status.INVALID_ARGUMENT,
      '2 values given',
    ],
    [
      'raw bytes of the wrong length',
      relu({ raw: Buffer.alloc(15), contents: null }),
      status.INVALID_ARGUMENT,
      '15 bytes given',
    ],
    [
      'values in the wrong list',
      relu({ contents: { doubleValues: [1, 2, 3, 4] } }),
      status.INVALID_ARGUMENT,
      'contents.float_values',
    ],
    ['no dtype', relu({ dtype: 'DATA_TYPE_UNSPECIFIED' }), status.INVALID_ARGUMENT, 'dtype must be set'],
    ['no data', relu({ contents: null }), status.INVALID_ARGUMENT, 'set raw or contents'],
    [
      'an unknown requested output',
      { ...relu({}), outputs: ['z'] },
      status.INVALID_ARGUMENT,
      "has no output 'z'",
    ],
    ['an empty model name', { ...relu({}), model: '' }, status.INVALID_ARGUMENT, 'model name is empty'],
  ] satisfies [string, InferRequest, status, string][])('rejects %s', async (_, request, code, message) => {
    const error = await callError(infer(request));
    expect(error.code).toBe(code);
    expect(error.details).toContain(message);
  });

  it('rejects an input given twice and an extra input', async () => {
    const x = {
      name: 'x',
      dtype: 'DATA_TYPE_FLOAT32',
      shape: [1, 4],
      contents: { floatValues: [1, 2, 3, 4] },
    } satisfies Tensor;
    const twice = await callError(infer({ model: 'relu', inputs: [x, x] }));
    expect([twice.code, twice.details]).toEqual([status.INVALID_ARGUMENT, "input 'x' is given twice"]);
    const extra = await callError(infer({ model: 'relu', inputs: [x, { ...x, name: 'w' }] }));
    expect(extra.code).toBe(status.INVALID_ARGUMENT);
    expect(extra.details).toContain("no input named 'w'");
  });

  it('returns only the requested outputs, in the requested order', async () => {
    const feeds = exampleFeeds('silero-vad-v5', { seed: 5 });
    const response = await infer({
      model: 'vad',
      outputs: ['stateN', 'output'],
      inputs: Object.entries(feeds).map(([name, tensor]) => rawTensor(name, tensor)),
    });
    expect(response.outputs.map((tensor) => tensor.name)).toEqual(['stateN', 'output']);
    const only = await infer({
      model: 'vad',
      outputs: ['output'],
      inputs: Object.entries(feeds).map(([name, tensor]) => rawTensor(name, tensor)),
    });
    expect(only.outputs.map((tensor) => tensor.name)).toEqual(['output']);
  });

  it('keeps serving every model after all those errors', async () => {
    const response = await infer({ ...relu({}), outputEncoding: 'OUTPUT_ENCODING_CONTENTS' });
    expect(response.outputs[0]?.contents?.floatValues).toEqual([1, 0, 3, 0]);
    const { models } = await t.clients.models.ListModels({});
    expect(models).toHaveLength(3 + DTYPE_NAMES.length);
  });
});

describe('Infer under overload, deadlines, cancellation and size limits', () => {
  let t: TestServer;
  let detRequest: InferRequest;

  beforeAll(async () => {
    // One worker, one request slot and a one-deep queue make overload easy to provoke; 640x640
    // PP-OCR det takes tens of ms.
    t = await startTestServer({
      cpuThreads: 1,
      requestSlotsPerThread: 1,
      maxQueueLength: 1,
      maxModelBytes: 8 * 1024 * 1024,
      maxMessageBytes: 10 * 1024 * 1024,
    });
    await t.clients.models.RegisterModel({
      name: 'det',
      modelBytes: await readFile(modelPath('ppocr-det')),
      inputShapes: [{ name: 'x', shape: [1, 3, 640, 640] }],
    });
    await t.clients.models.RegisterModel({
      name: 'relu',
      modelBytes: Buffer.from(reluModel({ dims: ['N', 4] })),
    });
    const x = exampleFeeds('ppocr-det', { seed: 1 }).x;
    if (!x) throw new Error('no det feed');
    detRequest = { model: 'det', inputs: [rawTensor('x', x)] };
    await t.clients.inference.Infer(detRequest); // warm the session
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('sheds load beyond the queue bound with RESOURCE_EXHAUSTED, and serves the rest', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => t.clients.inference.Infer(detRequest)),
    );
    const codes = results.map((result) =>
      result.status === 'fulfilled' ? status.OK : (result.reason as { code: number }).code,
    );
    expect(codes.filter((code) => code === status.OK).length).toBeGreaterThanOrEqual(2);
    expect(codes.filter((code) => code === status.RESOURCE_EXHAUSTED).length).toBeGreaterThanOrEqual(1);
    expect(codes.every((code) => code === status.OK || code === status.RESOURCE_EXHAUSTED)).toBe(true);
    const rejected = results.find((result) => result.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason.details).toContain(
      "model 'det@1' already has 1 requests queued",
    );
  });

  it('fails a request whose deadline passes while queued, and keeps serving', async () => {
    const busy = t.clients.inference.Infer(detRequest);
    const error = await callError(t.clients.inference.Infer(detRequest, { deadlineMs: 5 }));
    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    await busy;
    await t.clients.inference.Infer(detRequest);
  });

  it('survives clients that disconnect while their request is queued or running', async () => {
    const running = new AbortController();
    const queued = new AbortController();
    const first = t.clients.inference.Infer(detRequest, { signal: running.signal });
    const second = t.clients.inference.Infer(detRequest, { signal: queued.signal });
    const served = t.server.catalog.resolve('det', 1).served;
    while (t.server.engine.pending(served) < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    running.abort();
    queued.abort();
    expect((await callError(first)).code).toBe(status.CANCELLED);
    expect((await callError(second)).code).toBe(status.CANCELLED);
    const response = await t.clients.inference.Infer(detRequest);
    expect(response.outputs[0]?.shape).toEqual(['1', '1', '640', '640']);
  });

  it('rejects a message over the size limit with RESOURCE_EXHAUSTED', async () => {
    const big = {
      name: 'x',
      dtype: 'DATA_TYPE_FLOAT32',
      shape: [1, 3 * 1024 * 1024],
      raw: Buffer.alloc(12 * 1024 * 1024),
    } satisfies Tensor;
    const error = await callError(t.clients.inference.Infer({ model: 'relu', inputs: [big] }));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    const fine = await t.clients.inference.Infer({
      model: 'relu',
      inputs: [{ name: 'x', dtype: 'DATA_TYPE_FLOAT32', shape: [1, 4], raw: Buffer.alloc(16) }],
    });
    expect(fine.outputs).toHaveLength(1);
  });
});

describe('UnregisterModel while requests are in flight', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ cpuThreads: 1 });
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('finishes the requests already admitted, answers after them, then forgets the model', async () => {
    await t.clients.models.RegisterModel({ name: 'rec', modelBytes: await readFile(modelPath('ppocr-rec')) });
    const x = exampleFeeds('ppocr-rec', { seed: 2 }).x;
    if (!x) throw new Error('no rec feed');
    const request: InferRequest = { model: 'rec', inputs: [rawTensor('x', x)] };
    await t.clients.inference.Infer(request); // load the session
    const finishedAt: number[] = [];
    const inflight = Array.from({ length: 3 }, () =>
      t.clients.inference.Infer(request).then((response) => {
        finishedAt.push(performance.now());
        return response;
      }),
    );
    const served = t.server.catalog.resolve('rec', 1).served;
    while (t.server.engine.pending(served) < 3) await new Promise((resolve) => setTimeout(resolve, 1));
    const unregisterSentAt = performance.now();
    const { removed } = await t.clients.models.UnregisterModel({ name: 'rec' });
    const unregisteredAt = performance.now();
    expect(removed.map((model) => model.name)).toEqual(['rec']);
    for (const response of await Promise.all(inflight))
      expect(response.outputs[0]?.shape).toEqual(['1', '40', '6625']);
    expect(Math.max(...finishedAt)).toBeGreaterThan(unregisterSentAt);
    expect(unregisteredAt).toBeGreaterThanOrEqual(Math.max(...finishedAt));
    expect((await callError(t.clients.inference.Infer(request))).code).toBe(status.NOT_FOUND);
  });
});

describe('the ONNX element type codes', () => {
  it('agree with onnx-proto for every dtype hetsched carries', () => {
    const codes = onnx.TensorProto.DataType as unknown as Record<string, number>;
    const names: Record<DType, string> = {
      float32: 'FLOAT',
      float16: 'FLOAT16',
      float64: 'DOUBLE',
      int8: 'INT8',
      int16: 'INT16',
      int32: 'INT32',
      int64: 'INT64',
      uint8: 'UINT8',
      uint16: 'UINT16',
      uint32: 'UINT32',
      uint64: 'UINT64',
      bool: 'BOOL',
    };
    for (const dtype of DTYPE_NAMES)
      expect([dtype, DTYPES[dtype].onnx]).toEqual([dtype, codes[names[dtype]]]);
  });
});
