import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { expectRejects, RELU_DYNAMIC, request, useRepository } from './repository.test-fixture.js';

describe('ModelRepository', () => {
  const { open } = useRepository();

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
});
