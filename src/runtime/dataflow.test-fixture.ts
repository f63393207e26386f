import { HetschedError } from '../common/index.js';
import type { ProcessorId } from '../partition/index.js';
import type { TensorData } from '../tensor/index.js';
import type { SegmentRunner } from './dataflow.js';
import type { Executable, ExecutableSegment } from './executable.js';
import type { RunOutput } from './worker-pool.js';

/**
 * Segments, plans and a stand-in for the worker pools for runDataflow's tests, shared by the
 * dataflow-*.test.ts files. Not part of the runtime: nothing outside tests imports this file.
 */

/** What a test segment computes: output name -> values, from its inputs' values. */
type Compute = (inputs: Record<string, number[]>) => Record<string, number[]>;

interface TestSegment extends ExecutableSegment {
  readonly compute: Compute;
}

/** A float32 vector of `values`. */
export function tensor(values: readonly number[]): TensorData {
  return { dtype: 'float32', dims: [values.length], data: Float32Array.from(values) };
}

/** A tensor's values as numbers; none for a missing tensor. */
export function values(data: TensorData | undefined): number[] {
  return Array.from(data?.data ?? [], Number);
}

/** A segment on `processor` (the CPU unless given) that computes `compute` in place of a session. */
export function segment(
  id: number,
  inputs: readonly string[],
  outputs: readonly string[],
  compute: Compute,
  processor: ProcessorId = 'cpu',
): TestSegment {
  return {
    id,
    processor,
    session: {
      id,
      source: { kind: 'file', path: `segment${id}.onnx` },
      options: { executionProviders: ['cpu'], intraOpThreads: 1 },
    },
    slots: 1,
    inputs,
    outputs,
    compute,
  };
}

/** A plan of `segments` whose model outputs are `outputs`. */
export function executable(segments: readonly TestSegment[], outputs: readonly string[]): Executable {
  return { segments, outputs };
}

interface Call {
  readonly segment: number;
  readonly processor: ProcessorId;
  readonly feeds: Record<string, TensorData>;
  /** The feeds' values when the call was made (the buffers are detached right after). */
  readonly seen: Record<string, number[]>;
  readonly fetch: readonly string[];
}

/**
 * A test double for the worker pools. Like a real pool it takes the feeds' buffers away (transfer
 * detaches them) and returns only the outputs asked for. With `gated`, a call waits until the test
 * releases or fails it, so the test controls the interleaving.
 */
export class TestRunner {
  readonly calls: Call[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly gates = new Map<number, { release: () => void; fail: (error: unknown) => void }>();

  constructor(private readonly options: { gated?: boolean; computeMs?: (segment: number) => number } = {}) {}

  readonly run: SegmentRunner = (processor, executableSegment, feeds, fetch) => {
    const testSegment = executableSegment as TestSegment;
    const seen = Object.fromEntries(Object.entries(feeds).map(([name, data]) => [name, values(data)]));
    for (const data of Object.values(feeds))
      structuredClone(data.data.buffer, { transfer: [data.data.buffer] });
    this.calls.push({ segment: testSegment.id, processor, feeds, seen, fetch: [...fetch] });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const result = (): RunOutput => {
      const computed = testSegment.compute(seen);
      const outputs: Record<string, TensorData> = {};
      for (const name of fetch) {
        const out = computed[name];
        if (out) outputs[name] = tensor(out);
      }
      return { outputs, computeMs: this.options.computeMs?.(testSegment.id) ?? 1 };
    };
    return new Promise<RunOutput>((resolve, reject) => {
      const release = () => {
        this.inFlight--;
        try {
          resolve(result());
        } catch (error) {
          reject(error);
        }
      };
      const fail = (error: unknown) => {
        this.inFlight--;
        reject(error);
      };
      if (this.options.gated) this.gates.set(testSegment.id, { release, fail });
      else setImmediate(release);
    });
  };

  release(segmentId: number): void {
    this.gate(segmentId).release();
  }

  fail(segmentId: number, error: unknown): void {
    this.gate(segmentId).fail(error);
  }

  started(): number[] {
    return this.calls.map((call) => call.segment);
  }

  call(segmentId: number): Call {
    const found = this.calls.find((call) => call.segment === segmentId);
    if (!found) throw new Error(`segment ${segmentId} was not run`);
    return found;
  }

  private gate(segmentId: number) {
    const gate = this.gates.get(segmentId);
    if (!gate) throw new Error(`segment ${segmentId} is not waiting`);
    this.gates.delete(segmentId);
    return gate;
  }
}

/** Lets every pending promise callback run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The promise's outcome, or a failure if it neither resolves nor rejects in time (a hang). */
export async function settled<T>(promise: Promise<T>, ms = 1000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HetschedError `promise` rejects with; fails on a hang, a resolution or another error. */
export async function rejection(promise: Promise<unknown>): Promise<HetschedError> {
  const error = await settled(promise).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof HetschedError)) throw new Error(`expected a HetschedError, got ${String(error)}`);
  return error;
}

/** x -> a = 2x. */
export const double: Compute = (inputs) => ({ a: (inputs.x ?? []).map((v) => 2 * v) });
