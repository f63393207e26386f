import { buildGraph, type GraphIR } from '../graph/index.js';
import { decodeModel, modelBytes, node, tensorProto, valueInfo } from '../onnx/index.js';
import {
  type MachineProfile,
  type ModelProfile,
  machineProfileSchema,
  modelProfileSchema,
  type ProcessorCosts,
} from './profile-types.js';
import { UNFITTED_SEGMENT_COSTS } from './segment-fit.js';

/**
 * A five-operator model and hand-written profiles with round numbers, for the cost model's and
 * the simulator adapter's tests: costs can be added up by hand. Not part of the cost model.
 *
 *   x [1 MiB] -> conv -> a -> bn -> b1 -> relu -> r -> mm -> mm_out [0.5 MiB] -> add(+ z [0.5 MiB]) -> y
 *
 * Every activation is float32: x, a, b1, r are 1 MiB; z, mm_out, y are 0.5 MiB.
 */
export function fixtureGraph(): GraphIR {
  const zeros = (n: number) => new Float32Array(n);
  return buildGraph(
    decodeModel(
      modelBytes({
        graphName: 'cost-fixture',
        inputs: [valueInfo('x', 'float32', [1, 1, 512, 512]), valueInfo('z', 'float32', [1, 1, 512, 256])],
        outputs: [valueInfo('y', 'float32', [1, 1, 512, 256])],
        nodes: [
          node('Conv', ['x', 'w'], ['a'], [], 'conv'),
          node('BatchNormalization', ['a', 's', 'b', 'm', 'v'], ['b1'], [], 'bn'),
          node('Relu', ['b1'], ['r'], [], 'relu'),
          node('MatMul', ['r', 'w2'], ['mm_out'], [], 'mm'),
          node('Add', ['mm_out', 'z'], ['y'], [], 'add'),
        ],
        initializers: [
          tensorProto('w', 'float32', [1, 1, 1, 1], zeros(1)),
          ...['s', 'b', 'm', 'v'].map((name) => tensorProto(name, 'float32', [1], zeros(1))),
          tensorProto('w2', 'float32', [512, 256], zeros(512 * 256)),
        ],
        valueInfo: [
          valueInfo('a', 'float32', [1, 1, 512, 512]),
          valueInfo('b1', 'float32', [1, 1, 512, 512]),
          valueInfo('r', 'float32', [1, 1, 512, 512]),
          valueInfo('mm_out', 'float32', [1, 1, 512, 256]),
        ],
      }),
    ),
  );
}

export const FINGERPRINT: MachineProfile['fingerprint'] = {
  cpuModel: 'Test CPU',
  cpuCores: 8,
  arch: 'x64',
  os: 'linux 6.1',
  onnxruntime: '1.30.0',
  gpu: { provider: 'cuda', adapter: 'CUDA device', software: false },
};

/** A machine with a GPU: hand-off 0.01 ms + 0.1 ms/MiB; copies 0.02 + 0.5/MiB up, 0.03 + 0.6/MiB down. */
export function fixtureMachine(withGpu = true): MachineProfile {
  return machineProfileSchema.parse({
    kind: 'hetsched.machine-profile',
    version: 1,
    source: 'measured',
    name: withGpu ? 'fixture-gpu' : 'fixture-cpu',
    fingerprint: withGpu ? FINGERPRINT : { ...FINGERPRINT, gpu: null },
    cpu: {
      threads: 4,
      segmentLaunchMs: 0.02,
      dispatchMs: 0.05,
      handoff: { fixedMs: 0.01, msPerMiB: 0.1 },
      interference: { default: [1, 1.1] },
      gflopsPerCore: 50,
      memoryGBps: 20,
      cores: 8,
    },
    gpu: withGpu
      ? {
          segmentLaunchMs: 0.03,
          dispatchMs: 0.07,
          hostToDevice: { fixedMs: 0.02, msPerMiB: 0.5 },
          deviceToHost: { fixedMs: 0.03, msPerMiB: 0.6 },
          roofline: null,
        }
      : null,
  });
}

const timing = (medianMs: number) => ({ medianMs, p10Ms: medianMs, p90Ms: medianMs, runs: 5 });

/** Processor costs from unfused and fused medians by operator id; the rest from `extra`. */
export function processorCosts(
  solo: Readonly<Record<string, number>>,
  fused: Readonly<Record<string, number>>,
  extra: Partial<ProcessorCosts> = {},
): ProcessorCosts {
  const sum = Object.values(solo).reduce((total, ms) => total + ms, 0);
  return {
    ops: Object.fromEntries(Object.entries(solo).map(([id, ms]) => [id, timing(ms)])),
    fused: Object.fromEntries(Object.entries(fused).map(([id, ms]) => [id, timing(ms)])),
    absorbedInto: {},
    // Not measured (runs 0): the hand-computed expectations price the whole model by the fit too.
    whole: { ...timing(sum), runs: 0 },
    sumOfOpsMs: sum,
    ...UNFITTED_SEGMENT_COSTS,
    ...extra,
  };
}

/**
 * CPU: conv 2, bn 1, relu 0.5, mm 4, add 0.25 ms unfused; fused, conv and relu are absorbed into
 * bn (relu through conv), whose kernel takes 3 ms, mm takes 3.5 and add 0.25. Coefficients:
 * split 1.5, 0.01 ms/op, 0.2 ms/MiB at the edges, 0.3 ms/MiB more at a convolution's; launch from
 * the machine. GPU: everything 10x faster, nothing fused, launch fitted at 0.04 ms.
 */
export const CPU_COSTS = processorCosts(
  { conv: 2, bn: 1, relu: 0.5, mm: 4, add: 0.25 },
  { bn: 3, mm: 3.5, add: 0.25 },
  {
    absorbedInto: { conv: 'bn', relu: 'conv' },
    splitRatio: 1.5,
    perOpMs: 0.01,
    boundaryMsPerMiB: 0.2,
    convEdgeMsPerMiB: 0.3,
  },
);

export const GPU_COSTS = processorCosts(
  { conv: 0.2, bn: 0.1, relu: 0.05, mm: 0.4, add: 0.025 },
  {},
  { splitRatio: 1, perOpMs: 0.001, launchMs: 0.04 },
);

export function fixtureModelProfile(
  cpu: Readonly<Record<string, ProcessorCosts>> = { '1': CPU_COSTS },
  gpu: ProcessorCosts | null = GPU_COSTS,
): ModelProfile {
  return modelProfileSchema.parse({
    kind: 'hetsched.model-profile',
    version: 1,
    source: 'measured',
    machine: 'fixture-gpu',
    fingerprint: FINGERPRINT,
    model: { sha256: 'ab'.repeat(32), inputShapes: { x: [1, 1, 512, 512], z: [1, 1, 512, 256] } },
    cpu,
    gpu: gpu && { ...gpu, accuracy: {} },
  });
}
