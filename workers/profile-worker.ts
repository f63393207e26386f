/**
 * One-shot worker of src/profile (detectGpu, probeGpuOperators): started per call with the task in
 * `workerData.task`, it runs onnxruntime off the caller's thread, posts exactly one reply and ends.
 * Thin by design: the models, the checks and the verdicts come from src/profile; here are only the
 * onnxruntime sessions, their runs and their profile files.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { Code, HetschedError, toErrorData } from '../src/common/index.js';
import {
  buildProbeModel,
  type CoRunTask,
  type DetectReply,
  type DetectTask,
  EP_CHECK_INPUT,
  type EpAttempt,
  epCheckFailure,
  epCheckModel,
  epFailureReason,
  exposeNodeOutputs,
  type GpuWorkerTask,
  type KernelEvent,
  kernelEvents,
  nodeVerdicts,
  type ProbeResult,
  type ProbeTask,
  type TimeReply,
  type TimeTask,
  type ValueType,
  type WorkerReply,
} from '../src/profile/index.js';
import type { TensorData } from '../src/tensor/index.js';
import { intraOpOptions } from './intra-op.js';
import { fromOrtTensor, toOrtTensor } from './ort-tensors.js';

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Creates a session with profiling on, hands it to `use`, and returns what `use` returned with the
 * profile's kernel events. endProfiling() returns nothing in the Node binding and names the file
 * after the prefix and a timestamp, so each session profiles into a fresh folder of its own.
 */
async function profiled<T>(
  model: Uint8Array,
  options: ort.InferenceSession.SessionOptions,
  use: (session: ort.InferenceSession) => Promise<T>,
): Promise<{ value: T; kernels: KernelEvent[]; sessionSeconds: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'hetsched-profile-'));
  try {
    const started = performance.now();
    const session = await ort.InferenceSession.create(model, {
      ...options,
      logSeverityLevel: 3,
      enableProfiling: true,
      profileFilePrefix: join(dir, 'ort'),
    });
    const sessionSeconds = seconds(started);
    try {
      const value = await use(session);
      session.endProfiling();
      const file = (await readdir(dir)).find((name) => name.endsWith('.json'));
      if (file === undefined) throw new HetschedError(Code.Internal, 'onnxruntime wrote no profile file');
      const kernels = kernelEvents(JSON.parse(await readFile(join(dir, file), 'utf8')));
      return { value, kernels, sessionSeconds };
    } finally {
      await session.release();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function detect(task: DetectTask): Promise<DetectReply> {
  const attempts: EpAttempt[] = [];
  const input = new ort.Tensor('float32', Float32Array.from(EP_CHECK_INPUT), [EP_CHECK_INPUT.length]);
  for (const provider of task.candidates) {
    const started = performance.now();
    let failure: string | undefined;
    try {
      const { value, kernels } = await profiled(
        epCheckModel(),
        { executionProviders: [provider] },
        (session) => session.run({ x: input }),
      );
      failure = epCheckFailure(provider, (value.y?.data ?? []) as Float32Array, kernels);
    } catch (error) {
      failure = epFailureReason(provider, error);
    }
    attempts.push({ provider, seconds: seconds(started), ...(failure === undefined ? {} : { failure }) });
    if (failure === undefined) break;
  }
  return { attempts };
}

async function probe(task: ProbeTask): Promise<ProbeResult> {
  const started = performance.now();
  const cpuValues = await cpuReference(task);
  const cpuSeconds = seconds(started);

  const types = new Map<string, ValueType>(
    [...cpuValues].map(([name, t]) => [name, { dtype: t.dtype, dims: t.dims }]),
  );
  const plan = buildProbeModel(task.model, types);
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of plan.inputNames) {
    const value = cpuValues.get(name);
    if (value) feeds[name] = toOrtTensor(value);
  }
  let gpuRunSeconds = 0;
  const gpu = await profiled(
    plan.bytes,
    // Optimizations off, as for the reference: nodes stay 1:1 with the model's, none fused.
    { executionProviders: [task.provider], graphOptimizationLevel: 'disabled' },
    async (session) => {
      const runStarted = performance.now();
      const outputs = await session.run(feeds);
      gpuRunSeconds = seconds(runStarted);
      return outputs;
    },
  ).catch((error: unknown) => {
    throw HetschedError.from(
      error,
      Code.FailedPrecondition,
      `the ${task.provider} EP cannot run the probe model`,
    );
  });
  const gpuValues = new Map(Object.entries(gpu.value).map(([name, tensor]) => [name, carried(name, tensor)]));
  return {
    provider: task.provider,
    tolerance: task.tolerance,
    nodes: nodeVerdicts(plan.nodes, gpu.kernels, cpuValues, gpuValues, task.tolerance),
    timing: {
      cpuSeconds,
      gpuSessionSeconds: gpu.sessionSeconds,
      gpuRunSeconds,
      totalSeconds: seconds(started),
    },
  };
}

/**
 * The feeds and the value of every main-graph node output, from one CPU-EP run of the model with all
 * of them exposed. Optimizations off: each node runs its own kernel, never a fused one, so the
 * reference is what that node computes on the CPU EP. A model the CPU EP cannot load or run on these
 * feeds is the caller's to fix: INVALID_ARGUMENT.
 */
async function cpuReference(task: ProbeTask): Promise<Map<string, TensorData>> {
  const exposed = exposeNodeOutputs(task.model);
  const values = new Map<string, TensorData>(Object.entries(task.feeds));
  let outputs: ort.InferenceSession.OnnxValueMapType;
  try {
    const cpu = await ort.InferenceSession.create(exposed.bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'disabled',
      logSeverityLevel: 3,
    });
    try {
      outputs = await cpu.run(
        Object.fromEntries(Object.entries(task.feeds).map(([name, t]) => [name, toOrtTensor(t)])),
      );
    } finally {
      await cpu.release();
    }
  } catch (error) {
    throw HetschedError.from(error, Code.InvalidArgument, 'the CPU EP cannot run the model on these feeds');
  }
  for (const [name, tensor] of Object.entries(outputs)) values.set(name, carried(name, tensor));
  return values;
}

/** An output as hetsched's tensor type; UNIMPLEMENTED for the element types hetsched does not carry. */
function carried(name: string, tensor: ort.Tensor): TensorData {
  try {
    return fromOrtTensor(name, tensor);
  } catch (error) {
    throw HetschedError.from(error, Code.Unimplemented, 'cannot probe this model');
  }
}

/** Times operators (optimisations off, profiled) and the whole model (optimisations on, not profiled). */
async function time(task: TimeTask): Promise<TimeReply> {
  const base: ort.InferenceSession.SessionOptions = {
    executionProviders: [task.provider],
    ...intraOpOptions(task.threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
  };
  const feeds = () =>
    Object.fromEntries(Object.entries(task.feeds).map(([name, tensor]) => [name, toOrtTensor(tensor)]));
  const { kernels } = await profiled(
    task.model,
    { ...base, graphOptimizationLevel: 'disabled' },
    async (session) => {
      for (let run = 0; run < task.warmup + task.runs; run++) await session.run(feeds());
    },
  );
  const all = new Map<string, number[]>();
  for (const kernel of kernels) {
    const list = all.get(kernel.nodeName) ?? [];
    list.push(kernel.durationUs);
    all.set(kernel.nodeName, list);
  }
  const kernelsUs: Record<string, number[]> = {};
  // The profile holds every run, warm-up included, in order: keep each node's last `runs`.
  for (const [name, durations] of all) kernelsUs[name] = durations.slice(-task.runs);
  const optimised = await profiled(
    task.model,
    { ...base, graphOptimizationLevel: 'all' },
    async (session) => {
      for (let run = 0; run < task.warmup + task.runs; run++) await session.run(feeds());
    },
  );
  const fused = new Map<string, { opType: string; durations: number[] }>();
  for (const kernel of optimised.kernels) {
    const entry = fused.get(kernel.nodeName) ?? { opType: kernel.opType, durations: [] };
    entry.durations.push(kernel.durationUs);
    fused.set(kernel.nodeName, entry);
  }
  // Map order is first-occurrence order: the first run's execution order.
  const fusedKernels = [...fused].map(([name, entry]) => ({
    name,
    opType: entry.opType,
    durationsUs: entry.durations.slice(-task.runs),
  }));
  const session = await ort.InferenceSession.create(task.model, {
    ...base,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
  try {
    const wholeMs: number[] = [];
    for (let run = 0; run < task.warmup + task.runs; run++) {
      const input = feeds();
      const started = performance.now();
      await session.run(input);
      if (run >= task.warmup) wholeMs.push(performance.now() - started);
    }
    return { kernelsUs, fusedKernels, wholeMs };
  } finally {
    await session.release();
  }
}

/** Runs the models until told to stop, after saying it started; then releases them and returns. */
async function coRun(task: CoRunTask): Promise<void> {
  const sessions = await Promise.all(
    task.models.map(async ({ model, feeds }) => ({
      session: await ort.InferenceSession.create(model, {
        executionProviders: ['cpu'],
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      }),
      feeds,
    })),
  );
  parentPort?.postMessage({ ok: true, result: 'running' });
  while (Atomics.load(task.stop, 0) === 0) {
    for (const { session, feeds } of sessions) {
      await session.run(
        Object.fromEntries(Object.entries(feeds).map(([name, tensor]) => [name, toOrtTensor(tensor)])),
      );
    }
  }
  await Promise.all(sessions.map(({ session }) => session.release()));
}

async function reply(
  task: Exclude<GpuWorkerTask, CoRunTask>,
): Promise<WorkerReply<DetectReply | ProbeResult | TimeReply>> {
  try {
    return {
      ok: true,
      result:
        task.kind === 'detect'
          ? await detect(task)
          : task.kind === 'probe'
            ? await probe(task)
            : await time(task),
    };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}

const task = (workerData as { task: GpuWorkerTask }).task;
if (task.kind === 'co-run') {
  // Replies only if it cannot start; otherwise runs until told to stop, and ends.
  await coRun(task).catch((error: unknown) =>
    parentPort?.postMessage({ ok: false, error: toErrorData(error) }),
  );
} else {
  parentPort?.postMessage(await reply(task));
}
