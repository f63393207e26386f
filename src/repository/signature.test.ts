import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import type { TensorSpec } from '../tensor/index.js';
import { applyInputShapes } from './signature.js';

const image: TensorSpec = {
  name: 'image',
  dtype: 'float32',
  shape: [-1, 3, -1, -1],
  dimNames: ['N', '', 'H', 'W'],
};
const mask: TensorSpec = { name: 'mask', dtype: 'bool', shape: [1, 8], dimNames: ['', ''] };

function expectInvalid(shapes: Record<string, number[]>, message: string): void {
  let caught: unknown;
  try {
    applyInputShapes([image, mask], new Map(Object.entries(shapes)));
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
  expect((caught as HetschedError).message).toBe(message);
}

describe('applyInputShapes', () => {
  it('returns the declared inputs when no shapes are given', () => {
    expect(applyInputShapes([image, mask], new Map())).toEqual([image, mask]);
  });

  it('fills open dimensions, keeps fixed ones and leaves -1 open', () => {
    const [applied, untouched] = applyInputShapes([image, mask], new Map([['image', [2, 3, 224, -1]]]));
    expect(applied).toEqual({
      name: 'image',
      dtype: 'float32',
      shape: [2, 3, 224, -1],
      dimNames: ['N', '', 'H', 'W'],
    });
    expect(untouched).toBe(mask);
    // The declared spec is not modified.
    expect(image.shape).toEqual([-1, 3, -1, -1]);
  });

  it('accepts -1 or the same size for a fixed dimension', () => {
    expect(applyInputShapes([mask], new Map([['mask', [-1, 8]]]))).toEqual([mask]);
    expect(applyInputShapes([mask], new Map([['mask', [1, 8]]]))).toEqual([mask]);
  });

  it('rejects a shape for an input the model does not have', () => {
    expectInvalid({ img: [1] }, "input_shapes names 'img', which is not a model input (inputs: image, mask)");
  });

  it('rejects another rank', () => {
    expectInvalid(
      { image: [1, 3, 224] },
      "input_shapes for 'image' has rank 3, but the model declares [?,3,?,?]",
    );
    expectInvalid({ mask: [] }, "input_shapes for 'mask' has rank 0, but the model declares [1,8]");
  });

  it('rejects a size that conflicts with a fixed dimension', () => {
    expectInvalid(
      { image: [1, 4, 224, 224] },
      "input_shapes for 'image': dimension 1 is fixed at 3 by the model, not 4",
    );
  });

  it('rejects sizes below -1 or not integers', () => {
    expectInvalid(
      { image: [-2, 3, 1, 1] },
      "input_shapes for 'image': dimension 0 is -2; use a size >= 0 or -1",
    );
    expectInvalid(
      { image: [1, 3, 1.5, 1] },
      "input_shapes for 'image': dimension 2 is 1.5; use a size >= 0 or -1",
    );
  });
});
