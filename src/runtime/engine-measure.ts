import { availableParallelism } from 'node:os';
import {
  CostModel,
  type MachineProfile,
  type ModelProfile,
  type ProcessorCosts,
  type WorkerIdle,
} from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import { type Plan, withLaneThreads } from '../partition/index.js';
import type { GpuInfo } from '../profile/index.js';
import { copyFeeds, type TensorData, type TensorSpec } from '../tensor/index.js';
import type { InferOptions, InferResult, ServedModel } from './engine-types.js';
import { measureRequestPath } from './measure-request.js';
import { measureTransfers, type TransferCosts } from './measure-transfers.js';
import { floatVectorSpec, measureWorkerIdle } from './measure-worker-idle.js';
import type { PlacementRequest } from './planner.js';
import {
  calibrateSegments,
  calibrationModels,
  type ModelProfilingOptions,
  type ProfileProgress,
  profileMachine,
} from './profiler.js';
import type { WorkerPool } from './worker-pool.js';

/**
 * What measuring needs of an engine: its pools and session ids, its model state, and serving a
 * probe model for a while. The engine hands its measurements this view of itself, so they live
 * apart from serving.
 */
export interface MeasuredEngine {
  readonly gpu: GpuInfo;
  readonly cpuThreads: number;
  readonly intraOpThreads: number;
  cpuPool(): WorkerPool;
  gpuPool(): WorkerPool | undefined;
  nextSessionId(): number;
  /** Serves a model file as a tenant with no SLO, until stop(). */
  serve(
    key: string,
    path: string,
    sha256: string,
    inputs: readonly TensorSpec[],
    outputs: readonly TensorSpec[],
  ): { request(feeds: Map<string, TensorData>): Promise<InferResult>; stop(): Promise<void> };
  graph(served: ServedModel): Promise<{ graph: GraphIR }>;
  plan(served: ServedModel, request: PlacementRequest): Promise<Plan>;
  /** Inputs to measure a model with: its first request, or zeros of its fixed shapes. */
  sample(served: ServedModel, graph: GraphIR): Record<string, TensorData> | undefined;
  /** The planner-level measurement of a model (profileModel), before the segment fit. */
  profileModel(served: ServedModel, options: ModelProfilingOptions): Promise<ModelProfile>;
  infer(
    served: ServedModel,
    feeds: ReadonlyMap<string, TensorData>,
    options?: InferOptions,
  ): Promise<InferResult>;
}

/** The switching costs of every pool (see measureTransfers). Run it on an idle engine. */
export async function engineTransfers(
  engine: MeasuredEngine,
  repeats = 30,
): Promise<{ cpu: TransferCosts; gpu?: TransferCosts }> {
  const next = () => engine.nextSessionId();
  const cpu = await measureTransfers(engine.cpuPool(), 'cpu', next, { repeats });
  const gpuPool = engine.gpuPool();
  if (!gpuPool || engine.gpu.provider === 'none') return { cpu };
  return { cpu, gpu: await measureTransfers(gpuPool, engine.gpu.provider, next, { repeats }) };
}

/** Measures the machine (switching costs, CPU interference and rates): its measured machine profile. */
export async function engineMachineProfile(
  engine: MeasuredEngine,
  options: { runs: number; onProgress?: (progress: ProfileProgress) => void },
): Promise<MachineProfile> {
  const calibration = await calibrationModels((task) => engine.cpuPool().analyze(task));
  return profileMachine(
    {
      gpu: engine.gpu,
      cores: availableParallelism(),
      cpuThreads: engine.cpuThreads,
      measureTransfers: () => engineTransfers(engine),
      measureRequestPath: () =>
        measureRequestPath(
          {
            pool: engine.cpuPool(),
            sessionId: engine.nextSessionId(),
            serve: (path, sha256) =>
              engine.serve('(request path)', path, sha256, [floatVectorSpec('x0')], [floatVectorSpec('y0')]),
          },
          { repeats: 30 },
        ),
      measureWorkerIdle: () => engineWorkerIdle(engine),
    },
    calibration,
    options,
  );
}

/**
 * The CPU worker time each segment run costs beyond its session while the engine's CPU pool is
 * saturated (see measureWorkerIdle): a figure of its thread count. Run it on an idle engine.
 */
export function engineWorkerIdle(engine: MeasuredEngine, roundMs = 1_000): Promise<WorkerIdle> {
  return measureWorkerIdle(
    {
      threads: engine.cpuThreads,
      serve: (path, sha256, inputs, outputs) => engine.serve('(worker idle)', path, sha256, inputs, outputs),
    },
    { roundMs },
  );
}

/**
 * Measures a served model (see profileModel), then fits how its segments cost on the CPU (see
 * calibrateSegments) at every intra-op thread count measured: each calibration split runs with
 * its CPU lanes at that many threads (a plan's thread budgets).
 */
export async function engineModelProfile(
  engine: MeasuredEngine,
  served: ServedModel,
  options: ModelProfilingOptions,
): Promise<ModelProfile> {
  const profile = await engine.profileModel(served, options);
  const { graph } = await engine.graph(served);
  const feeds = engine.sample(served, graph);
  if (!feeds) return profile;
  const fittedCpu: Record<string, ProcessorCosts> = { ...profile.cpu };
  for (const [key, cpu] of Object.entries(profile.cpu)) {
    const threads = Number(key);
    const cost = new CostModel(graph, options.machine, profile, { cpuThreads: threads });
    // Each split's request built once: calibration runs it dozens of times.
    const requests = new Map<string, Promise<PlacementRequest>>();
    const placement = (spec: string): Promise<PlacementRequest> => {
      let request = requests.get(spec);
      if (!request) {
        request =
          threads === engine.intraOpThreads
            ? Promise.resolve({ spec })
            : engine.plan(served, { spec }).then((plan) => ({ plan: withLaneThreads(plan, threads) }));
        requests.set(spec, request);
      }
      return request;
    };
    const onProgress = options.onProgress;
    fittedCpu[key] = await calibrateSegments(cost, cpu, {
      runs: Math.max(5, Math.ceil(options.runs / 3)),
      onProgress:
        onProgress &&
        ((progress) => onProgress({ ...progress, step: `${progress.step} (${threads} thread(s))` })),
      plan: async (spec) => engine.plan(served, await placement(spec)),
      run: async (spec) =>
        (await engine.infer(served, copyFeeds(feeds), { placement: await placement(spec) })).segmentComputeMs,
    });
  }
  return { ...profile, cpu: fittedCpu };
}
