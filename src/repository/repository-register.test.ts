import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { storedConfigSchema } from './config.js';
import { CONFIG_FILE, MODEL_FILE } from './repository.js';
import {
  expectRejects,
  NOW_MS,
  RELU,
  RELU_DYNAMIC,
  request,
  sha256,
  useRepository,
} from './repository.test-fixture.js';

describe('ModelRepository', () => {
  const fixture = useRepository();
  const { open } = fixture;

  describe('register and look up', () => {
    it('creates a missing root and starts empty', async () => {
      const { repository, problems } = await open();
      expect(existsSync(fixture.root)).toBe(true);
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
});
