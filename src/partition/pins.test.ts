import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { synthModel } from '../synth/index.js';
import { type GpuVerdict, type GpuVerdicts, pinToCpu } from './pins.js';
import { expandPlacement, type Placement } from './placement-spec.js';
import type { ProcessorId } from './processor.js';

const graph = buildGraph(decodeModel(synthModel({ kind: 'chain', operators: 6, seed: 3 }).bytes));
const ids = graph.ops.map((op) => op.id);
const allGpu = expandPlacement(graph, { kind: 'all', processor: 'gpu:0' });

function opAt(position: number) {
  const op = graph.ops[position];
  if (!op) throw new Error(`no op ${position}`);
  return op;
}

function gpu(parts: Partial<GpuVerdicts> = {}): GpuVerdicts {
  return { available: true, detail: 'webgpu on adapter X', nodes: new Map(), ...parts };
}

const ok: GpuVerdict = { runsOnGpu: true, accurate: true, maxAbsDiff: 1e-7, maxRelDiff: 1e-6 };

describe('pinToCpu', () => {
  it('has six distinct operators to place', () => {
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('pins nothing when the GPU runs every operator accurately', () => {
    const nodes = new Map(graph.ops.map((op) => [op.onnxIndex, ok]));
    const result = pinToCpu(graph, allGpu, new Map([['gpu:0', gpu({ nodes })]]));
    expect(result).toEqual({ placement: allGpu, pinned: [] });
  });

  it('treats an operator without a verdict as supported', () => {
    const result = pinToCpu(graph, allGpu, new Map([['gpu:0', gpu()]]));
    expect(result.pinned).toEqual([]);
    expect(result.placement).toEqual(allGpu);
  });

  it('no-gpu: a GPU the machine does not have, saying so', () => {
    const result = pinToCpu(graph, allGpu, new Map());
    expect(Object.values(result.placement)).toEqual(ids.map(() => 'cpu'));
    expect(result.pinned).toEqual(
      ids.map((op) => ({
        op,
        wanted: 'gpu:0',
        processor: 'cpu',
        reason: 'no-gpu',
        detail: 'gpu:0 does not exist on this machine',
      })),
    );
  });

  it("no-gpu: a GPU whose execution provider does not load, with the GPU's own detail", () => {
    const result = pinToCpu(
      graph,
      allGpu,
      new Map([
        ['gpu:0', gpu({ available: false, detail: 'the WebGPU provider failed to load: no adapter' })],
      ]),
    );
    expect(result.pinned.map(({ reason, detail }) => [reason, detail])).toEqual(
      ids.map(() => ['no-gpu', 'the WebGPU provider failed to load: no adapter']),
    );
  });

  it('gpu-unverified: operators that could not be checked, even with good verdicts', () => {
    const nodes = new Map(graph.ops.map((op) => [op.onnxIndex, ok]));
    const result = pinToCpu(
      graph,
      allGpu,
      new Map([['gpu:0', gpu({ unverified: 'no sample inputs to probe the GPU with', nodes })]]),
    );
    expect(result.pinned).toHaveLength(6);
    expect(
      result.pinned.every(
        ({ reason, detail }) =>
          reason === 'gpu-unverified' && detail === 'no sample inputs to probe the GPU with',
      ),
    ).toBe(true);
  });

  it('gpu-unsupported and gpu-inaccurate: only the operators concerned', () => {
    const unsupported = opAt(1);
    const inaccurate = opAt(4);
    const nodes = new Map<number, GpuVerdict>([
      [opAt(0).onnxIndex, ok],
      [unsupported.onnxIndex, { runsOnGpu: false, accurate: true, maxAbsDiff: 0, maxRelDiff: 0 }],
      [inaccurate.onnxIndex, { runsOnGpu: true, accurate: false, maxAbsDiff: 0.012345, maxRelDiff: 3.5 }],
    ]);
    const result = pinToCpu(graph, allGpu, new Map([['gpu:0', gpu({ nodes })]]));
    expect(result.pinned).toEqual([
      {
        op: unsupported.id,
        wanted: 'gpu:0',
        processor: 'cpu',
        reason: 'gpu-unsupported',
        detail: `the gpu:0 execution provider does not run this ${unsupported.opType}; onnxruntime would run it on the CPU`,
      },
      {
        op: inaccurate.id,
        wanted: 'gpu:0',
        processor: 'cpu',
        reason: 'gpu-inaccurate',
        detail: "its gpu:0 output differs from the CPU's: max abs diff 0.0123, max rel diff 3.50",
      },
    ]);
    expect(result.placement).toEqual({ ...allGpu, [unsupported.id]: 'cpu', [inaccurate.id]: 'cpu' });
  });

  it('reports an operator the GPU neither runs nor matches as unsupported', () => {
    const nodes = new Map([
      [opAt(2).onnxIndex, { runsOnGpu: false, accurate: false, maxAbsDiff: 1, maxRelDiff: 1 }],
    ]);
    const result = pinToCpu(graph, allGpu, new Map([['gpu:0', gpu({ nodes })]]));
    expect(result.pinned.map(({ op, reason }) => [op, reason])).toEqual([[opAt(2).id, 'gpu-unsupported']]);
  });

  it('checks each operator against the GPU it was placed on', () => {
    const placement: Placement = Object.fromEntries(
      ids.map((id, i): [string, ProcessorId] => [id, i % 2 === 0 ? 'gpu:0' : 'gpu:1']),
    );
    const result = pinToCpu(
      graph,
      placement,
      new Map([
        ['gpu:0', gpu()],
        ['gpu:1', gpu({ available: false, detail: 'gpu:1 is busy elsewhere' })],
      ]),
    );
    expect(result.pinned.map(({ op, wanted, detail }) => [op, wanted, detail])).toEqual(
      ids.filter((_, i) => i % 2 === 1).map((id) => [id, 'gpu:1', 'gpu:1 is busy elsewhere']),
    );
    expect(Object.values(result.placement)).toEqual(['gpu:0', 'cpu', 'gpu:0', 'cpu', 'gpu:0', 'cpu']);
  });

  it("never pins operators on 'cpu' or a CPU lane, whatever the GPUs", () => {
    const placement: Placement = Object.fromEntries(
      ids.map((id, i): [string, ProcessorId] => [id, i % 3 === 0 ? 'cpu' : i % 3 === 1 ? 'cpu:1' : 'cpu:2']),
    );
    const bad = new Map([
      [opAt(0).onnxIndex, { runsOnGpu: false, accurate: false, maxAbsDiff: 1, maxRelDiff: 1 }],
    ]);
    for (const gpus of [
      new Map(),
      new Map([['gpu:0', gpu({ available: false })]]),
      new Map([['gpu:0', gpu({ nodes: bad })]]),
    ]) {
      const result = pinToCpu(graph, placement, gpus);
      expect(result).toEqual({ placement, pinned: [] });
    }
  });

  it('treats an operator the placement leaves out as on the CPU (not pinned), and leaves its input alone', () => {
    const partial: Placement = { [opAt(0).id]: 'gpu:0' };
    const before = { ...partial };
    const result = pinToCpu(graph, partial, new Map());
    expect(result.pinned.map(({ op }) => op)).toEqual([opAt(0).id]);
    expect(result.placement).toEqual({ [opAt(0).id]: 'cpu' });
    expect(partial).toEqual(before);
  });
});
