import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFeeds, modelPath } from '../src/models/index.js';
import { tensorBytes } from '../src/tensor/index.js';
import { bufCurl } from './helpers/buf-curl.js';
import { maxAbsDiff, referenceRun } from './helpers/reference.js';
import { startTestServer, type TestServer } from './helpers/server.js';

interface CurlTensor {
  name: string;
  dtype: string;
  shape: string[];
  raw?: string;
}

describe('a client that knows only server reflection (buf curl)', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
    await mkdir(join(t.repository, 'incoming'));
    await copyFile(modelPath('ppocr-rec'), join(t.repository, 'incoming', 'rec.onnx'));
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('lists the services and finds the health check SERVING', async () => {
    expect(await bufCurl(t.address, 'grpc.health.v1.Health/Check', {})).toEqual({ status: 'SERVING' });
    expect(
      await bufCurl(t.address, 'grpc.health.v1.Health/Check', { service: 'hetsched.v1.InferenceService' }),
    ).toEqual({
      status: 'SERVING',
    });
  });

  it('registers PP-OCR rec, lists it, and gets Infer outputs equal to onnxruntime (<= 1e-5)', async () => {
    const registered = (await bufCurl(t.address, 'hetsched.v1.ModelService/RegisterModel', {
      name: 'rec',
      tenant: 'ocr',
      qos: { latencySloMs: 50 },
      modelPath: 'incoming/rec.onnx',
      inputShapes: [{ name: 'x', shape: [1, 3, 48, 320] }],
    })) as { model: { name: string; sha256: string } };
    expect(registered.model.name).toBe('rec');

    const listed = (await bufCurl(t.address, 'hetsched.v1.ModelService/ListModels', {})) as {
      models: { name: string }[];
    };
    expect(listed.models.map((model) => model.name)).toEqual(['rec']);

    const feeds = exampleFeeds('ppocr-rec', { seed: 21 });
    const x = feeds.x;
    if (!x) throw new Error('no feed');
    const response = (await bufCurl(t.address, 'hetsched.v1.InferenceService/Infer', {
      model: 'rec',
      inputs: [
        {
          name: 'x',
          dtype: 'DATA_TYPE_FLOAT32',
          shape: x.dims,
          raw: Buffer.from(tensorBytes(x)).toString('base64'),
        },
      ],
    })) as { outputs: CurlTensor[] };
    const output = response.outputs[0];
    const expected = (await referenceRun(modelPath('ppocr-rec'), feeds))['softmax_11.tmp_0'];
    expect(output?.shape).toEqual(expected?.dims.map(String));
    const bytes = Buffer.from(output?.raw ?? '', 'base64');
    const got = new Float32Array(new Uint8Array(bytes).buffer);
    expect(maxAbsDiff(got, expected?.data as Float32Array)).toBeLessThanOrEqual(1e-5);
  });

  it('reports errors with their gRPC status', async () => {
    await expect(
      bufCurl(t.address, 'hetsched.v1.ModelService/GetModel', { name: 'missing' }),
    ).rejects.toThrow(/not_found/);
  });
});
