import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { REQUEST_SLOTS_PER_THREAD } from '../cost/index.js';
import { resolveServerOptions } from './options.js';

const MiB = 1024 * 1024;

describe('resolveServerOptions', () => {
  it('fills in every default, with absolute folders and room above the model limit for messages', () => {
    const options = resolveServerOptions({});
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 50051,
      intraOpThreads: 1,
      maxQueueLength: 64,
      requestSlotsPerThread: REQUEST_SLOTS_PER_THREAD,
      gpu: 'auto',
      maxModelBytes: 512 * MiB,
      maxMessageBytes: 516 * MiB,
    });
    expect(options.cpuThreads).toBeGreaterThanOrEqual(1);
    expect(isAbsolute(options.repository)).toBe(true);
    expect(isAbsolute(options.profiles)).toBe(true);
  });

  it('keeps what it is given', () => {
    const options = resolveServerOptions({
      requestSlotsPerThread: 1,
      maxModelBytes: MiB,
      maxMessageBytes: 3 * MiB,
    });
    expect(options).toMatchObject({ requestSlotsPerThread: 1, maxModelBytes: MiB, maxMessageBytes: 3 * MiB });
  });

  it.each([
    ['no request slot per thread', { requestSlotsPerThread: 0 }, /requestSlotsPerThread: .*>=1/],
    ['a fractional slot count', { requestSlotsPerThread: 1.5 }, /requestSlotsPerThread: /],
    ['no CPU thread', { cpuThreads: 0 }, /cpuThreads: /],
    ['a port out of range', { port: 70_000 }, /port: /],
    ['an unknown GPU provider', { gpu: 'rocm' as 'cuda' }, /gpu: /],
    ['an unknown option', { bogus: 1 } as object, /options: .*bogus/],
  ])('refuses %s with INVALID_ARGUMENT naming the option', (_, input, message) => {
    const error = thrown(() => resolveServerOptions(input));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^invalid server options: /);
    expect(error.message).toMatch(message);
  });
});
