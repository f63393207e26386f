import { describe, expect, it } from 'vitest';
import { EP_CHECK_INPUT, EP_CHECK_NODE, epCheckFailure } from './ep-check.js';
import type { KernelEvent } from './ort-trace.js';

const relu = Float32Array.from(EP_CHECK_INPUT, (x) => Math.max(x, 0));
const ranOn = (provider: string): KernelEvent[] => [
  { nodeName: EP_CHECK_NODE, opType: 'Relu', provider, durationUs: 10 },
];

describe('epCheckFailure', () => {
  it('passes Relu computed exactly on the EP itself', () => {
    expect(epCheckFailure('webgpu', relu, ranOn('WebGpuExecutionProvider'))).toBeUndefined();
    expect(epCheckFailure('cuda', relu, ranOn('CUDAExecutionProvider'))).toBeUndefined();
  });

  it('fails a node onnxruntime quietly ran on the CPU EP', () => {
    expect(epCheckFailure('webgpu', relu, ranOn('CPUExecutionProvider'))).toBe(
      'the check node ran on CPUExecutionProvider, not on WebGpuExecutionProvider',
    );
    expect(epCheckFailure('webgpu', relu, [])).toMatch(/no kernel for the check node/);
  });

  it('fails a wrong result, naming both', () => {
    const wrong = Float32Array.from(relu);
    wrong[2] = 2.5;
    expect(epCheckFailure('webgpu', wrong, ranOn('WebGpuExecutionProvider'))).toMatch(
      /^Relu computed \[0, 0, 2\.5, .*\], expected \[0, 0, 2\.25, /,
    );
  });
});
