import { performance } from 'node:perf_hooks';
import { Code, HetschedError } from '../common/index.js';
import type { ProcessorId } from '../partition/index.js';
import type { TensorData } from '../tensor/index.js';
import type { Executable, ExecutableSegment } from './executable.js';
import type { RunOutput } from './worker-pool.js';

/** Runs one session on a processor's pool: what the dataflow needs of the executors. */
export type SegmentRunner = (
  processor: ProcessorId,
  segment: ExecutableSegment,
  feeds: Record<string, TensorData>,
  outputs: readonly string[],
) => Promise<RunOutput>;

export interface DataflowResult {
  readonly outputs: Map<string, TensorData>;
  /** onnxruntime time summed over the segments that ran. */
  readonly computeMs: number;
  /** Wall time from the first segment's start to the last one's end, hand-offs included. */
  readonly executeMs: number;
  readonly segmentsRun: number;
  /** onnxruntime time of each segment that ran, by segment id. */
  readonly segmentComputeMs: ReadonlyMap<number, number>;
}

/**
 * Executes an executable on the request's feeds: each segment starts as soon as all its inputs
 * exist, on its own processor's pool, so independent branches on different processors run at
 * once. A tensor moves to its last reader and is copied for the others (buffers cross threads by
 * transfer). Segments whose outputs nothing asked for are skipped. The feeds are consumed.
 */
export function runDataflow(
  executable: Executable,
  feeds: ReadonlyMap<string, TensorData>,
  wanted: readonly string[],
  run: SegmentRunner,
): Promise<DataflowResult> {
  const needed = neededSegments(executable, wanted);
  const available = new Map(feeds);
  // Reads still to come for each tensor: by segments not yet started, and by the caller.
  const pendingReads = new Map<string, number>();
  const read = (name: string) => pendingReads.set(name, (pendingReads.get(name) ?? 0) + 1);
  for (const segment of needed) for (const name of segment.inputs) read(name);
  for (const name of wanted) read(name);

  const started = performance.now();
  let computeMs = 0;
  const segmentComputeMs = new Map<number, number>();
  let running = 0;
  let remaining = needed.length;
  const waiting = new Set(needed);

  return new Promise<DataflowResult>((resolve, reject) => {
    let failed = false;
    const take = (name: string): TensorData => {
      const tensor = available.get(name);
      if (!tensor)
        throw new HetschedError(Code.Internal, `tensor '${name}' was not produced before it was needed`);
      const left = (pendingReads.get(name) ?? 1) - 1;
      pendingReads.set(name, left);
      if (left > 0) return { dtype: tensor.dtype, dims: tensor.dims, data: tensor.data.slice() };
      available.delete(name);
      return tensor;
    };
    const finish = () => {
      const outputs = new Map<string, TensorData>();
      try {
        for (const name of wanted) outputs.set(name, take(name));
      } catch (error) {
        // Thrown inside a settled run's callback it would escape as an unhandled rejection: a hang.
        failed = true;
        reject(HetschedError.from(error));
        return;
      }
      resolve({
        outputs,
        computeMs,
        executeMs: performance.now() - started,
        segmentsRun: needed.length,
        segmentComputeMs,
      });
    };
    const launch = () => {
      for (const segment of [...waiting]) {
        if (failed || !segment.inputs.every((name) => available.has(name))) continue;
        waiting.delete(segment);
        running++;
        const segmentFeeds: Record<string, TensorData> = {};
        for (const name of segment.inputs) segmentFeeds[name] = take(name);
        const fetch = segment.outputs.filter((name) => (pendingReads.get(name) ?? 0) > 0);
        // A runner that throws instead of rejecting fails this segment, not the caller's callback.
        let outcome: Promise<RunOutput>;
        try {
          outcome = run(segment.processor, segment, segmentFeeds, fetch);
        } catch (error) {
          outcome = Promise.reject(error);
        }
        outcome.then(
          (result) => {
            running--;
            remaining--;
            computeMs += result.computeMs;
            segmentComputeMs.set(segment.id, result.computeMs);
            for (const [name, tensor] of Object.entries(result.outputs)) available.set(name, tensor);
            if (failed) return;
            if (remaining === 0) finish();
            else launch();
          },
          (error: unknown) => {
            running--;
            if (failed) return;
            failed = true;
            reject(HetschedError.from(error));
          },
        );
      }
      if (!failed && running === 0 && waiting.size > 0) {
        failed = true;
        reject(
          new HetschedError(
            Code.Internal,
            `${waiting.size} segment(s) can never run: an input is produced by none`,
          ),
        );
      }
    };
    if (remaining === 0) finish();
    else launch();
  });
}

/** The segments that contribute to the wanted outputs, in the executable's (topological) order. */
function neededSegments(executable: Executable, wanted: readonly string[]): ExecutableSegment[] {
  const producer = new Map<string, ExecutableSegment>();
  for (const segment of executable.segments) for (const name of segment.outputs) producer.set(name, segment);
  const needed = new Set<ExecutableSegment>();
  const visit = (name: string) => {
    const segment = producer.get(name);
    if (!segment || needed.has(segment)) return;
    needed.add(segment);
    for (const input of segment.inputs) visit(input);
  };
  for (const name of wanted) visit(name);
  return executable.segments.filter((segment) => needed.has(segment));
}
