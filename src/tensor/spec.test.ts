import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { checkAgainstSpec, formatShape, type TensorSpec } from './spec.js';
import { type TensorData, zeros } from './tensor.js';

const image: TensorSpec = {
  name: 'image',
  dtype: 'float32',
  shape: [1, 3, -1, -1],
  dimNames: ['', '', 'H', 'W'],
};

function expectInvalid(tensor: TensorData, spec: TensorSpec, message: string): void {
  let caught: unknown;
  try {
    checkAgainstSpec(tensor, spec);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
  expect((caught as HetschedError).message).toBe(message);
}

describe('checkAgainstSpec', () => {
  it('accepts any size in open dimensions', () => {
    expect(() => checkAgainstSpec(zeros('float32', [1, 3, 32, 64]), image)).not.toThrow();
    expect(() => checkAgainstSpec(zeros('float32', [1, 3, 0, 1]), image)).not.toThrow();
  });

  it('accepts a scalar against a scalar spec', () => {
    const spec: TensorSpec = { name: 's', dtype: 'int64', shape: [], dimNames: [] };
    expect(() => checkAgainstSpec(zeros('int64', []), spec)).not.toThrow();
  });

  it('rejects another dtype', () => {
    expectInvalid(zeros('float16', [1, 3, 8, 8]), image, "input 'image' must be float32, got float16");
  });

  it('rejects another rank', () => {
    expectInvalid(zeros('float32', [3, 8, 8]), image, "input 'image' must have shape [1,3,?,?], got [3,8,8]");
    expectInvalid(
      zeros('float32', [1, 3, 8, 8, 1]),
      image,
      "input 'image' must have shape [1,3,?,?], got [1,3,8,8,1]",
    );
  });

  it('rejects a fixed dimension of another size', () => {
    expectInvalid(
      zeros('float32', [2, 3, 8, 8]),
      image,
      "input 'image' must have shape [1,3,?,?], got [2,3,8,8]",
    );
    expectInvalid(
      zeros('float32', [1, 4, 8, 8]),
      image,
      "input 'image' must have shape [1,3,?,?], got [1,4,8,8]",
    );
  });
});

describe('formatShape', () => {
  it('writes open dimensions as ?', () => {
    expect(formatShape([])).toBe('[]');
    expect(formatShape([1, -1, 0])).toBe('[1,?,0]');
  });
});
