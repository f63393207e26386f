/**
 * Suite `costmodel`: how well the profile-based cost model and the simulator predict this machine.
 *
 * A. Segments: each real model is profiled (per-operator costs; segment cost fitted on the
 *    profiler's own calibration splits), then cut into CPU segments (other contiguous chunks and
 *    random two-lane splits) that the profiler never ran;
 *    each segment's predicted time is compared with its measured onnxruntime time (median over
 *    two rounds of runs in the worker, after as many warm-up runs; the rounds against each other
 *    give the measurement's own repeatability). The whole model, a calibration sample, is left out.
 *    The same cuts again with every CPU lane at 2 intra-op threads (a thread budget), predicted
 *    from the profile's 2-thread measurements and fit: `two_threads`, apart from the targets' figures.
 * B. Throughput: three tenants (PP-OCR det 320x320, rec, cls), two closed-loop clients each, run
 *    for real on a two-thread CPU pool; the simulator predicts the same workload from the profiles.
 *    Each tenant's session time alone and under load, its requests' time outside the session, the
 *    workers' share of the run spent in sessions (real and simulated), and the main thread's busy
 *    share and garbage collections show where the two part; each tenant's p99 latency under the
 *    load. The same for the three small audio models (four clients each, `audio`): tiny requests,
 *    where the main thread binds; and for the OCR trio with SLOs 80x apart (`mixed_slos`), where
 *    the queues' deadline order decides who is served.
 * C. Speed: simulator evaluations per second (5 tenants, 1,500 operators).
 */
import { performance } from 'node:perf_hooks';
import { CostModel, type MachineProfile, simTenant, simulate } from '../src/cost/index.js';
import { ensureModels, exampleFeeds } from '../src/models/index.js';
import { planSegments, withLaneThreads } from '../src/partition/index.js';
import { Engine, type ServedModel } from '../src/runtime/index.js';
import { copyFeeds, type TensorData } from '../src/tensor/index.js';
import { type MainThreadLoad, watchMainThread } from './main-thread.js';
import { simSpeed } from './sim-speed.js';
import { percentile, round } from './stats.js';

interface Case {
  readonly id: string;
  readonly dims?: Record<string, number[]>;
  readonly runs: number;
}

const CASES: readonly Case[] = [
  { id: 'ppocr-det', dims: { x: [1, 3, 320, 320] }, runs: 12 },
  { id: 'ppocr-rec', runs: 12 },
  { id: 'ppocr-cls', runs: 30 },
  { id: 'silero-vad-v5', runs: 60 },
  { id: 'silero-vad-legacy', runs: 60 },
  { id: 'openwakeword', runs: 60 },
];
const SPLITS = ['chunks:2', 'chunks:4', 'chunks:8', 'random:1@cpu,cpu:1', 'random:2@cpu,cpu:1'] as const;

export async function costmodel(): Promise<Record<string, unknown>> {
  const paths = await ensureModels(CASES.map((entry) => entry.id));
  const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 8 });
  const errorsPct: number[] = [];
  const twoThreadErrorsPct: number[] = [];
  const perModel: Record<string, unknown> = {};
  const costs = new Map<string, CostModel>();
  let machine: MachineProfile;
  try {
    process.stderr.write('profiling the machine\n');
    machine = await engine.profileMachine({ runs: 20 });
    for (const entry of CASES) {
      const path = paths.get(entry.id) ?? '';
      const served = await engine.loadFile(path, entry.id);
      const feeds = exampleFeeds(entry.id, { seed: 1, ...(entry.dims && { dims: entry.dims }) });
      await engine.infer(served, copyFeeds(feeds));
      const profile = await engine.profileModel(served, { machine, cpuThreads: [1, 2], warmup: 5, runs: 20 });
      const { graph } = await engine.graph(served);
      const cost = new CostModel(graph, machine, profile, { cpuThreads: 1 });
      costs.set(entry.id, cost);
      const { modelErrors, repeatErrors } = await splitErrors(engine, served, feeds, cost, entry.runs, 1);
      // At a thread budget of 2 (each CPU lane's sessions at 2 intra-op threads): reported apart.
      const atTwo = await splitErrors(engine, served, feeds, cost.withCpuThreads(2), entry.runs, 2);
      twoThreadErrorsPct.push(...atTwo.modelErrors);
      errorsPct.push(...modelErrors);
      perModel[entry.id] = {
        segments: modelErrors.length,
        median_abs_err_pct: round(percentile(modelErrors, 50)),
        p90_abs_err_pct: round(percentile(modelErrors, 90)),
        measurement_repeat_p90_pct: round(percentile(repeatErrors, 90)),
        two_threads: {
          segments: atTwo.modelErrors.length,
          median_abs_err_pct: round(percentile(atTwo.modelErrors, 50)),
          p90_abs_err_pct: round(percentile(atTwo.modelErrors, 90)),
          measurement_repeat_p90_pct: round(percentile(atTwo.repeatErrors, 90)),
          whole_ms: round(profile.cpu['2']?.whole.medianMs ?? Number.NaN),
        },
        split_ratio: round(profile.cpu['1']?.splitRatio ?? 0),
        intact_ratio: round(profile.cpu['1']?.intactRatio ?? 0),
        output_ms_per_mib: round(profile.cpu['1']?.outputMsPerMiB ?? 0),
        per_op_ms: round(profile.cpu['1']?.perOpMs ?? 0),
        boundary_ms_per_mib: round(profile.cpu['1']?.boundaryMsPerMiB ?? 0),
        conv_edge_ms_per_mib: round(profile.cpu['1']?.convEdgeMsPerMiB ?? 0),
        per_tensor_ms: round(profile.cpu['1']?.perTensorMs ?? 0),
        launch_ms: round(profile.cpu['1']?.launchMs ?? 0),
        // What profiling adds: the optimised kernels as profiled against the unprofiled run.
        profiled_over_whole: round(
          (profile.cpu['1']?.profiledKernelsMs ?? Number.NaN) /
            ((profile.cpu['1']?.whole.medianMs ?? Number.NaN) - machine.cpu.segmentLaunchMs),
        ),
      };
      process.stderr.write(`${entry.id}: ${JSON.stringify(perModel[entry.id])}\n`);
      await engine.unload(served);
    }
  } finally {
    await engine.close();
  }
  const serving = await servingMachine(machine);
  const throughput = await threeTenants(paths, costs, serving, OCR);
  const audio = await threeTenants(paths, costs, serving, AUDIO);
  const mixedSlos = await threeTenants(paths, costs, serving, MIXED_SLOS);
  const speed = await simSpeed();
  return {
    segments: errorsPct.length,
    median_abs_err_pct: round(percentile(errorsPct, 50)),
    p90_abs_err_pct: round(percentile(errorsPct, 90)),
    two_threads: {
      segments: twoThreadErrorsPct.length,
      median_abs_err_pct: round(percentile(twoThreadErrorsPct, 50)),
      p90_abs_err_pct: round(percentile(twoThreadErrorsPct, 90)),
    },
    per_model: perModel,
    ...throughput,
    audio,
    mixed_slos: mixedSlos,
    sim_evals_per_s: speed.sim_evals_per_s,
    machine: {
      name: machine.name,
      launch_ms: round(machine.cpu.segmentLaunchMs),
      dispatch_ms: round(machine.cpu.dispatchMs),
      interference: machine.cpu.interference,
    },
  };
}

/**
 * Each segment of the SPLITS cuts with every CPU lane at `threads` intra-op threads, predicted
 * against measured (median over two rounds of runs, after as many warm-up runs; the rounds against
 * each other give the measurement's own repeatability), in % of the measured time.
 */
async function splitErrors(
  engine: Engine,
  served: ServedModel,
  feeds: Record<string, TensorData>,
  cost: CostModel,
  runs: number,
  threads: number,
): Promise<{ modelErrors: number[]; repeatErrors: number[] }> {
  const { graph } = await engine.graph(served);
  const modelErrors: number[] = [];
  const repeatErrors: number[] = [];
  for (const spec of SPLITS) {
    const plan = await engine.plan(served, { spec });
    if (plan.segments.length < 2) continue;
    const placement = threads === 1 ? { spec } : { plan: withLaneThreads(plan, threads) };
    const segments = planSegments(graph, plan);
    const rounds = [new Map<number, number[]>(), new Map<number, number[]>()];
    for (let run = 0; run < 3 * runs; run++) {
      const result = await engine.infer(served, copyFeeds(feeds), { placement });
      const round = rounds[Math.floor(run / runs) - 1];
      if (!round) continue; // sessions built, caches and allocators warm
      for (const [id, ms] of result.segmentComputeMs) round.set(id, [...(round.get(id) ?? []), ms]);
    }
    const [first, second] = rounds as [Map<number, number[]>, Map<number, number[]>];
    for (const segment of segments) {
      const a = first.get(segment.id) ?? [];
      const b = second.get(segment.id) ?? [];
      const actual = percentile([...a, ...b], 50);
      const predicted = cost.segmentMs(segment.ops, segment.inputs, segment.outputs, 'cpu');
      if (!(actual > 0)) continue;
      modelErrors.push((100 * Math.abs(predicted - actual)) / actual);
      repeatErrors.push((100 * Math.abs(percentile(a, 50) - percentile(b, 50))) / actual);
    }
  }
  return { modelErrors, repeatErrors };
}

interface Workload {
  readonly name: string;
  /** Each tenant's model, input dims where not the example's, and SLO (default SLO_MS). */
  readonly tenants: readonly {
    readonly id: string;
    readonly dims?: Record<string, number[]>;
    readonly sloMs?: number;
  }[];
  readonly clients: number;
}

/** The workload: three OCR models, segments of 1 to 13 ms with tensors up to 1.6 MiB. */
const OCR: Workload = {
  name: 'ocr',
  tenants: [{ id: 'ppocr-det', dims: { x: [1, 3, 320, 320] } }, { id: 'ppocr-rec' }, { id: 'ppocr-cls' }],
  clients: 2,
};
/**
 * The OCR trio with SLOs 80x apart: the dispatcher and the pools serve cls (25 ms) first and det
 * (2 s) only as its deadline nears, in the engine and in the simulator alike.
 */
const MIXED_SLOS: Workload = {
  name: 'mixed_slos',
  tenants: [
    { id: 'ppocr-det', dims: { x: [1, 3, 320, 320] }, sloMs: 2_000 },
    { id: 'ppocr-rec', sloMs: 300 },
    { id: 'ppocr-cls', sloMs: 25 },
  ],
  clients: 2,
};
/** Tiny requests (runs of 0.01 to 0.3 ms, tensors of KiB): where the main thread, not the models, binds. */
const AUDIO: Workload = {
  name: 'audio',
  tenants: [{ id: 'silero-vad-legacy' }, { id: 'openwakeword' }, { id: 'silero-vad-v5' }],
  clients: 4,
};
/** CPU worker threads of the three-tenant run, real and simulated. */
const THREADS = 2;
const ISOLATED_RUNS = 20;

interface Timed {
  readonly computeMs: number;
  readonly wallMs: number;
}

/** One request: its wall time (the copy of its inputs excluded) and its session time in the worker. */
async function timedInfer(
  engine: Engine,
  model: ServedModel,
  feeds: Record<string, TensorData>,
): Promise<Timed> {
  const inputs = copyFeeds(feeds);
  const started = performance.now();
  const result = await engine.infer(model, inputs);
  const wallMs = performance.now() - started;
  let computeMs = 0;
  for (const ms of result.segmentComputeMs.values()) computeMs += ms;
  return { computeMs, wallMs };
}

function record(samples: Map<string, Timed[]>, id: string, sample: Timed): void {
  const list = samples.get(id) ?? [];
  list.push(sample);
  samples.set(id, list);
}
const DURATION_MS = 8_000;
/** The real tenants' SLO and the simulated ones', unless a workload says otherwise: it orders the queues. */
const SLO_MS = 1_000;

/**
 * The machine as the real runs' engines serve: the profiled machine, with the workers' waits on
 * the main thread measured on an engine of their pool's size (the figure depends on it).
 */
async function servingMachine(machine: MachineProfile): Promise<MachineProfile> {
  const engine = new Engine({ cpuThreads: THREADS, intraOpThreads: 1, maxQueueLength: 64 });
  try {
    return {
      ...machine,
      cpu: { ...machine.cpu, threads: THREADS, workerIdle: await engine.measureWorkerIdle() },
    };
  } finally {
    await engine.close();
  }
}

/** B: a closed-loop workload run for real on `serving`'s engine, and simulated from the profiles. */
async function threeTenants(
  paths: Map<string, string>,
  costs: Map<string, CostModel>,
  serving: MachineProfile,
  workload: Workload,
) {
  const { tenants: TENANTS, clients: CLIENTS } = workload;
  const engine = new Engine({ cpuThreads: THREADS, intraOpThreads: 1, maxQueueLength: 64 });
  // The simulated dispatcher admits as many requests at once as the real one.
  const { requestSlots } = engine;
  const completed = new Map<string, number>();
  let mainThreadLoad: MainThreadLoad = { busy: Number.NaN, gcMs: Number.NaN, gcCount: 0, fullGcCount: 0 };
  const isolated = new Map<string, Timed[]>();
  const loaded = new Map<string, Timed[]>();
  try {
    const served: { id: string; model: ServedModel; feeds: Record<string, TensorData> }[] = [];
    for (const tenant of TENANTS) {
      const model = await engine.loadFile(paths.get(tenant.id) ?? '', tenant.id, tenant.sloMs ?? SLO_MS);
      const feeds = exampleFeeds(tenant.id, { seed: 2, ...(tenant.dims && { dims: tenant.dims }) });
      for (let i = 0; i < 3; i++) await engine.infer(model, copyFeeds(feeds));
      served.push({ id: tenant.id, model, feeds });
    }
    // Each tenant alone first: its session time, and what its requests spend outside the session.
    for (const { id, model, feeds } of served) {
      for (let i = 0; i < ISOLATED_RUNS; i++) record(isolated, id, await timedInfer(engine, model, feeds));
    }
    const mainThread = watchMainThread();
    const started = performance.now();
    await Promise.all(
      served.flatMap(({ id, model, feeds }) =>
        Array.from({ length: CLIENTS }, async () => {
          while (performance.now() - started < DURATION_MS) {
            const sample = await timedInfer(engine, model, feeds);
            if (performance.now() - started > DURATION_MS) continue;
            completed.set(id, (completed.get(id) ?? 0) + 1);
            record(loaded, id, sample);
          }
        }),
      ),
    );
    mainThreadLoad = mainThread.stop();
  } finally {
    await engine.close();
  }
  const tenants = TENANTS.map((tenant) => {
    const profiled = costs.get(tenant.id);
    if (!profiled) throw new Error(`no cost model for ${tenant.id}`);
    const cost = new CostModel(profiled.graph, serving, profiled.model, profiled.options);
    const whole = [
      {
        id: 0,
        processor: 'cpu' as const,
        ops: cost.graph.ops.map((op) => op.index),
        inputs: cost.graph.inputs,
        outputs: cost.graph.outputs,
      },
    ];
    return simTenant(cost, whole, {
      name: tenant.id,
      sloMs: tenant.sloMs ?? SLO_MS,
      weight: 1,
      arrival: { kind: 'closed', clients: CLIENTS, thinkMs: 0 },
    });
  });
  const simulated = simulate(tenants, {
    pools: [{ id: 'cpu', slots: THREADS }],
    requestSlots,
    maxQueueLength: 64,
    horizonMs: DURATION_MS,
    warmupMs: 1_000,
    seed: 1,
    cpuInterference: serving.cpu.interference,
  });
  const real = Object.fromEntries(
    TENANTS.map((tenant) => [tenant.id, ((completed.get(tenant.id) ?? 0) * 1000) / DURATION_MS]),
  );
  const sim = Object.fromEntries(
    TENANTS.map((tenant) => [tenant.id, simulated.tenants[tenant.id]?.throughputPerS ?? 0]),
  );
  const realTotal = Object.values(real).reduce((a, b) => a + b, 0);
  const requests = [...completed.values()].reduce((a, b) => a + b, 0);
  const simTotal = Object.values(sim).reduce((a, b) => a + b, 0);
  process.stderr.write(`${workload.name}: real ${JSON.stringify(real)} simulated ${JSON.stringify(sim)}\n`);
  const median = (samples: Timed[] | undefined, pick: (sample: Timed) => number) =>
    round(percentile((samples ?? []).map(pick), 50));
  return {
    // Where the real run departs from the simulated one: session runs slowed by co-running, and
    // per-request time outside the session (the simulator's hand-offs and dispatch stand for it).
    tenant_timing_ms: Object.fromEntries(
      TENANTS.map(({ id }, index) => [
        id,
        {
          // The cost model's price of the whole model as one segment: what the simulator runs.
          predicted_compute: round(tenants[index]?.segments[0]?.durationMs ?? Number.NaN),
          isolated_compute: median(isolated.get(id), (sample) => sample.computeMs),
          loaded_compute: median(loaded.get(id), (sample) => sample.computeMs),
          isolated_outside_session: median(isolated.get(id), (sample) => sample.wallMs - sample.computeMs),
        },
      ]),
    ),
    // The workers' share of the run spent in onnxruntime, real against simulated: time a worker
    // waits for its next task (the main thread hands it over) is time the simulator does not see.
    real_cpu_session_utilisation: round(
      [...loaded.values()].flat().reduce((sum, sample) => sum + sample.computeMs, 0) /
        (THREADS * DURATION_MS),
    ),
    sim_cpu_utilisation: round(simulated.pools.cpu?.utilization ?? Number.NaN),
    // What the main thread (dispatch, hand-offs, the clients here) did meanwhile: its busy share,
    // and its garbage collections (ms per request), which the simulator does not model: while one
    // runs, no finished worker is handed its next task.
    real_main_thread_busy: round(mainThreadLoad.busy),
    real_main_thread_gc_ms_per_request: round(mainThreadLoad.gcMs / Math.max(1, requests)),
    real_main_thread_gc_count: mainThreadLoad.gcCount,
    real_main_thread_full_gc_count: mainThreadLoad.fullGcCount,
    // The simulated workers' wait on the main thread after each run, as measured on this engine.
    sim_worker_idle: serving.cpu.workerIdle.points.map((point) => ({
      run_ms: round(point.runMs),
      fixed_ms: round(point.fixedMs),
      ms_per_mib: round(point.msPerMiB),
    })),
    real_worker_idle_ms_per_request: round(
      (THREADS * DURATION_MS -
        [...loaded.values()].flat().reduce((sum, sample) => sum + sample.computeMs, 0)) /
        Math.max(1, requests),
    ),
    real_throughput_per_s: Object.fromEntries(Object.entries(real).map(([k, v]) => [k, round(v)])),
    sim_throughput_per_s: Object.fromEntries(Object.entries(sim).map(([k, v]) => [k, round(v)])),
    sim_throughput_err_pct: round((100 * Math.abs(simTotal - realTotal)) / realTotal),
    // Per tenant, signed (simulated over real): a total can agree while its tenants do not.
    sim_tenant_err_pct: Object.fromEntries(
      TENANTS.map(({ id }) => [id, round((100 * ((sim[id] ?? 0) - (real[id] ?? 0))) / (real[id] ?? 1))]),
    ),
    // Latency under the load, per tenant: the queues' order shows here first.
    real_p99_ms: Object.fromEntries(
      TENANTS.map(({ id }) => [
        id,
        round(
          percentile(
            (loaded.get(id) ?? []).map((sample) => sample.wallMs),
            99,
          ),
        ),
      ]),
    ),
    sim_p99_ms: Object.fromEntries(
      TENANTS.map(({ id }) => [id, round(simulated.tenants[id]?.latencyMs.p99 ?? Number.NaN)]),
    ),
  };
}
