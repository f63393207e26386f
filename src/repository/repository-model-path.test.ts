import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { MODEL_FILE } from './repository.js';
import { expectRejects, RELU, request, sha256, useRepository } from './repository.test-fixture.js';

describe('ModelRepository', () => {
  const fixture = useRepository();
  const { open } = fixture;

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
      await writeFile(join(fixture.base, 'outside.onnx'), RELU);
      const rootName = fixture.root.slice(fixture.base.length + 1);
      await symlink(join(fixture.base, 'outside.onnx'), join(repository.root, 'escape.onnx'));
      await mkdir(join(repository.root, 'sub'));
      await symlink(fixture.base, join(repository.root, 'sub', 'up'));
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
});
