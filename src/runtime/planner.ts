import { readFile } from 'node:fs/promises';
import { Code, HetschedError, tracer } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import {
  CPU,
  expandPlacement,
  formatPlacementSpec,
  type GpuVerdict,
  type GpuVerdicts,
  isGpu,
  makePlan,
  type Pin,
  type Placement,
  type Plan,
  type PlanAlternate,
  type PlanMeta,
  type ProcessorId,
  parsePlacementSpec,
  parsePlan,
  pinToCpu,
  planSegments,
  poolOf,
  sameRoute,
} from '../partition/index.js';
import type { GpuInfo, ProbeResult } from '../profile/index.js';
import { copyFeeds, DTYPES, isDType, type TensorData } from '../tensor/index.js';
import type { Executable } from './executable.js';
import type { WorkerPool } from './worker-pool.js';
import type { ExecutionProviderName, SessionSpec } from './worker-protocol.js';

const trace = tracer('runtime');

/** How a caller asks for a placement: a spec (all-cpu, all-gpu, random:SEED) or a plan (parsed JSON). */
export type PlacementRequest = { readonly spec: string } | { readonly plan: unknown };

/** What the planner knows of a model it plans for. */
export interface PlannedModel {
  readonly key: string;
  readonly path: string;
  readonly sha256: string;
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
}

export interface PlannerDeps {
  readonly pools: ReadonlyMap<ProcessorId, WorkerPool>;
  readonly gpu: GpuInfo;
  readonly intraOpThreads: number;
  readonly nextSessionId: () => number;
  /** Checks every operator on the GPU against the CPU (see probeGpuOperators). */
  readonly probe: (modelBytes: Uint8Array, feeds: Record<string, TensorData>) => Promise<ProbeResult>;
}

interface ModelState {
  analysis?: Promise<{ graph: GraphIR; runFailure?: string }>;
  /** A copy of the model's first request: real inputs to resolve shapes and check GPU accuracy with. */
  sample?: Record<string, TensorData>;
  verdicts?: Promise<GpuVerdicts>;
  executables: Map<string, Promise<Executable>>;
  /** Keys of the executables the model's applied plan runs: never dropped to make room (see hold). */
  held: Set<string>;
}

/** How many partitioned placements a model keeps ready (random:SEED requests can ask for many). */
const EXECUTABLES_PER_MODEL = 8;

/**
 * Turns placement requests into executables: analyses the model once (off the main thread),
 * checks its operators on the GPU once, pins what the GPU cannot run or gets wrong back to the
 * CPU, writes the segments as ONNX models (in a worker) and preloads their sessions. Each step is
 * cached per model; a placement asked for twice is partitioned once.
 */
export class Planner {
  private readonly models = new Map<string, ModelState>();

  constructor(private readonly deps: PlannerDeps) {}

  /** Keeps a copy of a model's first request as its sample inputs. */
  remember(model: PlannedModel, feeds: ReadonlyMap<string, TensorData>): void {
    const state = this.state(model);
    if (state.sample) return;
    // An analysis made before any request (e.g. restoring a plan at start) may lack shapes; the
    // next one will run on this sample instead. Plans built on it stay valid: shapes only size them.
    const previous = state.analysis;
    previous?.then(
      (analysis) => {
        if (!analysis.graph.shapesFromRun && state.analysis === previous) delete state.analysis;
      },
      () => {},
    );
    state.sample = Object.fromEntries(copyFeeds(feeds));
  }

  graph(model: PlannedModel): Promise<{ graph: GraphIR; runFailure?: string }> {
    const state = this.state(model);
    if (!state.analysis) {
      const started = this.cpu().analyze({
        source: { kind: 'file', path: model.path },
        inputShapes: model.inputShapes,
        ...(state.sample && { sample: state.sample }),
      });
      state.analysis = started;
      // A failure is reported to this caller; the next one tries again.
      started.catch(() => {
        if (state.analysis === started) delete state.analysis;
      });
    }
    return state.analysis;
  }

  /**
   * The plan a request asks for, with every operator the GPU cannot be trusted with pinned to the
   * CPU: in its placement and, for a plan with an alternate, in the alternate's alike.
   */
  async plan(model: PlannedModel, request: PlacementRequest): Promise<Plan> {
    const { graph } = await this.graph(model);
    if ('spec' in request) {
      const parsed = parsePlacementSpec(request.spec);
      const { placement, pinned } = await this.pin(model, graph, expandPlacement(graph, parsed));
      return makePlan(graph, placement, pinned, {
        sha256: model.sha256,
        inputShapes: model.inputShapes,
        spec: formatPlacementSpec(parsed),
        ...(parsed.kind === 'random' && { seed: parsed.seed }),
      });
    }
    const parsed = parsePlan(request.plan, graph, model.sha256);
    const main = await this.pin(model, graph, parsed.placement);
    let alternate: PlanAlternate | undefined;
    if (parsed.alternate) {
      const route = parsed.alternate.plan;
      const { placement, pinned } = await this.pin(model, graph, route.placement);
      const plan = makePlan(graph, placement, pinned, routeMeta(model, route));
      // Pinning can leave both routes alike (the alternate wanted a GPU this machine lacks): the
      // plan then runs its one placement, as it would with the alternate, and stays valid to store.
      if (
        sameRoute(graph, plan, {
          placement: main.placement,
          ...(parsed.threads && { threads: parsed.threads }),
        })
      )
        trace(`${model.key}: the alternate ${route.spec} is pinned to the plan's own placement; dropped`);
      else alternate = { share: parsed.alternate.share, plan };
    }
    return makePlan(graph, main.placement, main.pinned, {
      ...routeMeta(model, parsed),
      ...(alternate && { alternate }),
    });
  }

  /** A wanted placement with what no GPU here can be trusted with moved to the CPU. */
  private async pin(
    model: PlannedModel,
    graph: GraphIR,
    wanted: Placement,
  ): Promise<{ placement: Placement; pinned: Pin[] }> {
    const gpus = new Map<ProcessorId, GpuVerdicts>();
    for (const processor of new Set(Object.values(wanted))) {
      if (isGpu(processor)) gpus.set(processor, await this.verdicts(model, processor, graph));
    }
    return pinToCpu(graph, wanted, gpus);
  }

  /**
   * The plan, partitioned and ready to run (cached by placement). With `preload` (an applied
   * plan) every segment's session is built in every worker of its pool ahead of traffic; else
   * (one request's placement) sessions are built where and when they first run.
   */
  executable(model: PlannedModel, plan: Plan, options: { preload: boolean }): Promise<Executable> {
    const state = this.state(model);
    const key = executableKey(plan);
    let built = state.executables.get(key);
    if (built) {
      // Most recently used last: the first entry is the one to drop.
      state.executables.delete(key);
      state.executables.set(key, built);
      return built;
    }
    built = this.build(model, plan, options.preload);
    state.executables.set(key, built);
    built.catch(() => state.executables.delete(key));
    // The applied plan's executables are kept on top of the others' EXECUTABLES_PER_MODEL.
    for (;;) {
      const droppable = [...state.executables.keys()].filter((candidate) => !state.held.has(candidate));
      const [oldest] = droppable;
      if (oldest === undefined || droppable.length <= EXECUTABLES_PER_MODEL) break;
      const dropped = state.executables.get(oldest);
      state.executables.delete(oldest);
      void dropped?.then(
        (executable) => this.evict(executable),
        () => {},
      );
    }
    return built;
  }

  /**
   * Keeps the executables of these plans (the model's applied plan: its main placement and its
   * alternate's) from being dropped to make room, in place of those held before. A dropped one's
   * sessions are evicted, and the requests that still run it would rebuild them in the workers,
   * where nothing would release them again; held, they stay cached until forget releases them.
   */
  hold(model: PlannedModel, plans: readonly Plan[]): void {
    this.state(model).held = new Set(plans.map(executableKey));
  }

  /** Inputs to measure a model with: its first request, or zeros of its fixed input shapes. */
  sample(model: PlannedModel, graph: GraphIR): Record<string, TensorData> | undefined {
    return this.state(model).sample ?? zeroFeeds(graph);
  }

  /** Forgets a model and releases every session its plans built. */
  async forget(model: PlannedModel): Promise<void> {
    const state = this.models.get(model.key);
    this.models.delete(model.key);
    for (const built of state?.executables.values() ?? []) {
      await built.then(
        (executable) => this.evict(executable),
        () => {},
      );
    }
  }

  private async build(model: PlannedModel, plan: Plan, preload: boolean): Promise<Executable> {
    const { graph } = await this.graph(model);
    const parts = await this.cpu().partition({
      source: { kind: 'file', path: model.path },
      graph,
      segments: planSegments(graph, plan),
    });
    const segments = parts.map((part) => {
      const threads = this.threadsOf(plan, part.processor);
      return {
        id: part.segment,
        processor: part.processor,
        session: this.sessionSpec(part.processor, part.bytes, threads),
        slots: this.slotsFor(part.processor, threads),
        inputs: part.inputs,
        outputs: part.outputs,
      };
    });
    for (const segment of preload ? segments : []) {
      const pool = this.pool(poolOf(segment.processor));
      for (let thread = 0; thread < pool.threads; thread++) {
        pool
          .load(segment.session)
          .catch((error: unknown) =>
            trace(`preloading ${model.key} segment ${segment.id}: ${String(error)}`),
          );
      }
    }
    trace(
      `${model.key}: ${plan.spec} -> ${segments.length} segment(s), ${plan.pinned.length} pinned to the CPU`,
    );
    return { plan, segments, outputs: graph.outputs };
  }

  private evict(executable: Executable): void {
    for (const segment of executable.segments)
      this.deps.pools.get(poolOf(segment.processor))?.evict([segment.session.id]);
  }

  /** Intra-op threads of a segment's session: its lane's budget, the server's own on the CPU, 1 on a GPU. */
  private threadsOf(plan: Plan, processor: ProcessorId): number {
    if (isGpu(processor)) return 1;
    return plan.threads?.[processor] ?? this.deps.intraOpThreads;
  }

  /**
   * Worker slots a run of `threads` intra-op threads holds: as many as it takes of the pool's
   * cores (each worker stands for intraOpThreads of them), at most all of them.
   */
  private slotsFor(processor: ProcessorId, threads: number): number {
    if (isGpu(processor)) return 1;
    return Math.min(this.cpu().threads, Math.max(1, Math.ceil(threads / this.deps.intraOpThreads)));
  }

  private sessionSpec(processor: ProcessorId, bytes: SharedArrayBuffer, threads: number): SessionSpec {
    const onCpu = poolOf(processor) === CPU;
    const providers: ExecutionProviderName[] = onCpu ? ['cpu'] : [gpuProvider(this.deps.gpu)];
    return {
      id: this.deps.nextSessionId(),
      source: { kind: 'bytes', bytes },
      options: { executionProviders: providers, intraOpThreads: threads },
    };
  }

  /** What is known of one GPU's operators for this model: checked once, against the CPU, on real inputs. */
  verdicts(model: PlannedModel, processor: ProcessorId, graph: GraphIR): Promise<GpuVerdicts> {
    const { gpu } = this.deps;
    if (processor !== 'gpu:0' || gpu.provider === 'none' || !this.deps.pools.has(processor)) {
      const detail =
        processor === 'gpu:0'
          ? `no GPU execution provider: ${gpu.detail}`
          : `${processor} does not exist on this machine`;
      return Promise.resolve({ available: false, detail, nodes: new Map() });
    }
    const state = this.state(model);
    state.verdicts ??= (async (): Promise<GpuVerdicts> => {
      const detail = gpu.detail;
      const feeds = state.sample ?? zeroFeeds(graph);
      if (!feeds) {
        return {
          available: true,
          detail,
          nodes: new Map(),
          unverified: 'not checked against the CPU yet: no inputs to check with (send a request first)',
        };
      }
      let result: ProbeResult;
      try {
        result = await this.deps.probe(await readFile(model.path), feeds);
      } catch (error) {
        return {
          available: true,
          detail,
          nodes: new Map(),
          unverified: `could not check the operators on the GPU: ${HetschedError.from(error).message}`,
        };
      }
      const nodes = new Map<number, GpuVerdict>();
      for (const node of result.nodes) {
        nodes.set(node.index, {
          // 'none' means no kernel ran (a folded constant): nothing to distrust.
          runsOnGpu: node.provider !== 'cpu',
          accurate: node.accurate,
          maxAbsDiff: node.maxAbsDiff,
          maxRelDiff: node.maxRelDiff,
        });
      }
      return { available: true, detail, nodes };
    })();
    return state.verdicts;
  }

  private state(model: PlannedModel): ModelState {
    let state = this.models.get(model.key);
    if (!state) {
      state = { executables: new Map(), held: new Set() };
      this.models.set(model.key, state);
    }
    return state;
  }

  private cpu(): WorkerPool {
    return this.pool(CPU);
  }

  private pool(processor: ProcessorId): WorkerPool {
    const pool = this.deps.pools.get(processor);
    if (!pool) throw new HetschedError(Code.Internal, `no worker pool for ${processor}`);
    return pool;
  }
}

/** An executable runs a placement at its thread budgets; the rest of a plan does not change what runs. */
function executableKey(plan: Plan): string {
  return JSON.stringify([plan.placement, plan.threads ?? {}]);
}

/** What a parsed plan's placement is rebuilt with, once pinned: its name, seed and thread budgets. */
function routeMeta(model: PlannedModel, plan: Plan): PlanMeta {
  return {
    sha256: model.sha256,
    inputShapes: model.inputShapes,
    spec: plan.spec,
    ...(plan.seed !== undefined && { seed: plan.seed }),
    // Pinning moves operators off a GPU only: every CPU lane a budget names keeps its operators.
    ...(plan.threads && { threads: plan.threads }),
  };
}

function gpuProvider(gpu: GpuInfo): ExecutionProviderName {
  if (gpu.provider === 'none') throw new HetschedError(Code.Internal, 'a GPU segment without a GPU');
  return gpu.provider;
}

/** Zero inputs of the graph's input shapes, when every input has a fixed shape and a known dtype. */
function zeroFeeds(graph: GraphIR): Record<string, TensorData> | undefined {
  const feeds: Record<string, TensorData> = {};
  for (const name of graph.inputs) {
    const tensor = graph.tensors[name];
    const dims = tensor?.dims;
    if (
      !tensor ||
      !dims ||
      !isDType(tensor.dtype) ||
      !dims.every((dim): dim is number => typeof dim === 'number')
    )
      return undefined;
    const count = dims.reduce((product, dim) => product * dim, 1);
    feeds[name] = { dtype: tensor.dtype, dims, data: new DTYPES[tensor.dtype].array(count) };
  }
  return feeds;
}
