import { describe, expect, it } from 'vitest';
import { missingNodeFlags, SERVE_NODE_FLAGS, v8PoolSize } from './node-flags.js';

const POOL = SERVE_NODE_FLAGS.find((flag) => flag.startsWith('--v8-pool-size=')) as string;

describe('missingNodeFlags', () => {
  it('names the wanted flags a process was started without, whatever their values', () => {
    expect(missingNodeFlags([], SERVE_NODE_FLAGS)).toEqual(['--initial-old-space-size=256', POOL]);
    expect(missingNodeFlags(['--import', 'tsx'], SERVE_NODE_FLAGS)).toEqual([
      '--initial-old-space-size=256',
      POOL,
    ]);
    // The caller's own value wins: the flag is there.
    expect(missingNodeFlags(['--initial-old-space-size=512', '--v8-pool-size=3'], SERVE_NODE_FLAGS)).toEqual(
      [],
    );
    // V8 reads underscores as dashes.
    expect(missingNodeFlags(['--initial_old_space_size=64'], SERVE_NODE_FLAGS)).toEqual([POOL]);
    expect(missingNodeFlags(['--max-old-space-size=4096'], SERVE_NODE_FLAGS)).toEqual([
      '--initial-old-space-size=256',
      POOL,
    ]);
  });
});

describe('v8PoolSize', () => {
  it("gives V8 one thread per core beside the main thread, at least 1, at most node's default of 4", () => {
    expect([1, 2, 3, 4, 5, 16, 128].map(v8PoolSize)).toEqual([1, 1, 2, 3, 4, 4, 4]);
  });
});
