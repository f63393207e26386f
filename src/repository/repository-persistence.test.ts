import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { CONFIG_FILE, MODEL_FILE } from './repository.js';
import {
  expectRejects,
  RELU,
  RELU_DYNAMIC,
  request,
  sha256,
  useRepository,
} from './repository.test-fixture.js';

describe('ModelRepository', () => {
  const { open } = useRepository();

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
