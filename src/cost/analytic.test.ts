import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { buildGraph, type GraphIR, type OpNode } from '../graph/index.js';
import { exampleFeeds, modelPath } from '../models/index.js';
import { decodeModel, modelBytes, node, valueInfo } from '../onnx/index.js';
import { analyzeModel } from '../profile/index.js';
import { synthModel } from '../synth/index.js';
import type { DType } from '../tensor/index.js';
import { analyticCpuOpMs, analyticGpuOpMs, analyticModelProfile, opDtype } from './analytic.js';
import {
  type MachineProfile,
  type ModelProfile,
  machineProfileSchema,
  modelProfileSchema,
  type Roofline,
} from './profile-types.js';

const MACHINES_DIR = new URL('../../profiles/machines/', import.meta.url);
const MIB = 1024 * 1024;

/** The shipped analytic profiles (measured ones of machines hetsched ran on sit beside them). */
function loadMachines(): Map<string, MachineProfile> {
  const machines = new Map<string, MachineProfile>();
  for (const file of readdirSync(MACHINES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const json: unknown = JSON.parse(readFileSync(new URL(file, MACHINES_DIR), 'utf8'));
    const profile = machineProfileSchema.parse(json);
    if (profile.source === 'analytic') machines.set(file.replace(/\.json$/, ''), profile);
  }
  return machines;
}

function machine(machines: ReadonlyMap<string, MachineProfile>, name: string): MachineProfile {
  const found = machines.get(name);
  if (!found) throw new Error(`no machine profile ${name}`);
  return found;
}

/** An operator with the given costs and nothing else. */
function op(
  opType: string,
  costs: Partial<
    Pick<OpNode, 'flops' | 'activationBytesIn' | 'bytesOut' | 'weightBytes' | 'subgraphNodeCount'>
  >,
): OpNode {
  return {
    index: 0,
    onnxIndex: 0,
    id: opType,
    name: opType,
    opType,
    domain: '',
    inputs: [],
    outputs: [],
    implicitInputs: [],
    attributes: {},
    subgraphNodeCount: costs.subgraphNodeCount ?? 0,
    flops: costs.flops === undefined ? 0 : costs.flops,
    activationBytesIn: costs.activationBytesIn === undefined ? 0 : costs.activationBytesIn,
    bytesOut: costs.bytesOut === undefined ? 0 : costs.bytesOut,
    weightBytes: costs.weightBytes ?? 0,
  };
}

/** 5 TFLOP/s fp32 and 50 fp16 reachable, 500 GB/s reachable, 5 µs launches: round numbers to compute by hand. */
const ROOFLINE: Roofline = {
  peakTflopsFp32: 10,
  peakTflopsFp16: 100,
  memoryGBps: 1000,
  hostLinkGBps: 32,
  kernelLaunchUs: 5,
  computeEfficiency: 0.5,
  memoryEfficiency: 0.5,
  sources: [],
};
const LAUNCH_MS = 0.005;

/** [4096 x 4096] x [4096 x 4096] MatMul at 4 bytes an element: 2 x 4096^3 flops, 3 matrices of 64 MiB. */
const BIG_MATMUL = op('MatMul', {
  flops: 2 * 4096 ** 3,
  activationBytesIn: 64 * MIB,
  weightBytes: 64 * MIB,
  bytesOut: 64 * MIB,
});
/** Add of two 1 Mi-element float32 tensors: 1 flop per element, 8 MiB read, 4 MiB written. */
const BIG_ADD = op('Add', { flops: MIB, activationBytesIn: 8 * MIB, bytesOut: 4 * MIB });

describe('machine profiles', () => {
  const machines = loadMachines();

  it('ships one analytic profile per GPU, each valid and named after its file', () => {
    expect([...machines.keys()]).toEqual([
      'nvidia-a100-sxm4-80gb',
      'nvidia-h100-sxm',
      'nvidia-h200',
      'nvidia-jetson-agx-orin-64gb',
      'nvidia-l4',
      'nvidia-t4',
    ]);
    for (const [name, profile] of machines) {
      expect(profile.source).toBe('analytic');
      expect(profile.name).toBe(name);
      expect(profile.fingerprint.onnxruntime).toBe('1.30.0');
      expect(profile.fingerprint.gpu).toMatchObject({ provider: 'cuda', software: false });
      expect(profile.fingerprint.cpuCores).toBe(profile.cpu.cores);
      expect(profile.notes.length).toBeGreaterThan(0);
    }
  });

  it('has a cited roofline and host-link costs derived from it', () => {
    for (const profile of machines.values()) {
      const gpu = profile.gpu;
      const roofline = gpu?.roofline;
      if (!gpu || !roofline) throw new Error(`${profile.name} has no GPU roofline`);
      expect(roofline.sources.length).toBeGreaterThan(0);
      expect(roofline.peakTflopsFp16).toBeGreaterThan(roofline.peakTflopsFp32);
      // 1 MiB over the link, in ms.
      const msPerMiB = (MIB / (roofline.hostLinkGBps * 1e9)) * 1e3;
      expect(gpu.hostToDevice.msPerMiB).toBeCloseTo(msPerMiB, 6);
      expect(gpu.deviceToHost.msPerMiB).toBeCloseTo(msPerMiB, 6);
    }
  });

  it('holds the datasheet figures', () => {
    const peaks = Object.fromEntries(
      [...machines].map(([name, profile]) => {
        const r = profile.gpu?.roofline;
        return [name, r ? [r.peakTflopsFp32, r.peakTflopsFp16, r.memoryGBps, r.hostLinkGBps] : null];
      }),
    );
    expect(peaks).toEqual({
      'nvidia-h100-sxm': [67, 989, 3350, 64],
      'nvidia-h200': [67, 989, 4800, 64],
      'nvidia-a100-sxm4-80gb': [19.5, 312, 2039, 32],
      'nvidia-l4': [30.3, 121, 300, 32],
      'nvidia-t4': [8.1, 65, 320, 16],
      'nvidia-jetson-agx-orin-64gb': [5.3, 42.5, 204.8, 25],
    });
  });
});

describe('analyticGpuOpMs', () => {
  it('prices a big MatMul by its flops: compute-bound', () => {
    // 1.374e11 flops at 5e9 flop/ms = 27.49 ms; 192 MiB at 5e8 bytes/ms = 0.40 ms.
    expect(analyticGpuOpMs(BIG_MATMUL, ROOFLINE)).toBeCloseTo(LAUNCH_MS + (2 * 4096 ** 3) / 5e9, 9);
    const moreBytes = { ...BIG_MATMUL, weightBytes: 2 * BIG_MATMUL.weightBytes };
    expect(analyticGpuOpMs(moreBytes, ROOFLINE)).toBeCloseTo(analyticGpuOpMs(BIG_MATMUL, ROOFLINE), 9);
    const doubled = { ...BIG_MATMUL, flops: 2 * 2 * 4096 ** 3 };
    expect(analyticGpuOpMs(doubled, ROOFLINE) - LAUNCH_MS).toBeCloseTo(
      2 * (analyticGpuOpMs(BIG_MATMUL, ROOFLINE) - LAUNCH_MS),
      9,
    );
  });

  it('prices an elementwise Add by its bytes: memory-bound', () => {
    // 12 MiB at 5e8 bytes/ms = 0.02517 ms; 1 Mi flops at 5e9 flop/ms = 0.0002 ms.
    expect(analyticGpuOpMs(BIG_ADD, ROOFLINE)).toBeCloseTo(LAUNCH_MS + (12 * MIB) / 5e8, 12);
    const moreFlops = { ...BIG_ADD, flops: 10 * MIB };
    expect(analyticGpuOpMs(moreFlops, ROOFLINE)).toBeCloseTo(analyticGpuOpMs(BIG_ADD, ROOFLINE), 12);
    const faster = { ...ROOFLINE, memoryGBps: 2000 };
    expect(analyticGpuOpMs(BIG_ADD, faster)).toBeCloseTo(LAUNCH_MS + (12 * MIB) / 1e9, 12);
  });

  it('uses the fp16 tensor peak for float16 matrix operators only', () => {
    const fp16 = { ...BIG_MATMUL, activationBytesIn: 32 * MIB, weightBytes: 32 * MIB, bytesOut: 32 * MIB };
    expect(analyticGpuOpMs(fp16, ROOFLINE, 'float16')).toBeCloseTo(LAUNCH_MS + (2 * 4096 ** 3) / 5e10, 9);
    expect(analyticGpuOpMs(fp16, ROOFLINE, 'float32')).toBeCloseTo(LAUNCH_MS + (2 * 4096 ** 3) / 5e9, 9);
    // A compute-heavy elementwise op stays on the FP32 peak: 1e10 flops at 5e9 flop/ms.
    const heavyErf = op('Erf', { flops: 1e10, activationBytesIn: 2 * MIB, bytesOut: 2 * MIB });
    expect(analyticGpuOpMs(heavyErf, ROOFLINE, 'float16')).toBeCloseTo(LAUNCH_MS + 2, 9);
  });

  it('prices data movement by its bytes and unknown parts at nothing beyond the launch', () => {
    const transpose = op('Transpose', { flops: 0, activationBytesIn: 4 * MIB, bytesOut: 4 * MIB });
    expect(analyticGpuOpMs(transpose, ROOFLINE)).toBeCloseTo(LAUNCH_MS + (8 * MIB) / 5e8, 12);
    const unknown = op('Custom', { flops: null, activationBytesIn: null, bytesOut: null, weightBytes: 5e5 });
    expect(analyticGpuOpMs(unknown, ROOFLINE)).toBeCloseTo(LAUNCH_MS + 5e5 / 5e8, 12);
    const noShapes = op('Custom', { flops: null, activationBytesIn: null, bytesOut: null });
    expect(analyticGpuOpMs(noShapes, ROOFLINE)).toBe(LAUNCH_MS);
    const branchy = op('If', { flops: null, activationBytesIn: 8, bytesOut: null, subgraphNodeCount: 3 });
    expect(analyticGpuOpMs(branchy, ROOFLINE)).toBeCloseTo(4 * LAUNCH_MS + 8 / 5e8, 12);
  });
});

describe('analyticCpuOpMs', () => {
  const cpu: MachineProfile['cpu'] = {
    threads: 4,
    segmentLaunchMs: 0.03,
    dispatchMs: 0.05,
    handoff: { fixedMs: 0.03, msPerMiB: 0.1 },
    request: { fixedMs: 0, msPerMiB: 0 },
    workerIdle: { points: [] },
    interference: { default: [1, 1.05, 1.1] },
    gflopsPerCore: 50,
    memoryGBps: 100,
    cores: 4,
  };
  const overheadMs = 0.002;
  /** 512^3 MatMul: 2.68e8 flops, 3 MiB. */
  const matmul = op('MatMul', {
    flops: 2 * 512 ** 3,
    activationBytesIn: MIB,
    weightBytes: MIB,
    bytesOut: MIB,
  });

  it('scales compute with threads up to the core count', () => {
    // 2.68e8 flops at 5e7 flop/ms per core = 5.369 ms; 3 MiB at 1e8 bytes/ms = 0.031 ms.
    expect(analyticCpuOpMs(matmul, cpu, 1)).toBeCloseTo(overheadMs + (2 * 512 ** 3) / 5e7, 9);
    expect(analyticCpuOpMs(matmul, cpu, 2)).toBeCloseTo(overheadMs + (2 * 512 ** 3) / 1e8, 9);
    expect(analyticCpuOpMs(matmul, cpu, 8)).toBeCloseTo(overheadMs + (2 * 512 ** 3) / 2e8, 9);
  });

  it('prices a memory-bound op the same at any thread count', () => {
    expect(analyticCpuOpMs(BIG_ADD, cpu, 1)).toBeCloseTo(overheadMs + (12 * MIB) / 1e8, 12);
    expect(analyticCpuOpMs(BIG_ADD, cpu, 4)).toBeCloseTo(analyticCpuOpMs(BIG_ADD, cpu, 1), 12);
  });

  it('rejects a thread count that is not a positive integer', () => {
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      expect(() => analyticCpuOpMs(matmul, cpu, threads)).toThrow(HetschedError);
    }
  });
});

/** A one-MatMul model of the given dtype, shapes declared so that no run is needed. */
function matmulGraph(dtype: DType): GraphIR {
  const bytes = modelBytes({
    graphName: 'mm',
    nodes: [node('MatMul', ['a', 'b'], ['y'], [], 'mm')],
    inputs: [valueInfo('a', dtype, [1024, 2048]), valueInfo('b', dtype, [2048, 4096])],
    outputs: [valueInfo('y', dtype, [1024, 4096])],
  });
  return buildGraph(decodeModel(bytes));
}

function totalGpuMs(profile: ModelProfile): number {
  if (!profile.gpu) throw new Error(`${profile.machine}: no GPU costs`);
  return profile.gpu.whole.medianMs;
}

describe('analyticModelProfile', () => {
  const machines = loadMachines();
  const h100 = machine(machines, 'nvidia-h100-sxm');
  const t4 = machine(machines, 'nvidia-t4');
  const meta = { sha256: 'synthetic', inputShapes: { x: [1, 8, 64] } };

  it('prices every operator of a synthetic model on CPU and GPU, in a valid profile', () => {
    const graph = buildGraph(decodeModel(synthModel({ kind: 'attention', operators: 60, seed: 1 }).bytes));
    expect(graph.ops).toHaveLength(60);
    expect(graph.ops.every((candidate) => candidate.flops !== null && candidate.bytesOut !== null)).toBe(
      true,
    );
    const profile = analyticModelProfile(graph, h100, meta, { cpuThreads: [1, 4] });
    expect(modelProfileSchema.parse(profile)).toEqual(profile);
    expect(profile).toMatchObject({
      source: 'analytic',
      machine: 'nvidia-h100-sxm',
      fingerprint: h100.fingerprint,
    });
    const ids = graph.ops.map((candidate) => candidate.id).sort();
    expect(Object.keys(profile.cpu)).toEqual(['1', '4']);
    const gpu = profile.gpu;
    if (!gpu) throw new Error('no GPU costs');
    for (const costs of [...Object.values(profile.cpu), gpu]) {
      expect(Object.keys(costs.ops).sort()).toEqual(ids);
      expect(costs.splitRatio).toBe(1);
      expect(costs.fused).toEqual(costs.ops);
      const sum = Object.values(costs.ops).reduce((total, timing) => total + timing.medianMs, 0);
      expect(costs.sumOfOpsMs).toBeCloseTo(sum, 12);
      for (const timing of [...Object.values(costs.ops), costs.whole]) {
        expect(timing.medianMs).toBeGreaterThan(0);
        expect(timing.p10Ms).toBe(timing.medianMs);
        expect(timing.p90Ms).toBe(timing.medianMs);
        expect(timing.runs).toBe(0);
      }
    }
    expect(profile.cpu['1']?.whole.medianMs).toBeCloseTo(
      h100.cpu.segmentLaunchMs + (profile.cpu['1']?.sumOfOpsMs ?? 0),
      12,
    );
    expect(gpu.whole.medianMs).toBeCloseTo((h100.gpu?.segmentLaunchMs ?? 0) + gpu.sumOfOpsMs, 12);
    expect(profile.cpu['4']?.sumOfOpsMs).toBeLessThanOrEqual(profile.cpu['1']?.sumOfOpsMs ?? 0);
    expect(Object.keys(gpu.accuracy).sort()).toEqual(ids);
    expect(Object.values(gpu.accuracy).every((verdict) => verdict.runsOnGpu && verdict.accurate)).toBe(true);
  });

  it('prices the CPU at one thread by default, and no GPU on a machine without a roofline', () => {
    const graph = buildGraph(decodeModel(synthModel({ kind: 'chain', operators: 10, seed: 2 }).bytes));
    const cpuOnly: MachineProfile = { ...h100, gpu: null };
    const profile = analyticModelProfile(graph, cpuOnly, meta);
    expect(Object.keys(profile.cpu)).toEqual(['1']);
    expect(profile.gpu).toBeNull();
    const noRoofline = { ...t4, gpu: t4.gpu ? { ...t4.gpu, roofline: null } : null };
    expect(analyticModelProfile(graph, noRoofline, meta).gpu).toBeNull();
  });

  it('rejects bad thread counts', () => {
    const graph = buildGraph(decodeModel(synthModel({ kind: 'chain', operators: 3, seed: 3 }).bytes));
    for (const cpuThreads of [[], [0], [2, 2.5]]) {
      let caught: unknown;
      try {
        analyticModelProfile(graph, h100, meta, { cpuThreads });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HetschedError);
      expect(caught instanceof HetschedError ? caught.code : undefined).toBe(Code.InvalidArgument);
    }
  });

  it('predicts an H100 faster than a T4 on a compute-heavy model, by about their compute ratio', () => {
    const heavy = synthModel({ kind: 'attention', operators: 60, seed: 1, width: 1024, batch: 32 });
    const graph = buildGraph(decodeModel(heavy.bytes));
    const h100Ms = totalGpuMs(analyticModelProfile(graph, h100, meta));
    const t4Ms = totalGpuMs(analyticModelProfile(graph, t4, meta));
    expect(h100Ms).toBeLessThan(t4Ms);
    // FP32 peaks 67 vs 8.1 TFLOPS (8.3x); launches and memory-bound ops pull the ratio down.
    expect(t4Ms / h100Ms).toBeGreaterThan(3);
    expect(t4Ms / h100Ms).toBeLessThan(67 / 8.1);
  });

  it('reads the dtype from the graph: a float16 MatMul gets the tensor-core peak', () => {
    const fp32 = matmulGraph('float32');
    const fp16 = matmulGraph('float16');
    const [fp32Op] = fp32.ops;
    const [fp16Op] = fp16.ops;
    if (!fp32Op || !fp16Op) throw new Error('no MatMul');
    expect(opDtype(fp16, fp16Op)).toBe('float16');
    const roofline = h100.gpu?.roofline;
    if (!roofline) throw new Error('no roofline');
    const flops = 2 * 1024 * 2048 * 4096;
    const launchMs = roofline.kernelLaunchUs / 1e3;
    const fp32Ms = analyticModelProfile(fp32, h100, meta).gpu?.ops.mm?.medianMs;
    const fp16Ms = analyticModelProfile(fp16, h100, meta).gpu?.ops.mm?.medianMs;
    expect(fp32Ms).toBeCloseTo(launchMs + flops / (67e9 * roofline.computeEfficiency), 9);
    expect(fp16Ms).toBeCloseTo(launchMs + flops / (989e9 * roofline.computeEfficiency), 9);
  });

  it('predicts PP-OCRv4 rec on every machine', async () => {
    const id = 'ppocr-rec';
    const feeds = exampleFeeds(id);
    const { graph, runFailure } = await analyzeModel(readFileSync(modelPath(id)), { sample: feeds });
    expect(runFailure).toBeUndefined();
    const inputShapes = Object.fromEntries(
      Object.entries(feeds).map(([name, tensor]) => [name, tensor.dims]),
    );
    const rows: string[] = [];
    for (const [name, profileOfMachine] of machines) {
      const threads = [1, profileOfMachine.cpu.threads];
      const profile = analyticModelProfile(
        graph,
        profileOfMachine,
        { sha256: id, inputShapes },
        { cpuThreads: threads },
      );
      modelProfileSchema.parse(profile);
      const gpuMs = totalGpuMs(profile);
      const cpuMs = threads.map((count) => profile.cpu[String(count)]?.whole.medianMs ?? Number.NaN);
      for (const ms of [gpuMs, ...cpuMs]) {
        expect(Number.isFinite(ms)).toBe(true);
        expect(ms).toBeGreaterThan(0);
      }
      rows.push(
        `${name.padEnd(28)} gpu ${gpuMs.toFixed(3).padStart(8)} ms   cpu x1 ${(cpuMs[0] ?? 0).toFixed(3).padStart(8)} ms   cpu x${threads[1]} ${(cpuMs[1] ?? 0).toFixed(3).padStart(8)} ms`,
      );
    }
    console.log(
      `analytic whole-model predictions, ${id} ${JSON.stringify(inputShapes)}, ${graph.ops.length} ops:\n${rows.join('\n')}`,
    );
    const h100Profile = analyticModelProfile(graph, h100, { sha256: id, inputShapes });
    expect(totalGpuMs(h100Profile)).toBeLessThan(h100Profile.cpu['1']?.whole.medianMs ?? 0);
  });
});
