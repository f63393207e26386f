import { describe, expect, it } from 'vitest';
import { missingNodeFlags, SERVE_NODE_FLAGS } from './node-flags.js';

describe('missingNodeFlags', () => {
  it('names the wanted flags a process was started without, whatever their values', () => {
    expect(missingNodeFlags([], SERVE_NODE_FLAGS)).toEqual(['--initial-old-space-size=256']);
    expect(missingNodeFlags(['--import', 'tsx'], SERVE_NODE_FLAGS)).toEqual(['--initial-old-space-size=256']);
    // The caller's own value wins: the flag is there.
    expect(missingNodeFlags(['--initial-old-space-size=512'], SERVE_NODE_FLAGS)).toEqual([]);
    // V8 reads underscores as dashes.
    expect(missingNodeFlags(['--initial_old_space_size=64'], SERVE_NODE_FLAGS)).toEqual([]);
    expect(missingNodeFlags(['--max-old-space-size=4096'], SERVE_NODE_FLAGS)).toEqual([
      '--initial-old-space-size=256',
    ]);
  });
});
