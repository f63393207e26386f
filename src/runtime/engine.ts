import { performance } from 'node:perf_hooks';
import { Code, HetschedError, tracer } from '../common/index.js';
import { checkAgainstSpec, type TensorData, type TensorSpec } from '../tensor/index.js';
import { CpuPool } from './cpu-pool.js';
import { Dispatcher } from './dispatcher.js';
import type { SessionSpec, WorkerStats } from './worker-protocol.js';

const trace = tracer('runtime');

/** A model as the engine serves it. */
export interface EngineModel {
  /** Unique among served models; names the tenant queue in messages (e.g. `ppocr-rec@1`). */
  readonly key: string;
  readonly path: string;
  /** Inputs with the registered shapes applied (-1 where still open). */
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly latencySloMs: number;
}

export interface EngineOptions {
  /** CPU worker threads. */
  readonly cpuThreads: number;
  /** onnxruntime intra-op threads per session. */
  readonly intraOpThreads: number;
  /** Requests that may wait per model before RESOURCE_EXHAUSTED. */
  readonly maxQueueLength: number;
}

export interface InferOptions {
  /** Outputs to return, in this order; all of the model's, in its order, when empty. */
  readonly outputs?: readonly string[];
  readonly signal?: AbortSignal;
  /** Absolute deadline on performance.now()'s clock. */
  readonly deadlineMs?: number;
}

export interface InferResult {
  readonly outputs: ReadonlyMap<string, TensorData>;
  readonly queueMs: number;
  readonly computeMs: number;
}

/** A model loaded into the engine; obtained from load(), given back to unload(). */
export interface ServedModel {
  readonly model: EngineModel;
  readonly session: SessionSpec;
}

/**
 * Runs whole models on the CPU executor: checks a request against the model's signature, queues
 * it in its tenant's queue, and runs it on a worker thread when the dispatcher grants a slot.
 */
export class Engine {
  private readonly pool: CpuPool;
  private readonly dispatcher: Dispatcher;
  private nextSessionId = 1;

  constructor(private readonly options: EngineOptions) {
    this.pool = new CpuPool({ threads: options.cpuThreads });
    this.dispatcher = new Dispatcher({ slots: options.cpuThreads, maxQueueLength: options.maxQueueLength });
  }

  /**
   * Makes a model servable, and queues one session build per worker slot in the model's own queue:
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
    for (let slot = 0; slot < this.options.cpuThreads; slot++) {
      this.dispatcher
        .submit({
          queue: model.key,
          sloDeadlineMs: performance.now() + model.latencySloMs,
          execute: () => this.pool.load(session),
        })
        .catch((error: unknown) => trace(`preloading ${model.key}: ${HetschedError.from(error).message}`));
    }
    return { model, session };
  }

  /** Waits for the model's queued and running requests, then releases its sessions in every worker. */
  async unload(served: ServedModel): Promise<void> {
    await this.dispatcher.drain(served.model.key);
    this.pool.evict([served.session.id]);
  }

  /** Validates model bytes off the main thread; see CpuPool.inspect. */
  inspect(bytes: Uint8Array): ReturnType<CpuPool['inspect']> {
    return this.pool.inspect(bytes);
  }

  async infer(
    served: ServedModel,
    feeds: ReadonlyMap<string, TensorData>,
    options: InferOptions = {},
  ): Promise<InferResult> {
    const { model } = served;
    checkFeeds(model, feeds);
    const outputs = resolveOutputs(model, options.outputs ?? []);
    const now = performance.now();
    const { value, queueMs } = await this.dispatcher.submit({
      queue: model.key,
      sloDeadlineMs: now + model.latencySloMs,
      ...(options.deadlineMs !== undefined && { hardDeadlineMs: options.deadlineMs }),
      ...(options.signal && { signal: options.signal }),
      execute: () => this.pool.run(served.session, Object.fromEntries(feeds), outputs),
    });
    const ordered = new Map<string, TensorData>();
    for (const name of outputs) {
      const tensor = value.outputs[name];
      if (!tensor)
        throw new HetschedError(Code.Internal, `model '${model.key}' did not produce output '${name}'`);
      ordered.set(name, tensor);
    }
    return { outputs: ordered, queueMs, computeMs: value.computeMs };
  }

  /** Requests of this model admitted and not yet finished (queued or running). */
  pending(served: ServedModel): number {
    return this.dispatcher.pending(served.model.key);
  }

  /** Diagnostics from one worker of the CPU pool. */
  workerStats(): Promise<WorkerStats> {
    return this.pool.stats();
  }

  /** Waits for every queued and running request. */
  drain(): Promise<void> {
    return this.dispatcher.drain();
  }

  async close(): Promise<void> {
    await this.dispatcher.drain();
    await this.pool.close();
  }
}

function checkFeeds(model: EngineModel, feeds: ReadonlyMap<string, TensorData>): void {
  for (const spec of model.inputs) {
    const tensor = feeds.get(spec.name);
    if (!tensor) {
      throw new HetschedError(
        Code.InvalidArgument,
        `model '${model.key}' needs input '${spec.name}' (inputs: ${model.inputs.map((input) => input.name).join(', ')})`,
      );
    }
    checkAgainstSpec(tensor, spec);
  }
  if (feeds.size !== model.inputs.length) {
    const known = new Set(model.inputs.map((input) => input.name));
    const unknown = [...feeds.keys()].filter((name) => !known.has(name));
    throw new HetschedError(
      Code.InvalidArgument,
      `model '${model.key}' has no input named ${unknown.map((name) => `'${name}'`).join(', ')} (inputs: ${[...known].join(', ')})`,
    );
  }
}

function resolveOutputs(model: EngineModel, requested: readonly string[]): string[] {
  const all = model.outputs.map((output) => output.name);
  if (requested.length === 0) return all;
  const known = new Set(all);
  const seen = new Set<string>();
  for (const name of requested) {
    if (!known.has(name)) {
      throw new HetschedError(
        Code.InvalidArgument,
        `model '${model.key}' has no output '${name}' (outputs: ${all.join(', ')})`,
      );
    }
    if (seen.has(name)) throw new HetschedError(Code.InvalidArgument, `output '${name}' is requested twice`);
    seen.add(name);
  }
  return [...requested];
}
