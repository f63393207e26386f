import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { MODEL_FILE } from './repository.js';
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
});
