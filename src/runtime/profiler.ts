import { readFile } from 'node:fs/promises';
import { Code, HetschedError } from '../common/index.js';
import {
  type CostModel,
  fitSegmentCost,
  type LinearCost,
  type MachineProfile,
  type ModelProfile,
  type ProcessorCosts,
  type SegmentSample,
  segmentCoefficientsOf,
  type WorkerIdle,
} from '../cost/index.js';
import { ensureModels, exampleFeeds } from '../models/index.js';
import { type Plan, planSegments } from '../partition/index.js';
import {
  type CalibrationModel,
  calibrateCpu,
  type GpuInfo,
  hardwareFingerprint,
  machineName,
  measureModel,
  timingOf,
} from '../profile/index.js';
import { synthInputs, synthModel } from '../synth/index.js';
import type { TensorData } from '../tensor/index.js';
import type { TransferCosts } from './measure-transfers.js';
import type { PlannedModel, Planner } from './planner.js';
import type { WorkerPool } from './worker-pool.js';

/** One step of a profiling run, for progress bars and streamed progress. */
export interface ProfileProgress {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

/**
 * The models machine profiling calibrates with, covering every operator class: a conv net
 * (PP-OCR cls), recurrent control flow (Silero VAD legacy), attention (a synthetic block).
 * Analysed with shapes in a pool worker.
 */
export async function calibrationModels(analyze: WorkerPool['analyze']): Promise<CalibrationModel[]> {
  const ids = ['ppocr-cls', 'silero-vad-legacy'] as const;
  const paths = await ensureModels([...ids]);
  const sources: { bytes: Uint8Array; feeds: Record<string, TensorData> }[] = [];
  for (const id of ids)
    sources.push({ bytes: await readFile(paths.get(id) ?? ''), feeds: exampleFeeds(id, { seed: 1 }) });
  const attention = synthModel({ kind: 'attention', operators: 60, seed: 1, width: 128 });
  sources.push({
    bytes: attention.bytes,
    feeds: Object.fromEntries(
      [...synthInputs(attention, 1)].map(([name, data]) => [
        name,
        {
          dtype: 'float32' as const,
          dims: attention.inputs.find((input) => input.name === name)?.dims ?? [],
          data: data.slice(),
        },
      ]),
    ),
  });
  const models: CalibrationModel[] = [];
  for (const { bytes, feeds } of sources) {
    const shared = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(shared).set(bytes);
    const { graph } = await analyze({
      source: { kind: 'bytes', bytes: shared },
      inputShapes: {},
      sample: feeds,
    });
    models.push({ bytes, graph, feeds });
  }
  return models;
}

export interface MachineProfilingDeps {
  readonly gpu: GpuInfo;
  readonly cores: number;
  readonly cpuThreads: number;
  readonly measureTransfers: () => Promise<{ cpu: TransferCosts; gpu?: TransferCosts }>;
  /** The engine's own per-request path (see measureRequestPath). */
  readonly measureRequestPath: () => Promise<LinearCost>;
  /** Worker time lost per request while the CPU pool is saturated (see measureWorkerIdle). */
  readonly measureWorkerIdle: () => Promise<WorkerIdle>;
}

/**
 * Measures this machine: the pools' switching costs, and CPU interference and rates on the
 * calibration models. The result is the measured machine profile, named after its fingerprint.
 */
export async function profileMachine(
  deps: MachineProfilingDeps,
  calibration: readonly CalibrationModel[],
  options: { runs: number; onProgress?: (progress: ProfileProgress) => void },
): Promise<MachineProfile> {
  const report = (step: string, done: number) => options.onProgress?.({ step, done, total: 2 });
  report('switching costs', 0);
  const transfers = await deps.measureTransfers();
  const request = await deps.measureRequestPath();
  const workerIdle = await deps.measureWorkerIdle();
  report('CPU interference and rates', 1);
  const cpu = await calibrateCpu(calibration, deps.cores, { warmup: 3, runs: options.runs });
  report('done', 2);
  const fingerprint = hardwareFingerprint(deps.gpu);
  const gpu = transfers.gpu;
  return {
    kind: 'hetsched.machine-profile',
    version: 1,
    source: 'measured',
    name: machineName(fingerprint),
    fingerprint,
    cpu: {
      threads: deps.cpuThreads,
      segmentLaunchMs: transfers.cpu.launchMs,
      dispatchMs: transfers.cpu.dispatchMs,
      handoff: transfers.cpu.handoff,
      request,
      workerIdle,
      interference: cpu.interference,
      gflopsPerCore: cpu.gflopsPerCore,
      memoryGBps: cpu.memoryGBps,
      cores: deps.cores,
    },
    gpu: gpu
      ? {
          segmentLaunchMs: gpu.launchMs,
          dispatchMs: gpu.dispatchMs,
          hostToDevice: gpu.copy ?? { fixedMs: 0, msPerMiB: 0 },
          deviceToHost: gpu.copy ?? { fixedMs: 0, msPerMiB: 0 },
          roofline: null,
        }
      : null,
    notes: [
      'measured by hetsched profile',
      ...(deps.gpu.software
        ? ["the GPU is a software Vulkan (SwiftShader or lavapipe): its timings are not a GPU's"]
        : []),
    ],
  };
}

export interface ModelProfilingOptions {
  readonly machine: MachineProfile;
  /** CPU intra-op thread counts to measure. */
  readonly cpuThreads: readonly number[];
  readonly warmup: number;
  readonly runs: number;
  readonly onProgress?: (progress: ProfileProgress) => void;
  /**
   * Also measure a software GPU (SwiftShader, lavapipe). Off by default: it shares the CPU's cores,
   * nothing is planned on it unless asked, and measuring a large model on it takes many minutes.
   */
  readonly softwareGpu?: boolean;
}

/**
 * Measures a model on this machine: every operator on the CPU at each thread count and on the GPU
 * (where there is one), the whole model on each, and how each operator's GPU output compares with
 * the CPU's. Uses the model's first request as inputs (zeros of its fixed shapes before one).
 */
export async function profileModel(
  planner: Planner,
  gpu: GpuInfo,
  model: PlannedModel,
  options: ModelProfilingOptions,
): Promise<ModelProfile> {
  const { graph } = await planner.graph(model);
  const feeds = planner.sample(model, graph);
  if (!feeds) {
    throw new HetschedError(
      Code.FailedPrecondition,
      `model '${model.key}' has open input dimensions and no request yet to measure it with; send one request first`,
    );
  }
  const bytes = await readFile(model.path);
  const measureGpu =
    gpu.provider !== 'none' &&
    options.machine.gpu !== null &&
    (!gpu.software || options.softwareGpu === true);
  const total = options.cpuThreads.length + (measureGpu ? 2 : 0);
  let done = 0;
  const report = (step: string) => options.onProgress?.({ step, done: done++, total });
  const cpu: ModelProfile['cpu'] = {};
  for (const threads of options.cpuThreads) {
    report(`CPU, ${threads} thread(s)`);
    cpu[String(threads)] = await measureModel(bytes, graph, feeds, {
      provider: 'cpu',
      threads,
      warmup: options.warmup,
      runs: options.runs,
      launchMs: options.machine.cpu.segmentLaunchMs,
    });
  }
  let gpuCosts: ModelProfile['gpu'] = null;
  if (measureGpu) {
    report(`GPU (${gpu.provider})`);
    const costs = await measureModel(bytes, graph, feeds, {
      provider: gpu.provider,
      threads: 1,
      warmup: Math.min(options.warmup, 2),
      runs: Math.max(3, Math.ceil(options.runs / 5)),
      launchMs: options.machine.gpu?.segmentLaunchMs ?? 0,
    });
    report('GPU accuracy against the CPU');
    const verdicts = await planner.verdicts(model, 'gpu:0', graph);
    const accuracy: NonNullable<ModelProfile['gpu']>['accuracy'] = {};
    for (const op of graph.ops) {
      const verdict = verdicts.nodes.get(op.onnxIndex);
      accuracy[op.id] = {
        runsOnGpu: verdict?.runsOnGpu ?? verdicts.unverified === undefined,
        accurate: verdict?.accurate ?? verdicts.unverified === undefined,
        maxAbsDiff: verdict?.maxAbsDiff ?? 0,
        maxRelDiff: verdict?.maxRelDiff ?? 0,
      };
    }
    gpuCosts = { ...costs, accuracy };
  }
  report('done');
  return {
    kind: 'hetsched.model-profile',
    version: 1,
    source: 'measured',
    machine: options.machine.name,
    fingerprint: options.machine.fingerprint,
    model: {
      sha256: model.sha256,
      inputShapes: Object.fromEntries(
        Object.entries(model.inputShapes).map(([name, dims]) => [name, [...dims]]),
      ),
    },
    cpu,
    gpu: gpuCosts,
  };
}

/** Splits calibrateSegments measures: contiguous chunks and random two-lane cuts (not the ones benchmarks evaluate on). */
export const CALIBRATION_SPLITS = [
  'chunks:3',
  'chunks:6',
  'random:101@cpu,cpu:1',
  'random:102@cpu,cpu:1',
] as const;

/**
 * Segments the fit should see at least: a small model cut four ways gives a dozen, too few for
 * eight coefficients (the fit then keeps its fallback) or for a stable launch term. More random
 * cuts (seeds from 103) are measured until it has them; small models run in microseconds, so
 * they cost little.
 */
export const MIN_CALIBRATION_SEGMENTS = 60;
/** At most this many extra random cuts. */
const MAX_EXTRA_CALIBRATION_SPLITS = 8;
/** Whole-model time each split's runs add up to at least (more runs for small models), ms. */
const CALIBRATION_MS_PER_SPLIT = 50;
/** Runs of a split at most. */
const MAX_CALIBRATION_RUNS = 60;

export interface SegmentCalibration {
  readonly runs: number;
  readonly onProgress?: ((progress: ProfileProgress) => void) | undefined;
  readonly plan: (spec: string) => Promise<Plan>;
  /** Runs the model once with this placement: each segment's onnxruntime time, by segment id. */
  readonly run: (spec: string) => Promise<ReadonlyMap<number, number>>;
}

/**
 * Measures the segments of a few calibration splits and fits the segment cost model to them (see
 * fitSegmentCost): how much of the operators' unfused sum a session really takes, and what its
 * edges cost per MiB. The whole model counts as one more sample.
 */
export async function calibrateSegments(
  cost: CostModel,
  costs: ProcessorCosts,
  calibration: SegmentCalibration,
): Promise<ProcessorCosts> {
  const { graph } = cost;
  const everything = graph.ops.map((op) => op.index);
  const samples: SegmentSample[] = [
    {
      ...cost.segmentFeatures(everything, graph.inputs, graph.outputs, 'cpu'),
      measuredMs: costs.whole.medianMs,
    },
  ];
  let done = 0;
  let total: number = CALIBRATION_SPLITS.length;
  const extra = Array.from({ length: MAX_EXTRA_CALIBRATION_SPLITS }, (_, k) => `random:${103 + k}@cpu,cpu:1`);
  for (const spec of [...CALIBRATION_SPLITS, ...extra]) {
    if (done >= CALIBRATION_SPLITS.length) {
      if (samples.length >= MIN_CALIBRATION_SEGMENTS) break;
      total = Math.max(total, done + 1);
    }
    calibration.onProgress?.({ step: `segment calibration ${spec}`, done, total });
    done++;
    const plan = await calibration.plan(spec);
    if (plan.segments.length < 2) continue;
    const segments = planSegments(graph, plan);
    const measured = new Map<number, number[]>();
    // A model that runs in microseconds is cut into segments that do, at the timer's and the
    // scheduler's grain: it gets more runs (and warm-ups), for the same few milliseconds each.
    const runs = Math.max(
      calibration.runs,
      Math.min(
        MAX_CALIBRATION_RUNS,
        Math.ceil(CALIBRATION_MS_PER_SPLIT / Math.max(costs.whole.medianMs, 1e-3)),
      ),
    );
    // As many warm-up runs as measured ones: a split's fresh sessions run slower for their first
    // runs (allocators, caches), enough of them to move a median over a few dozen runs.
    const warmups = runs;
    for (let run = 0; run < runs + warmups; run++) {
      const times = await calibration.run(spec);
      if (run < warmups) continue; // sessions built, caches warm
      for (const [id, ms] of times) measured.set(id, [...(measured.get(id) ?? []), ms]);
    }
    for (const segment of segments) {
      const times = measured.get(segment.id);
      if (!times || times.length === 0) continue;
      samples.push({
        ...cost.segmentFeatures(segment.ops, segment.inputs, segment.outputs, 'cpu'),
        measuredMs: timingOf(times).medianMs,
      });
    }
  }
  const fit = fitSegmentCost(samples, {
    ...segmentCoefficientsOf(costs),
    launchMs: costs.launchMs ?? cost.launchMs('cpu'),
  });
  return { ...costs, ...fit, fittedSegments: samples.length };
}
