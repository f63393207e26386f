import { HetschedError } from '../../src/common/index.js';

/** Runs `action`, which must throw a HetschedError, and returns that error (anything else is rethrown). */
export function thrown(action: () => unknown): HetschedError {
  try {
    action();
  } catch (error) {
    if (error instanceof HetschedError) return error;
    throw error;
  }
  throw new Error('expected a HetschedError');
}
