import { Code, HetschedError } from '../common/index.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Model and tenant names double as folder names, so they are restricted to a portable, non-escaping set. */
export function checkName(name: string, what: 'model' | 'tenant'): void {
  if (!NAME_PATTERN.test(name) || name.includes('..')) {
    throw new HetschedError(
      Code.InvalidArgument,
      `${what} name '${name}' is not valid: use 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit, without '..'`,
    );
  }
}

/** Version 0 (proto3's "unset") means 1; versions are folder names, so positive integers only. */
export function resolveVersion(version: number): number {
  if (version === 0) return 1;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new HetschedError(Code.InvalidArgument, `version must be a positive integer, got ${version}`);
  }
  return version;
}
