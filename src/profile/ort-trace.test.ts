import { describe, expect, it } from 'vitest';
import { kernelEvents } from './ort-trace.js';

describe('kernelEvents', () => {
  it('reads the Node kernel events of a Chrome trace and skips the rest', () => {
    const trace = [
      { cat: 'Session', name: 'model_run', dur: 900, args: {} },
      {
        cat: 'Node',
        name: 'n1_kernel_time',
        dur: 12,
        args: { provider: 'WebGpuExecutionProvider', op_name: 'Relu' },
      },
      { cat: 'Node', name: 'n1_fence_before', dur: 0, args: { op_name: 'Relu' } },
      { cat: 'Api', name: 'n1&Relu&Relu', dur: 3, args: {} },
    ];
    const expected = [
      { nodeName: 'n1', opType: 'Relu', provider: 'WebGpuExecutionProvider', durationUs: 12 },
    ];
    expect(kernelEvents(trace)).toEqual(expected);
    expect(kernelEvents({ traceEvents: trace })).toEqual(expected);
    expect(() => kernelEvents({})).toThrow(/not a Chrome trace/);
  });
});
