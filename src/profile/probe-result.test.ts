import { describe, expect, it } from 'vitest';
import type { TensorData } from '../tensor/index.js';
import type { KernelEvent } from './ort-trace.js';
import type { ProbeNode } from './probe-model.js';
import { nodeVerdicts, type ProbeResult, summarizeProbe } from './probe-result.js';
import { DEFAULT_TOLERANCE } from './tensor-diff.js';

const f32 = (...values: number[]): TensorData => ({
  dtype: 'float32',
  dims: [values.length],
  data: Float32Array.from(values),
});
const kernel = (nodeName: string, provider: string, durationUs = 5): KernelEvent => ({
  nodeName,
  opType: '',
  provider: `${provider}ExecutionProvider`,
  durationUs,
});
const probeNode = (index: number, opType: string, output: string, constant = false): ProbeNode => ({
  index,
  name: index === 1 ? 'named' : '',
  opType,
  probeName: `hetsched_probe_${index}`,
  outputs: [{ original: output, probe: constant ? output : `${output}__gpu` }],
});

describe('nodeVerdicts', () => {
  const nodes = [
    probeNode(0, 'Constant', 'k', true),
    probeNode(1, 'Conv', 'c'),
    probeNode(2, 'Clip', 'p'),
    probeNode(3, 'If', 'y'),
  ];
  const cpu = new Map([
    ['k', f32(1)],
    ['c', f32(0.5)],
    ['p', f32(6)],
    ['y', f32(0.5, 2)],
  ]);
  const gpu = new Map([
    ['k', f32(1)],
    ['c__gpu', f32(0.50001)],
    ['p__gpu', f32(6)],
    ['y__gpu', f32(0.6, 2)],
  ]);
  const kernels = [
    kernel('hetsched_probe_1_token_302', 'WebGpu', 40), // renamed by the NHWC layout pass
    kernel('Transpose_token_300', 'WebGpu'), // inserted by onnxruntime: no node's
    kernel('hetsched_probe_2', 'CPU', 7),
    kernel('Memcpy_token_1', 'WebGpu'),
    kernel('hetsched_probe_3', 'WebGpu', 1000),
    kernel('hetsched_probe_3/0', 'WebGpu', 600),
    kernel('hetsched_probe_3/1', 'CPU', 300),
  ];

  it('gives each node its provider, kernel counts, own time and differences', () => {
    const verdicts = nodeVerdicts(nodes, kernels, cpu, gpu, DEFAULT_TOLERANCE);
    expect(
      verdicts.map((v) => [v.index, v.provider, v.gpuKernels, v.cpuKernels, v.kernelUs, v.accurate]),
    ).toEqual([
      [0, 'none', 0, 0, 0, true],
      [1, 'gpu', 1, 0, 40, true],
      [2, 'cpu', 0, 1, 7, true],
      [3, 'gpu', 2, 1, 1000, false],
    ]);
    const ifNode = verdicts[3];
    expect(ifNode?.maxAbsDiff).toBeCloseTo(0.1, 6);
    expect(ifNode?.outputs.map((o) => [o.name, o.accurate])).toEqual([['y', false]]);
    expect(verdicts[1]?.name).toBe('named');
  });

  it('fails with INTERNAL when a run did not return an output', () => {
    expect(() => nodeVerdicts(nodes, kernels, cpu, new Map(), DEFAULT_TOLERANCE)).toThrow(
      /node 0 \(Constant\) has no GPU value for 'k'/,
    );
  });

  it('summarizes counts, inaccurate nodes and the op types that fell back', () => {
    const result: ProbeResult = {
      provider: 'webgpu',
      tolerance: DEFAULT_TOLERANCE,
      nodes: nodeVerdicts(nodes, kernels, cpu, gpu, DEFAULT_TOLERANCE),
      timing: { cpuSeconds: 0, gpuSessionSeconds: 0, gpuRunSeconds: 0, totalSeconds: 0 },
    };
    const summary = summarizeProbe(result);
    expect([summary.gpu, summary.cpu, summary.none]).toEqual([2, 1, 1]);
    expect(summary.inaccurate.map((v) => v.index)).toEqual([3]);
    expect(summary.cpuOpTypes).toEqual([['Clip', 1]]);
  });
});
