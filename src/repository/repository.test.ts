import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { encodeModel, onnx } from '../onnx/index.js';
import { Engine } from '../runtime/index.js';
import { storedConfigSchema } from './config.js';
import {
  CONFIG_FILE,
  MODEL_FILE,
  ModelRepository,
  type RegisterRequest,
  type RepositoryOptions,
} from './repository.js';

const NOW_MS = 1_700_000_000_000;

/** y = Relu(x) over float32; string dims are open (dim_param). */
function reluModel(options: { dims?: (number | string)[]; opset?: number } = {}): Uint8Array {
  const shape = {
    dim: (options.dims ?? [1, 4]).map((dim) =>
      typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim },
    ),
  };
  const tensorType = { elemType: onnx.TensorProto.DataType.FLOAT, shape };
  // protobufjs gives a Buffer; a plain Uint8Array compares equal to what tests read back.
  return new Uint8Array(
    encodeModel(
      onnx.ModelProto.create({
        irVersion: 8,
        producerName: 'hetsched-test',
        producerVersion: '1.0',
        opsetImport: [{ domain: '', version: options.opset ?? 17 }],
        graph: {
          name: 'relu',
          node: [{ opType: 'Relu', input: ['x'], output: ['y'], name: 'relu0' }],
          input: [{ name: 'x', type: { tensorType } }],
          output: [{ name: 'y', type: { tensorType } }],
        },
      }),
    ),
  );
}

const RELU = reluModel();
const RELU_DYNAMIC = reluModel({ dims: ['N', 4] });
const RELU_OPSET_99 = reluModel({ opset: 99 });
/** Not a protobuf: field 0 is never valid. */
const GARBAGE = new Uint8Array([0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x42]);

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function request(
  name: string,
  source: RegisterRequest['source'],
  extra: Partial<RegisterRequest> = {},
): RegisterRequest {
  return { name, version: 0, tenant: '', qos: undefined, inputShapes: new Map(), source, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<HetschedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HetschedError) return error;
    throw new Error(`expected a HetschedError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a rejection');
}

async function expectRejects(promise: Promise<unknown>, code: Code, fragment: string): Promise<void> {
  const error = await rejection(promise);
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: expect.stringContaining(fragment),
  });
}

describe('ModelRepository', () => {
  let engine: Engine;
  let base: string;
  let root: string;
  let options: RepositoryOptions;
  let counter = 0;

  const open = async (overrides: Partial<RepositoryOptions> = {}) =>
    ModelRepository.open({ ...options, ...overrides });

  beforeAll(async () => {
    engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 4 });
    base = await mkdtemp(join(tmpdir(), 'hetsched-'));
  });
  afterAll(async () => {
    await engine.close();
    await rm(base, { recursive: true, force: true });
  });
  beforeEach(() => {
    // A fresh, not yet existing root per test, inside a folder that holds things outside it.
    root = join(base, `repo-${++counter}`);
    options = {
      root,
      maxModelBytes: 1024 * 1024,
      inspect: (bytes) => engine.inspect(bytes),
      now: () => NOW_MS,
    };
  });

  describe('register and look up', () => {
    it('creates a missing root and starts empty', async () => {
      const { repository, problems } = await open();
      expect(existsSync(root)).toBe(true);
      expect(repository.list()).toEqual([]);
      expect(problems).toEqual([]);
    });

    it('registers from bytes: describes the model and publishes model.onnx and config.json', async () => {
      const { repository } = await open();
      const record = await repository.register(request('relu', { bytes: RELU }));
      const folder = join(repository.root, 'relu', '1');
      const spec = { name: 'x', dtype: 'float32', shape: [1, 4], dimNames: ['', ''] };
      expect(record).toEqual({
        name: 'relu',
        version: 1,
        tenant: 'relu',
        qos: { latencySloMs: 100, weight: 1, requestRatePerS: 0 },
        inputs: [spec],
        outputs: [{ ...spec, name: 'y' }],
        declaredInputs: [spec],
        inputShapes: new Map(),
        sha256: sha256(RELU),
        sizeBytes: RELU.byteLength,
        irVersion: 8,
        opsets: new Map([['', 17]]),
        producer: 'hetsched-test 1.0',
        nodeCount: 1,
        registeredAtUnixMs: NOW_MS,
        path: join(folder, MODEL_FILE),
      });
      expect(new Uint8Array(await readFile(join(folder, MODEL_FILE)))).toEqual(RELU);
      const config = storedConfigSchema.parse(JSON.parse(await readFile(join(folder, CONFIG_FILE), 'utf8')));
      expect(config).toMatchObject({ schemaVersion: 1, name: 'relu', version: 1, tenant: 'relu' });
      expect(config.model.sha256).toBe(sha256(RELU));
      // Published with one rename: no scratch folder is left behind.
      expect((await readdir(repository.root)).sort()).toEqual(['relu']);
    });

    it('keeps tenant, QoS and version as given', async () => {
      const { repository } = await open();
      const record = await repository.register(
        request(
          'relu',
          { bytes: RELU },
          { version: 3, tenant: 'team-a', qos: { latencySloMs: 20, weight: 2 } },
        ),
      );
      expect(record).toMatchObject({
        version: 3,
        tenant: 'team-a',
        qos: { latencySloMs: 20, weight: 2, requestRatePerS: 0 },
      });
    });

    it('gets a version, version 0 being the latest, and says what exists when missing', async () => {
      const { repository } = await open();
      await repository.register(request('relu', { bytes: RELU }, { version: 1 }));
      await repository.register(request('relu', { bytes: RELU_DYNAMIC }, { version: 2 }));
      expect(repository.get('relu', 0).version).toBe(2);
      expect(repository.get('relu', 0).sha256).toBe(sha256(RELU_DYNAMIC));
      expect(repository.get('relu', 1).sha256).toBe(sha256(RELU));

      expect(() => repository.get('relu', 3)).toThrow(
        new HetschedError(Code.NotFound, "model 'relu' has no version 3 (versions: 1, 2)"),
      );
      let missing: unknown;
      try {
        repository.get('nope', 0);
      } catch (error) {
        missing = error;
      }
      expect(missing).toBeInstanceOf(HetschedError);
      expect(missing).toMatchObject({ code: Code.NotFound, message: "model 'nope' is not registered" });
    });

    it('lists by name then version, all or one tenant', async () => {
      const { repository } = await open();
      await repository.register(request('zeta', { bytes: RELU }, { tenant: 'team-a' }));
      await repository.register(request('alpha', { bytes: RELU }, { version: 10, tenant: 'team-b' }));
      await repository.register(request('alpha', { bytes: RELU }, { version: 2, tenant: 'team-a' }));
      const names = (tenant?: string) => repository.list(tenant).map((r) => `${r.name}@${r.version}`);
      expect(names()).toEqual(['alpha@2', 'alpha@10', 'zeta@1']);
      expect(names('')).toEqual(['alpha@2', 'alpha@10', 'zeta@1']);
      expect(names('team-a')).toEqual(['alpha@2', 'zeta@1']);
      expect(names('team-b')).toEqual(['alpha@10']);
      expect(names('nobody')).toEqual([]);
    });

    it('refuses a version that is already registered with ALREADY_EXISTS', async () => {
      const { repository } = await open();
      await repository.register(request('relu', { bytes: RELU }));
      await expectRejects(
        repository.register(request('relu', { bytes: RELU_DYNAMIC }, { version: 1 })),
        Code.AlreadyExists,
        "model 'relu' version 1 is already registered",
      );
      expect(repository.get('relu', 1).sha256).toBe(sha256(RELU));
    });

    it('lets exactly one of two concurrent registrations of a version win', async () => {
      const { repository } = await open();
      const results = await Promise.allSettled([
        repository.register(request('relu', { bytes: RELU })),
        repository.register(request('relu', { bytes: RELU_DYNAMIC })),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
      const [, lost] = results;
      expect(lost?.status === 'rejected' && lost.reason).toMatchObject({ code: Code.AlreadyExists });
      expect(repository.list().map((record) => record.sha256)).toEqual([sha256(RELU)]);
    });

    it.each([
      ['../x', "model name '../x' is not valid"],
      ['.hidden', "model name '.hidden' is not valid"],
      ['a/b', "model name 'a/b' is not valid"],
      ['', "model name '' is not valid"],
    ])('rejects the model name %j with INVALID_ARGUMENT', async (name, fragment) => {
      const { repository } = await open();
      // Regression: register threw synchronously instead of returning a rejected promise.
      const pending = repository.register(request(name, { bytes: RELU }));
      await expectRejects(pending, Code.InvalidArgument, fragment);
      expect(await readdir(repository.root)).toEqual([]);
    });

    it('rejects a bad tenant name or version with INVALID_ARGUMENT', async () => {
      const { repository } = await open();
      await expectRejects(
        repository.register(request('relu', { bytes: RELU }, { tenant: 'team a' })),
        Code.InvalidArgument,
        "tenant name 'team a' is not valid",
      );
      await expectRejects(
        repository.register(request('relu', { bytes: RELU }, { version: -1 })),
        Code.InvalidArgument,
        'version must be a positive integer, got -1',
      );
      expect(repository.list()).toEqual([]);
    });

    it('rejects invalid QoS with INVALID_ARGUMENT', async () => {
      const { repository } = await open();
      await expectRejects(
        repository.register(request('relu', { bytes: RELU }, { qos: { latencySloMs: -1 } })),
        Code.InvalidArgument,
        'qos.latency_slo_ms must be a finite number >= 0, got -1',
      );
      await expectRejects(
        repository.register(request('relu', { bytes: RELU }, { qos: { weight: Number.NaN } })),
        Code.InvalidArgument,
        'qos.weight must be a finite number >= 0, got NaN',
      );
      expect(repository.list()).toEqual([]);
    });
  });

  describe('input shapes', () => {
    it('applies input_shapes to open dimensions and records both signatures', async () => {
      const { repository } = await open();
      const record = await repository.register(
        request('dyn', { bytes: RELU_DYNAMIC }, { inputShapes: new Map([['x', [8, 4]]]) }),
      );
      expect(record.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [8, 4], dimNames: ['N', ''] }]);
      expect(record.declaredInputs).toEqual([
        { name: 'x', dtype: 'float32', shape: [-1, 4], dimNames: ['N', ''] },
      ]);
      expect(record.inputShapes).toEqual(new Map([['x', [8, 4]]]));
    });

    it.each([
      [
        'a wrong rank',
        new Map([['x', [8, 4, 1]]]),
        "input_shapes for 'x' has rank 3, but the model declares [?,4]",
      ],
      [
        'a conflicting fixed dimension',
        new Map([['x', [8, 5]]]),
        "input_shapes for 'x': dimension 1 is fixed at 4 by the model, not 5",
      ],
      [
        'an unknown input',
        new Map([['z', [1]]]),
        "input_shapes names 'z', which is not a model input (inputs: x)",
      ],
    ])('rejects %s with INVALID_ARGUMENT and stores nothing', async (_label, inputShapes, message) => {
      const { repository } = await open();
      await expectRejects(
        repository.register(request('dyn', { bytes: RELU_DYNAMIC }, { inputShapes })),
        Code.InvalidArgument,
        message,
      );
      expect(repository.list()).toEqual([]);
      expect(await readdir(repository.root)).toEqual([]);
    });
  });

  describe('model validation', () => {
    it('refuses a model over the size limit with RESOURCE_EXHAUSTED, from bytes and from a path', async () => {
      const { repository } = await open({ maxModelBytes: RELU.byteLength - 1 });
      await expectRejects(
        repository.register(request('big', { bytes: RELU })),
        Code.ResourceExhausted,
        `the model is ${RELU.byteLength} bytes, over the server's limit of ${RELU.byteLength - 1} (--max-model-bytes)`,
      );
      await writeFile(join(repository.root, 'big.onnx'), RELU);
      await expectRejects(
        repository.register(request('big', { path: 'big.onnx' })),
        Code.ResourceExhausted,
        `the model is ${RELU.byteLength} bytes, over the server's limit`,
      );
      expect(repository.list()).toEqual([]);
    });

    it('accepts a model of exactly the size limit', async () => {
      const { repository } = await open({ maxModelBytes: RELU.byteLength });
      await expect(repository.register(request('fits', { bytes: RELU }))).resolves.toMatchObject({
        sizeBytes: RELU.byteLength,
      });
    });

    it('refuses empty bytes, garbage and a model onnxruntime cannot load with INVALID_ARGUMENT', async () => {
      const { repository } = await open();
      await expectRejects(
        repository.register(request('empty', { bytes: new Uint8Array() })),
        Code.InvalidArgument,
        'the model is empty (0 bytes)',
      );
      await expectRejects(
        repository.register(request('garbage', { bytes: GARBAGE })),
        Code.InvalidArgument,
        'the model bytes are not an ONNX protobuf (ModelProto)',
      );
      await expectRejects(
        repository.register(request('opset99', { bytes: RELU_OPSET_99 })),
        Code.InvalidArgument,
        'onnxruntime cannot load the model',
      );
      expect(repository.list()).toEqual([]);
      expect(await readdir(repository.root)).toEqual([]);
    });
  });

  describe('model_path', () => {
    it('registers a file inside the root, copying it into the version folder', async () => {
      const { repository } = await open();
      await mkdir(join(repository.root, 'incoming'));
      await writeFile(join(repository.root, 'incoming', 'relu.onnx'), RELU);
      const record = await repository.register(request('relu', { path: 'incoming/relu.onnx' }));
      expect(record.sha256).toBe(sha256(RELU));
      expect(record.path).toBe(join(repository.root, 'relu', '1', MODEL_FILE));
      expect(new Uint8Array(await readFile(record.path))).toEqual(RELU);
      expect(existsSync(join(repository.root, 'incoming', 'relu.onnx'))).toBe(true);
    });

    it('follows a symlink that stays inside the root', async () => {
      const { repository } = await open();
      await writeFile(join(repository.root, 'real.onnx'), RELU);
      await symlink(join(repository.root, 'real.onnx'), join(repository.root, 'alias.onnx'));
      await expect(repository.register(request('relu', { path: 'alias.onnx' }))).resolves.toMatchObject({
        sha256: sha256(RELU),
      });
    });

    it('refuses paths that lead outside the root with PERMISSION_DENIED', async () => {
      const { repository } = await open();
      await writeFile(join(base, 'outside.onnx'), RELU);
      const rootName = root.slice(base.length + 1);
      await symlink(join(base, 'outside.onnx'), join(repository.root, 'escape.onnx'));
      await mkdir(join(repository.root, 'sub'));
      await symlink(base, join(repository.root, 'sub', 'up'));
      for (const path of [
        '../outside.onnx',
        `../${rootName}/../outside.onnx`,
        '../missing.onnx',
        'escape.onnx',
        'sub/up/outside.onnx',
        // Missing behind the symlinked folder: must not answer NOT_FOUND, which would reveal what exists outside.
        'sub/up/missing.onnx',
      ]) {
        await expectRejects(
          repository.register(request('relu', { path })),
          Code.PermissionDenied,
          `model_path '${path}' leads outside the model repository`,
        );
      }
      expect(repository.list()).toEqual([]);
    });

    it('refuses an absolute or empty path with INVALID_ARGUMENT', async () => {
      const { repository } = await open();
      const absolute = join(repository.root, 'relu.onnx');
      await writeFile(absolute, RELU);
      await expectRejects(
        repository.register(request('relu', { path: absolute })),
        Code.InvalidArgument,
        `model_path must be relative to the model repository root, got '${absolute}'`,
      );
      await expectRejects(
        repository.register(request('relu', { path: '' })),
        Code.InvalidArgument,
        "model_path must be relative to the model repository root, got ''",
      );
    });

    it('says NOT_FOUND for a missing file and INVALID_ARGUMENT for a folder', async () => {
      const { repository } = await open();
      await mkdir(join(repository.root, 'incoming'));
      await expectRejects(
        repository.register(request('relu', { path: 'incoming/nope.onnx' })),
        Code.NotFound,
        "model_path 'incoming/nope.onnx' does not exist in the model repository",
      );
      // Every folder on the way missing too: the nearest existing one is the root itself.
      await expectRejects(
        repository.register(request('relu', { path: 'no/such/dir/nope.onnx' })),
        Code.NotFound,
        "model_path 'no/such/dir/nope.onnx' does not exist in the model repository",
      );
      await expectRejects(
        repository.register(request('relu', { path: 'incoming' })),
        Code.InvalidArgument,
        "model_path 'incoming' is not a file",
      );
    });
  });

  describe('unregister', () => {
    it('removes one version from disk and the index', async () => {
      const { repository } = await open();
      const first = await repository.register(request('relu', { bytes: RELU }, { version: 1 }));
      await repository.register(request('relu', { bytes: RELU }, { version: 2 }));
      await expect(repository.unregister('relu', 1)).resolves.toEqual([first]);
      expect(existsSync(join(repository.root, 'relu', '1'))).toBe(false);
      expect(existsSync(join(repository.root, 'relu', '2', MODEL_FILE))).toBe(true);
      expect(repository.list().map((record) => record.version)).toEqual([2]);
      expect(() => repository.get('relu', 1)).toThrow("model 'relu' has no version 1 (versions: 2)");
    });

    it('removes every version for version 0, and the emptied model folder', async () => {
      const { repository } = await open();
      const first = await repository.register(request('relu', { bytes: RELU }, { version: 1 }));
      const second = await repository.register(request('relu', { bytes: RELU }, { version: 2 }));
      const other = await repository.register(request('other', { bytes: RELU }));
      await expect(repository.unregister('relu', 0)).resolves.toEqual([first, second]);
      expect(repository.list()).toEqual([other]);
      expect(() => repository.get('relu', 0)).toThrow("model 'relu' is not registered");
      // Regression: the empty model folder was meant to go, but rm without `recursive` never removes a folder.
      expect((await readdir(repository.root)).sort()).toEqual(['other']);
    });

    it('keeps a model folder that holds other files', async () => {
      const { repository } = await open();
      await repository.register(request('relu', { bytes: RELU }));
      await writeFile(join(repository.root, 'relu', 'NOTES.txt'), 'mine');
      await repository.unregister('relu', 0);
      expect(await readdir(join(repository.root, 'relu'))).toEqual(['NOTES.txt']);
      expect(repository.list()).toEqual([]);
    });

    it('says NOT_FOUND for what is not registered', async () => {
      const { repository } = await open();
      await expectRejects(repository.unregister('relu', 0), Code.NotFound, "model 'relu' is not registered");
      await repository.register(request('relu', { bytes: RELU }));
      await expectRejects(repository.unregister('relu', 2), Code.NotFound, "model 'relu' has no version 2");
      expect(repository.list()).toHaveLength(1);
    });

    it('lets the same version be registered again afterwards', async () => {
      const { repository } = await open();
      await repository.register(request('relu', { bytes: RELU }));
      await repository.unregister('relu', 1);
      const again = await repository.register(request('relu', { bytes: RELU_DYNAMIC }));
      expect(again.sha256).toBe(sha256(RELU_DYNAMIC));
    });
  });

  describe('persistence and crash safety', () => {
    it('finds the same records after reopening the root', async () => {
      const { repository } = await open();
      await repository.register(
        request(
          'dyn',
          { bytes: RELU_DYNAMIC },
          {
            version: 4,
            tenant: 'team-a',
            qos: { latencySloMs: 15, weight: 3, requestRatePerS: 120 },
            inputShapes: new Map([['x', [2, 4]]]),
          },
        ),
      );
      await repository.register(request('relu', { bytes: RELU }));
      await repository.unregister('dyn', 4);
      await repository.register(
        request('dyn', { bytes: RELU_DYNAMIC }, { version: 5, inputShapes: new Map([['x', [3, -1]]]) }),
      );
      const before = repository.list();

      const reopened = await open({ now: () => 0 });
      expect(reopened.problems).toEqual([]);
      expect(reopened.repository.list()).toEqual(before);
      expect(reopened.repository.get('dyn', 0).inputs).toEqual([
        { name: 'x', dtype: 'float32', shape: [3, 4], dimNames: ['N', ''] },
      ]);
    });

    it('removes leftover scratch and trash folders on open and never lists them', async () => {
      const { repository } = await open();
      await repository.register(request('relu', { bytes: RELU }));
      const scratch = join(repository.root, '.tmp-0b6a2c1e');
      const trash = join(repository.root, '.trash-5f1d9e77');
      for (const folder of [scratch, trash]) {
        await mkdir(folder);
        await writeFile(join(folder, MODEL_FILE), RELU);
        await writeFile(
          join(folder, CONFIG_FILE),
          await readFile(join(repository.root, 'relu', '1', CONFIG_FILE)),
        );
      }

      const reopened = await open();
      expect(reopened.problems).toEqual([]);
      expect(existsSync(scratch)).toBe(false);
      expect(existsSync(trash)).toBe(false);
      expect(reopened.repository.list().map((record) => record.name)).toEqual(['relu']);
    });

    it('reports a version folder without config.json, serves nothing from it and deletes nothing', async () => {
      const { repository } = await open();
      const folder = join(repository.root, 'ghost', '1');
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, MODEL_FILE), RELU);

      const reopened = await open();
      expect(reopened.problems).toEqual([
        {
          path: folder,
          reason: 'no config.json: not registered (register the file with RegisterModel model_path)',
        },
      ]);
      expect(reopened.repository.list()).toEqual([]);
      expect(new Uint8Array(await readFile(join(folder, MODEL_FILE)))).toEqual(RELU);
      // The folder is in the way of a registration, which says so rather than overwrite it.
      await expectRejects(
        reopened.repository.register(request('ghost', { bytes: RELU })),
        Code.AlreadyExists,
        'the repository already has a folder ghost/1 that is not a registered model',
      );
      // And it can be registered from where it lies.
      await expect(
        reopened.repository.register(request('ghost', { path: 'ghost/1/model.onnx' }, { version: 2 })),
      ).resolves.toMatchObject({ version: 2, sha256: sha256(RELU) });
    });

    it('reports a model whose sha256 differs from its config, serving it no longer and keeping its files', async () => {
      const { repository } = await open();
      await repository.register(request('relu', { bytes: RELU }, { version: 1 }));
      await repository.register(request('relu', { bytes: RELU }, { version: 2 }));
      const tampered = join(repository.root, 'relu', '1', MODEL_FILE);
      await writeFile(tampered, RELU_DYNAMIC);

      const reopened = await open();
      expect(reopened.problems).toEqual([
        {
          path: join(repository.root, 'relu', '1'),
          reason: `model.onnx has sha256 ${sha256(RELU_DYNAMIC)}, but config.json records ${sha256(RELU)}`,
        },
      ]);
      expect(reopened.repository.list().map((record) => record.version)).toEqual([2]);
      expect(new Uint8Array(await readFile(tampered))).toEqual(RELU_DYNAMIC);
      expect(existsSync(join(repository.root, 'relu', '1', CONFIG_FILE))).toBe(true);
    });

    it('reports unreadable or mismatched config.json files', async () => {
      const { repository } = await open();
      await repository.register(request('relu', { bytes: RELU }));
      const config = await readFile(join(repository.root, 'relu', '1', CONFIG_FILE), 'utf8');
      await mkdir(join(repository.root, 'broken', '1'), { recursive: true });
      await writeFile(join(repository.root, 'broken', '1', CONFIG_FILE), '{ not json');
      await writeFile(join(repository.root, 'broken', '1', MODEL_FILE), RELU);
      await mkdir(join(repository.root, 'moved', '1'), { recursive: true });
      await writeFile(join(repository.root, 'moved', '1', CONFIG_FILE), config);
      await writeFile(join(repository.root, 'moved', '1', MODEL_FILE), RELU);
      await mkdir(join(repository.root, 'schema', '1'), { recursive: true });
      await writeFile(
        join(repository.root, 'schema', '1', CONFIG_FILE),
        config.replace('"schemaVersion": 1', '"schemaVersion": 2'),
      );
      await writeFile(join(repository.root, 'schema', '1', MODEL_FILE), RELU);

      const reopened = await open();
      const reasons = new Map(reopened.problems.map((problem) => [problem.path, problem.reason]));
      expect([...reasons.keys()].sort()).toEqual(
        ['broken', 'moved', 'schema'].map((name) => join(repository.root, name, '1')),
      );
      expect(reasons.get(join(repository.root, 'broken', '1'))).toMatch(/JSON/);
      expect(reasons.get(join(repository.root, 'moved', '1'))).toBe(
        "config.json describes relu@1, not the folder's moved@1",
      );
      expect(reasons.get(join(repository.root, 'schema', '1'))).toMatch(
        /^invalid config\.json: .*schemaVersion/s,
      );
      expect(reopened.repository.list().map((record) => record.name)).toEqual(['relu']);
    });

    it('ignores files and folders that are not version folders', async () => {
      const { repository } = await open();
      await writeFile(join(repository.root, 'README.txt'), 'hello');
      await mkdir(join(repository.root, 'relu', 'drafts'), { recursive: true });
      await mkdir(join(repository.root, 'relu', '0'), { recursive: true });
      await mkdir(join(repository.root, '.git'), { recursive: true });
      const reopened = await open();
      expect(reopened.problems).toEqual([]);
      expect(reopened.repository.list()).toEqual([]);
      expect(existsSync(join(repository.root, 'relu', 'drafts'))).toBe(true);
      expect(existsSync(join(repository.root, '.git'))).toBe(true);
    });
  });
});
