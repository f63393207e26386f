import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Code, HetschedError, tracer } from '../common/index.js';
import {
  type MachineProfile,
  type ModelProfile,
  REQUEST_SLOTS_PER_THREAD,
  requestSlotsFor,
  type WorkerIdle,
} from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import { CPU, type Plan, type ProcessorId, poolOf } from '../partition/index.js';
import { type GpuInfo, probeGpuOperators } from '../profile/index.js';
import type { PlanSearchReport, SearchTask } from '../search/index.js';
import type { TensorData } from '../tensor/index.js';
import { buildApplied, isWholeOnCpu, mainRoute, partitionedRoutes, routeRequest } from './applied-plan.js';
import { runDataflow } from './dataflow.js';
import { Dispatcher } from './dispatcher.js';
import { checkFeeds, resolveOutputs, stoppedBeforeSegment } from './engine-checks.js';
import {
  engineMachineProfile,
  engineModelProfile,
  engineTransfers,
  engineWorkerIdle,
  type MeasuredEngine,
} from './engine-measure.js';
import type { EngineModel, InferOptions, InferResult, ServedModel } from './engine-types.js';
import type { Executable } from './executable.js';
import type { TransferCosts } from './measure-transfers.js';
import { type PlacementRequest, Planner } from './planner.js';
import { type ModelProfilingOptions, type ProfileProgress, profileModel } from './profiler.js';
import { SearchPool } from './search-pool.js';
import { WorkerPool } from './worker-pool.js';
import type { SessionSpec, WorkerStats } from './worker-protocol.js';

export type { EngineModel, InferOptions, InferResult, ServedModel } from './engine-types.js';

const trace = tracer('runtime');

export interface EngineOptions {
  /** CPU worker threads. */
  readonly cpuThreads: number;
  /** onnxruntime intra-op threads per CPU session. */
  readonly intraOpThreads: number;
  /** Requests that may wait per model before RESOURCE_EXHAUSTED. */
  readonly maxQueueLength: number;
  /** The GPU execution provider found at start; a GPU pool exists only when there is one. */
  readonly gpu?: GpuInfo;
  /** Requests the dispatcher runs at once per worker thread (default REQUEST_SLOTS_PER_THREAD). */
  readonly requestSlotsPerThread?: number;
}

const NO_GPU: GpuInfo = {
  provider: 'none',
  software: false,
  detail: 'no GPU execution provider configured',
  failures: [],
};

/**
 * Runs models for the server and the CLI: checks a request against its model's signature, queues
 * it in its tenant's queue, and when the dispatcher grants a slot runs it — whole on a CPU worker,
 * or as a plan's segments across the CPU and GPU pools.
 */
export class Engine {
  readonly gpu: GpuInfo;
  /** Requests the dispatcher runs at once; the rest wait in their tenants' queues. */
  readonly requestSlots: number;
  /** The rule it follows: requestSlots = requestSlotsFor(the pools' threads, this). */
  readonly requestSlotsPerThread: number;
  private readonly pools = new Map<ProcessorId, WorkerPool>();
  private readonly dispatcher: Dispatcher;
  private readonly planner: Planner;
  /** The plan search's worker, kept between searches (SearchPool); started by the first. */
  private readonly searches = new SearchPool();
  private nextSessionId = 1;
  /** This engine as its measurements see it (engine-measure.ts). */
  private readonly measured: MeasuredEngine;

  constructor(private readonly options: EngineOptions) {
    this.gpu = options.gpu ?? NO_GPU;
    this.pools.set(CPU, new WorkerPool({ processor: CPU, threads: options.cpuThreads }));
    // One thread for the GPU: one device queue; its sessions share the device.
    if (this.gpu.provider !== 'none')
      this.pools.set('gpu:0', new WorkerPool({ processor: 'gpu:0', threads: 1 }));
    const threads = [...this.pools.values()].reduce((total, pool) => total + pool.threads, 0);
    this.requestSlotsPerThread = options.requestSlotsPerThread ?? REQUEST_SLOTS_PER_THREAD;
    this.requestSlots = requestSlotsFor(threads, this.requestSlotsPerThread);
    this.dispatcher = new Dispatcher({ slots: this.requestSlots, maxQueueLength: options.maxQueueLength });
    this.planner = new Planner({
      pools: this.pools,
      gpu: this.gpu,
      intraOpThreads: options.intraOpThreads,
      nextSessionId: () => this.nextSessionId++,
      probe: (bytes, feeds) => {
        const provider = this.gpu.provider;
        if (provider === 'none') throw new HetschedError(Code.FailedPrecondition, 'no GPU to probe');
        return probeGpuOperators(bytes, feeds, { provider });
      },
    });
    this.measured = {
      gpu: this.gpu,
      cpuThreads: options.cpuThreads,
      intraOpThreads: options.intraOpThreads,
      cpuPool: () => this.cpu(),
      gpuPool: () => this.pools.get('gpu:0'),
      nextSessionId: () => this.nextSessionId++,
      serve: (key, path, sha256, inputs, outputs) => {
        const served = this.load({
          key,
          path,
          sha256,
          inputs,
          outputs,
          latencySloMs: Number.POSITIVE_INFINITY,
        });
        return { request: (feeds) => this.infer(served, feeds), stop: () => this.unload(served) };
      },
      graph: (served) => this.graph(served),
      plan: (served, request) => this.plan(served, request),
      sample: (served, graph) => this.planner.sample(planned(served), graph),
      profileModel: (served, options) => profileModel(this.planner, this.gpu, planned(served), options),
      infer: (served, feeds, options) => this.infer(served, feeds, options),
    };
  }

  /** CPU worker threads: how many CPU segments run at once. */
  get cpuThreads(): number {
    return this.options.cpuThreads;
  }

  /** onnxruntime threads inside one CPU session. */
  get intraOpThreads(): number {
    return this.options.intraOpThreads;
  }

  /**
   * Makes a model servable, and queues one session build per CPU slot in the model's own queue:
   * idle workers build ahead of traffic; the model's first requests wait behind the build they
   * need anyway; unload and close, which drain the queue, never stop a worker mid-build (that
   * aborts the process). A build that fails is left for the first request to report.
   */
  load(model: EngineModel): ServedModel {
    const session: SessionSpec = {
      id: this.nextSessionId++,
      source: { kind: 'file', path: model.path },
      options: { executionProviders: ['cpu'], intraOpThreads: this.options.intraOpThreads },
    };
    const whole: Executable = {
      segments: [
        {
          id: 0,
          processor: CPU,
          session,
          slots: 1,
          inputs: model.inputs.map((input) => input.name),
          outputs: model.outputs.map((output) => output.name),
        },
      ],
      outputs: model.outputs.map((output) => output.name),
    };
    for (let slot = 0; slot < this.options.cpuThreads; slot++) {
      this.dispatcher
        .submit({
          queue: model.key,
          sloDeadlineMs: performance.now() + model.latencySloMs,
          execute: () => this.cpu().load(session),
        })
        .catch((error: unknown) => trace(`preloading ${model.key}: ${HetschedError.from(error).message}`));
    }
    return { model, session, whole, applied: undefined };
  }

  /** Waits for the model's queued and running requests, then releases its sessions in every worker. */
  async unload(served: ServedModel): Promise<void> {
    await this.dispatcher.drain(served.model.key);
    this.cpu().evict([served.session.id]);
    await this.planner.forget(planned(served));
  }

  /**
   * Serves a model file as a tenant (read, inspected off the main thread, loaded): what the CLI,
   * benchmarks and tests serve files with. No SLO unless given.
   * @throws HetschedError NOT_FOUND when the file cannot be read, INVALID_ARGUMENT when it is not a model.
   */
  async loadFile(path: string, key = path, latencySloMs = Number.POSITIVE_INFINITY): Promise<ServedModel> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new HetschedError(Code.NotFound, `cannot read ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const { info, sha256 } = await this.inspect(bytes);
    return this.load({ key, path, sha256, inputs: info.inputs, outputs: info.outputs, latencySloMs });
  }

  /** Validates model bytes off the main thread; see WorkerPool.inspect. */
  inspect(bytes: Uint8Array): ReturnType<WorkerPool['inspect']> {
    return this.cpu().inspect(bytes);
  }

  /** The model's graph IR (analysed once, with its first request as the sample when there was one). */
  async graph(served: ServedModel): Promise<{ graph: GraphIR; runFailure?: string }> {
    return this.planner.graph(planned(served));
  }

  /** The plan a placement request resolves to for this model, without applying it. */
  plan(served: ServedModel, request: PlacementRequest): Promise<Plan> {
    return this.planner.plan(planned(served), request);
  }

  /**
   * Makes a plan the model's active one: partitioned, sessions preloaded, used by every request
   * that does not ask for another placement, and a plan's alternate by its share of them (a new
   * plan starts its split afresh). A route that keeps everything in one CPU segment runs the model
   * whole; such a plan without an alternate is as if none were applied.
   */
  async applyPlan(served: ServedModel, request: PlacementRequest): Promise<Plan> {
    const plan = await this.plan(served, request);
    const applied = await buildApplied(plan, (route) => this.executableOf(served, route, true));
    served.applied = applied;
    this.planner.hold(planned(served), partitionedRoutes(applied));
    return plan;
  }

  /** The active plan, alternate included; undefined when the model runs whole on the CPU. */
  activePlan(served: ServedModel): Plan | undefined {
    return served.applied?.plan;
  }

  async infer(
    served: ServedModel,
    feeds: ReadonlyMap<string, TensorData>,
    options: InferOptions = {},
  ): Promise<InferResult> {
    const { model } = served;
    checkFeeds(model, feeds);
    const outputs = resolveOutputs(model, options.outputs ?? []);
    this.planner.remember(planned(served), feeds);
    const own = options.placement && (await this.executableFor(served, options.placement));
    // The plan applied when the request arrives is the one it runs. Which of its routes is decided
    // when the dispatcher starts it: a request refused, cancelled or expired in the queue then
    // takes no turn, so the alternate runs its share of the requests that run. (Deciding at
    // arrival would suit the search's simulator as well: it models the routes as two queues with
    // one SLO, served in deadline order, and the model's queue is in that order too.)
    const applied = served.applied;
    const sloDeadlineMs = performance.now() + model.latencySloMs;
    const { value, queueMs } = await this.dispatcher.submit({
      queue: model.key,
      sloDeadlineMs,
      ...(options.deadlineMs !== undefined && { hardDeadlineMs: options.deadlineMs }),
      ...(options.signal && { signal: options.signal }),
      execute: async () => {
        const route = own ? { executable: own, alternate: false } : routeRequest(applied, served.whole);
        const ran = await runDataflow(
          route.executable,
          feeds,
          outputs,
          (processor, segment, segmentFeeds, fetch) => {
            // A dispatched request may outlive its caller (a pool queue is never aborted): its
            // remaining segments are not started for nobody.
            const stopped = stoppedBeforeSegment(options, segment.id);
            if (stopped) return Promise.reject(stopped);
            // The pools keep the dispatcher's order: the request's segments wait by its SLO deadline.
            return this.pool(poolOf(processor)).run(
              segment.session,
              segmentFeeds,
              fetch,
              segment.slots,
              sloDeadlineMs,
            );
          },
        );
        return { ran, alternate: route.alternate };
      },
    });
    const { ran, alternate } = value;
    return {
      outputs: ran.outputs,
      queueMs,
      computeMs: ran.computeMs,
      executeMs: ran.executeMs,
      segments: ran.segmentsRun,
      alternate,
      segmentComputeMs: ran.segmentComputeMs,
    };
  }

  /** Requests of this model admitted and not yet finished (queued or running). */
  pending(served: ServedModel): number {
    return this.dispatcher.pending(served.model.key);
  }

  /** Diagnostics from one worker of a pool. */
  workerStats(processor: ProcessorId = CPU): Promise<WorkerStats> {
    return this.pool(processor).stats();
  }

  /** Measures the switching costs of every pool (see engineTransfers). Run it on an idle engine. */
  measureTransfers(repeats = 30): Promise<{ cpu: TransferCosts; gpu?: TransferCosts }> {
    return engineTransfers(this.measured, repeats);
  }

  /** Measures this machine (switching costs, CPU interference and rates): its measured machine profile. */
  profileMachine(options: {
    runs: number;
    onProgress?: (progress: ProfileProgress) => void;
  }): Promise<MachineProfile> {
    return engineMachineProfile(this.measured, options);
  }

  /** The CPU workers' waits on the main thread at this engine's thread count (see engineWorkerIdle). */
  measureWorkerIdle(roundMs = 1_000): Promise<WorkerIdle> {
    return engineWorkerIdle(this.measured, roundMs);
  }

  /** Measures a served model and fits its segments at every thread count (see engineModelProfile). */
  profileModel(served: ServedModel, options: ModelProfilingOptions): Promise<ModelProfile> {
    return engineModelProfile(this.measured, served, options);
  }

  /** Waits for every queued and running request. */
  drain(): Promise<void> {
    return this.dispatcher.drain();
  }

  /** Runs a plan search off this thread (SearchPool.search). */
  search(task: SearchTask, timeoutMs: number): Promise<PlanSearchReport> {
    return this.searches.search(task, timeoutMs);
  }

  /** Drains the requests, closes the pools, and ends the search worker (a search in progress with it). */
  async close(): Promise<void> {
    await this.dispatcher.drain();
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    await this.searches.close();
  }

  /** A request's own placement; a plan with an alternate runs its main placement (one request has no share to split). */
  private async executableFor(served: ServedModel, request: PlacementRequest): Promise<Executable> {
    return this.executableOf(served, mainRoute(await this.plan(served, request)), false);
  }

  /** What runs one placement (a plan without an alternate), built and cached by the planner. */
  private executableOf(served: ServedModel, route: Plan, preload: boolean): Promise<Executable> {
    return isWholeOnCpu(route)
      ? Promise.resolve(served.whole)
      : this.planner.executable(planned(served), route, { preload });
  }

  private cpu(): WorkerPool {
    return this.pool(CPU);
  }

  private pool(processor: ProcessorId): WorkerPool {
    const pool = this.pools.get(processor);
    if (!pool) throw new HetschedError(Code.Internal, `no worker pool for ${processor}`);
    return pool;
  }
}

function planned(served: ServedModel) {
  const { key, path, sha256, inputs } = served.model;
  return {
    key,
    path,
    sha256,
    inputShapes: Object.fromEntries(inputs.map((input) => [input.name, input.shape])),
  };
}
