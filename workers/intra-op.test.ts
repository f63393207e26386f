import { describe, expect, it } from 'vitest';
import { intraOpOptions } from './intra-op.js';

describe('intraOpOptions', () => {
  it('turns spinning off for a session with a thread pool', () => {
    expect(intraOpOptions(2)).toEqual({
      intraOpNumThreads: 2,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    expect(intraOpOptions(4).extra).toEqual({ session: { intra_op: { allow_spinning: '0' } } });
  });

  it('sets nothing more for a single thread: onnxruntime starts no pool to spin', () => {
    expect(intraOpOptions(1)).toEqual({ intraOpNumThreads: 1 });
  });
});
