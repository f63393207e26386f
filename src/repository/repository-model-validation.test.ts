import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { expectRejects, RELU, reluModel, request, useRepository } from './repository.test-fixture.js';

const RELU_OPSET_99 = reluModel({ opset: 99 });
/** Not a protobuf: field 0 is never valid. */
const GARBAGE = new Uint8Array([0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x42]);

describe('ModelRepository', () => {
  const { open } = useRepository();

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
});
