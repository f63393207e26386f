import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { checkName, resolveVersion } from './names.js';

function invalid(work: () => unknown): HetschedError {
  try {
    work();
  } catch (error) {
    if (error instanceof HetschedError) return error;
  }
  throw new Error('expected a HetschedError');
}

describe('checkName', () => {
  it.each(['relu', 'ppocr-rec', 'A.b_c-1', '7', 'x'.repeat(128)])('accepts %s', (name) => {
    expect(() => checkName(name, 'model')).not.toThrow();
  });

  it.each(['', '.hidden', '-x', '_x', '../x', 'a/b', 'a\\b', 'a..b', 'a b', 'modèle', 'x'.repeat(129)])(
    'rejects %j',
    (name) => {
      const error = invalid(() => checkName(name, 'model'));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.message).toBe(
        `model name '${name}' is not valid: use 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit, without '..'`,
      );
    },
  );

  it('names what it checks', () => {
    expect(invalid(() => checkName('a b', 'tenant')).message).toMatch(/^tenant name 'a b' is not valid/);
  });
});

describe('resolveVersion', () => {
  it('maps 0 to 1 and keeps positive integers', () => {
    expect(resolveVersion(0)).toBe(1);
    expect(resolveVersion(1)).toBe(1);
    expect(resolveVersion(42)).toBe(42);
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects %d', (version) => {
    const error = invalid(() => resolveVersion(version));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe(`version must be a positive integer, got ${version}`);
  });
});
