/**
 * Piscina worker hosting onnxruntime sessions, for a CPU pool or a GPU's pool alike (a session's
 * execution providers are in its spec). Thin by design: decode the task, call onnxruntime or the
 * pure core, reply with buffers transferred or shared.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { Code, toErrorData } from '../src/common/index.js';
import { inspectModel } from '../src/onnx/index.js';
import { buildSegmentModels } from '../src/partition/index.js';
import { analyzeModel } from '../src/profile/index.js';
import {
  type AnalyzeResult,
  type AnalyzeTask,
  conciseOrtMessage,
  type InspectResult,
  type InspectTask,
  type LoadResult,
  type LoadTask,
  type ModelSource,
  type PartitionResult,
  type PartitionTask,
  type RunResult,
  type RunTask,
  type WorkerStats,
} from '../src/runtime/index.js';
import { type TensorData, transferList } from '../src/tensor/index.js';
import { fromOrtTensor, toOrtTensor } from './ort-tensors.js';
import { cachedSessionIds, sessionFor } from './sessions.js';

/** Wraps a reply so piscina transfers the listed buffers instead of copying them. */
class Transferring<T> {
  constructor(
    private readonly value: T,
    private readonly buffers: ArrayBuffer[],
  ) {}
  get [transferableSymbol](): ArrayBuffer[] {
    return this.buffers;
  }
  get [valueSymbol](): T {
    return this.value;
  }
}

export async function run(task: RunTask): Promise<RunResult | ReturnType<typeof move>> {
  let session: ort.InferenceSession;
  try {
    session = await sessionFor(task.session);
  } catch (error) {
    return { ok: false, error: toErrorData(error, Code.FailedPrecondition) };
  }
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(task.feeds)) feeds[name] = toOrtTensor(tensor);
    const started = performance.now();
    const results =
      task.outputs.length > 0 ? await session.run(feeds, [...task.outputs]) : await session.run(feeds);
    const computeMs = performance.now() - started;
    const outputs: Record<string, TensorData> = {};
    for (const [name, tensor] of Object.entries(results)) outputs[name] = fromOrtTensor(name, tensor);
    const result: RunResult = { ok: true, outputs, computeMs };
    return move(new Transferring(result, transferList(Object.values(outputs))) as never);
  } catch (error) {
    // Inputs were checked against the model's signature before dispatch, so a failure here is
    // the model's own (e.g. a value it cannot handle): report it as such.
    return { ok: false, error: toErrorData(error, Code.Internal) };
  }
}

export async function inspect(task: InspectTask): Promise<InspectResult> {
  try {
    const info = inspectModel(task.bytes);
    // onnxruntime is the judge of what it can run (opsets, operators, types): load it once.
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(task.bytes, { logSeverityLevel: 3, intraOpNumThreads: 1 });
    } catch (error) {
      return {
        ok: false,
        error: {
          code: Code.InvalidArgument,
          message: `onnxruntime cannot load the model: ${conciseOrtMessage(error)}`,
        },
      };
    }
    await session.release();
    const sha256 = createHash('sha256').update(task.bytes).digest('hex');
    return { ok: true, info, sha256, sizeBytes: task.bytes.byteLength };
  } catch (error) {
    return { ok: false, error: toErrorData(error, Code.InvalidArgument) };
  }
}

/** Builds a session now, so that no request waits for it. */
export async function load(task: LoadTask): Promise<LoadResult> {
  try {
    await sessionFor(task.session);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: toErrorData(error, Code.FailedPrecondition) };
  }
}

/** A model's graph IR, with types from onnxruntime and shapes from a run where one succeeds. */
export async function analyze(task: AnalyzeTask): Promise<AnalyzeResult> {
  try {
    const analysis = await analyzeModel(readSource(task.source), {
      inputShapes: task.inputShapes,
      ...(task.sample && { sample: task.sample }),
    });
    return { ok: true, ...analysis };
  } catch (error) {
    return { ok: false, error: toErrorData(error, Code.InvalidArgument) };
  }
}

/** A plan's segments as ONNX models, written into shared memory so every pool's workers can load them. */
export function partition(task: PartitionTask): PartitionResult {
  try {
    const models = buildSegmentModels(readSource(task.source), task.graph, task.segments);
    return {
      ok: true,
      segments: models.map((model) => {
        const shared = new SharedArrayBuffer(model.bytes.byteLength);
        new Uint8Array(shared).set(model.bytes);
        return {
          segment: model.segment,
          processor: model.processor,
          bytes: shared,
          inputs: model.inputs,
          outputs: model.outputs,
        };
      }),
    };
  } catch (error) {
    return { ok: false, error: toErrorData(error, Code.Internal) };
  }
}

function readSource(source: ModelSource): Uint8Array {
  return source.kind === 'file' ? readFileSync(source.path) : new Uint8Array(source.bytes);
}

/** Diagnostics: what this worker holds. */
export function stats(): WorkerStats {
  return { sessionIds: cachedSessionIds() };
}
