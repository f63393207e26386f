import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import type { ProcessorId } from '../partition/index.js';
import type { TensorData } from '../tensor/index.js';
import { runDataflow, type SegmentRunner } from './dataflow.js';
import type { Executable, ExecutableSegment } from './executable.js';
import type { RunOutput } from './worker-pool.js';

/** What a test segment computes: output name -> values, from its inputs' values. */
type Compute = (inputs: Record<string, number[]>) => Record<string, number[]>;

interface TestSegment extends ExecutableSegment {
  readonly compute: Compute;
}

function tensor(values: readonly number[]): TensorData {
  return { dtype: 'float32', dims: [values.length], data: Float32Array.from(values) };
}

function values(data: TensorData | undefined): number[] {
  return Array.from(data?.data ?? [], Number);
}

function segment(
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
    inputs,
    outputs,
    compute,
  };
}

function executable(segments: readonly TestSegment[], outputs: readonly string[]): Executable {
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
class TestRunner {
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
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The promise's outcome, or a failure if it neither resolves nor rejects in time (a hang). */
async function settled<T>(promise: Promise<T>, ms = 1000): Promise<T> {
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

async function rejection(promise: Promise<unknown>): Promise<HetschedError> {
  const error = await settled(promise).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof HetschedError)) throw new Error(`expected a HetschedError, got ${String(error)}`);
  return error;
}

const double: Compute = (inputs) => ({ a: (inputs.x ?? []).map((v) => 2 * v) });

describe('runDataflow', () => {
  it('runs a chain of segments in order and returns the wanted outputs', async () => {
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['a'], ['y'], (inputs) => ({ y: (inputs.a ?? []).map((v) => v + 1) }), 'gpu:0'),
      ],
      ['y'],
    );
    const runner = new TestRunner({ computeMs: (id) => (id === 0 ? 1.5 : 2.25) });
    const result = await runDataflow(plan, new Map([['x', tensor([1, 2, 3])]]), ['y'], runner.run);
    expect([...result.outputs.keys()]).toEqual(['y']);
    expect(values(result.outputs.get('y'))).toEqual([3, 5, 7]);
    expect(result.segmentsRun).toBe(2);
    expect(result.computeMs).toBe(3.75);
    expect(result.executeMs).toBeGreaterThanOrEqual(0);
    expect(runner.calls.map(({ segment: id, processor, fetch }) => [id, processor, fetch])).toEqual([
      [0, 'cpu', ['a']],
      [1, 'gpu:0', ['y']],
    ]);
  });

  it('starts a segment only once all its inputs exist, and independent ones at once', async () => {
    // x -> s0 -> a, x -> s1 -> b, (a, b) -> s2 -> y.
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['x'], ['b'], (inputs) => ({ b: (inputs.x ?? []).map((v) => -v) }), 'gpu:0'),
        segment(2, ['a', 'b'], ['y'], (inputs) => ({
          y: (inputs.a ?? []).map((v, i) => v * (inputs.b?.[i] ?? Number.NaN)),
        })),
      ],
      ['y'],
    );
    const runner = new TestRunner({ gated: true });
    const done = runDataflow(plan, new Map([['x', tensor([1, 2])]]), ['y'], runner.run);
    await flush();
    expect(runner.started()).toEqual([0, 1]);
    expect(runner.inFlight).toBe(2);
    runner.release(1);
    await flush();
    // a is still missing.
    expect(runner.started()).toEqual([0, 1]);
    runner.release(0);
    await flush();
    expect(runner.started()).toEqual([0, 1, 2]);
    expect(runner.call(2).seen).toEqual({ a: [2, 4], b: [-1, -2] });
    runner.release(2);
    const result = await settled(done);
    expect(values(result.outputs.get('y'))).toEqual([-2, -8]);
    expect(runner.maxInFlight).toBe(2);
  });

  it('copies a tensor for every reader but the last, which gets the object itself', async () => {
    // a is read by s1 and, after s1, by s2: s1 gets a copy, s2 the tensor s0 produced.
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['a'], ['b'], (inputs) => ({ b: (inputs.a ?? []).map((v) => v + 10) })),
        segment(2, ['a', 'b'], ['y'], (inputs) => ({
          y: (inputs.a ?? []).map((v, i) => v + (inputs.b?.[i] ?? Number.NaN)),
        })),
      ],
      ['y'],
    );
    const produced: TensorData[] = [];
    const runner = new TestRunner();
    const spy: SegmentRunner = async (processor, executableSegment, feeds, fetch) => {
      const output = await runner.run(processor, executableSegment, feeds, fetch);
      if (executableSegment.id === 0 && output.outputs.a) produced.push(output.outputs.a);
      return output;
    };
    const x = tensor([1, 2]);
    const result = await runDataflow(plan, new Map([['x', x]]), ['y'], spy);
    expect(values(result.outputs.get('y'))).toEqual([14, 18]);
    // Each reader saw the values intact although every call detaches what it receives.
    expect(runner.call(1).seen).toEqual({ a: [2, 4] });
    expect(runner.call(2).seen).toEqual({ a: [2, 4], b: [12, 14] });
    expect(produced).toHaveLength(1);
    // Identity compared by hand: the readers' tensors are detached, which deep equality trips on.
    expect(Object.is(runner.call(2).feeds.a, produced[0])).toBe(true);
    expect(Object.is(runner.call(1).feeds.a, produced[0])).toBe(false);
    // A feed read once is handed over as it is: the feeds are consumed.
    expect(Object.is(runner.call(0).feeds.x, x)).toBe(true);
  });

  it('copies a feed for the first of two readers started together', async () => {
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['x'], ['b'], (inputs) => ({ b: (inputs.x ?? []).map((v) => v * v) }), 'gpu:0'),
      ],
      ['a', 'b'],
    );
    const x = tensor([3, 4]);
    const runner = new TestRunner();
    const result = await runDataflow(plan, new Map([['x', x]]), ['a', 'b'], runner.run);
    expect(Object.is(runner.call(0).feeds.x, x)).toBe(false);
    expect(Object.is(runner.call(1).feeds.x, x)).toBe(true);
    expect(runner.call(0).seen.x).toEqual([3, 4]);
    expect(runner.call(1).seen.x).toEqual([3, 4]);
    expect(values(result.outputs.get('a'))).toEqual([6, 8]);
    expect(values(result.outputs.get('b'))).toEqual([9, 16]);
  });

  it('never lets a reader take a wanted output away from the caller', async () => {
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['a'], ['y'], (inputs) => ({ y: (inputs.a ?? []).map((v) => v - 1) })),
      ],
      ['a', 'y'],
    );
    const runner = new TestRunner();
    const result = await runDataflow(plan, new Map([['x', tensor([5])]]), ['a', 'y'], runner.run);
    // s1 detached its copy of a; the caller's a is intact.
    expect(runner.call(1).feeds.a?.data.byteLength).toBe(0);
    expect(values(result.outputs.get('a'))).toEqual([10]);
    expect(result.outputs.get('a')?.data.byteLength).toBe(4);
    expect(values(result.outputs.get('y'))).toEqual([9]);
  });

  it('returns a wanted feed without running anything', async () => {
    const x = tensor([1]);
    const runner = new TestRunner();
    const result = await runDataflow(
      executable([segment(0, ['x'], ['y'], double)], ['y']),
      new Map([['x', x]]),
      ['x'],
      runner.run,
    );
    expect(result.outputs.get('x')).toBe(x);
    expect(result).toMatchObject({ segmentsRun: 0, computeMs: 0 });
    expect(runner.calls).toEqual([]);
  });

  it('skips segments the wanted outputs do not need', async () => {
    // s1 feeds only s3, and nothing wants s3's output.
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['x'], ['u'], double),
        segment(2, ['a'], ['y'], (inputs) => ({ y: inputs.a ?? [] })),
        segment(3, ['u'], ['z'], (inputs) => ({ z: inputs.u ?? [] })),
      ],
      ['y', 'z'],
    );
    const runner = new TestRunner();
    const result = await runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], runner.run);
    expect(runner.started()).toEqual([0, 2]);
    expect(result.segmentsRun).toBe(2);
    expect([...result.outputs.keys()]).toEqual(['y']);
  });

  it('fetches from a segment only what a later segment reads or the caller wants', async () => {
    const plan = executable(
      [
        segment(0, ['x'], ['a', 'b', 'c', 'd'], (inputs) => {
          const x = inputs.x ?? [];
          return { a: x, b: x.map((v) => v + 1), c: x.map((v) => v + 2), d: x.map((v) => v + 3) };
        }),
        segment(1, ['a'], ['y'], (inputs) => ({ y: inputs.a ?? [] })),
        // Reads c, but nothing wants its output: not run, so c is not fetched.
        segment(2, ['c'], ['z'], (inputs) => ({ z: inputs.c ?? [] })),
      ],
      ['y', 'z', 'b', 'd'],
    );
    const runner = new TestRunner();
    const result = await runDataflow(plan, new Map([['x', tensor([0])]]), ['b', 'y'], runner.run);
    expect(runner.calls.map((call) => [call.segment, call.fetch])).toEqual([
      [0, ['a', 'b']],
      [1, ['y']],
    ]);
    expect(values(result.outputs.get('b'))).toEqual([1]);
    expect(values(result.outputs.get('y'))).toEqual([0]);
  });

  it('rejects with the first failure as a HetschedError and ignores what finishes later', async () => {
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['x'], ['b'], (inputs) => ({ b: inputs.x ?? [] }), 'gpu:0'),
        // Could start as soon as s0 is done.
        segment(2, ['a'], ['y'], (inputs) => ({ y: inputs.a ?? [] })),
      ],
      ['y', 'b'],
    );
    const runner = new TestRunner({ gated: true });
    const done = runDataflow(plan, new Map([['x', tensor([1])]]), ['y', 'b'], runner.run);
    await flush();
    expect(runner.started()).toEqual([0, 1]);
    const cause = new Error('session lost');
    runner.fail(1, cause);
    const error = await rejection(done);
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toBe('session lost');
    expect(error.cause).toBe(cause);
    runner.release(0);
    await flush();
    // s0's result arrived after the failure: nothing more starts.
    expect(runner.started()).toEqual([0, 1]);
  });

  it('keeps the code of a HetschedError and ignores a second failure', async () => {
    const plan = executable([segment(0, ['x'], ['a'], double), segment(1, ['x'], ['b'], double)], ['a', 'b']);
    const runner = new TestRunner({ gated: true });
    const done = runDataflow(plan, new Map([['x', tensor([1])]]), ['a', 'b'], runner.run);
    await flush();
    const first = new HetschedError(Code.ResourceExhausted, 'the GPU is out of memory');
    runner.fail(0, first);
    runner.fail(1, new Error('second'));
    expect(await rejection(done)).toBe(first);
    await flush();
  });

  it('rejects with INTERNAL, not a hang, when an input is produced by nothing', async () => {
    const plan = executable([segment(0, ['x', 'ghost'], ['y'], double)], ['y']);
    const runner = new TestRunner();
    const error = await rejection(runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], runner.run));
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toBe('1 segment(s) can never run: an input is produced by none');
    expect(runner.calls).toEqual([]);
  });

  it('rejects with INTERNAL once the segments that can run have run and the rest cannot', async () => {
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['a', 'ghost'], ['b'], double),
        segment(2, ['b'], ['y'], double),
      ],
      ['y'],
    );
    const runner = new TestRunner();
    const error = await rejection(runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], runner.run));
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toBe('2 segment(s) can never run: an input is produced by none');
    expect(runner.started()).toEqual([0]);
  });

  it('rejects with INTERNAL when a segment does not return a tensor a later segment reads', async () => {
    // s0 claims 'a' but computes nothing under that name.
    const plan = executable([segment(0, ['x'], ['a'], () => ({})), segment(1, ['a'], ['y'], double)], ['y']);
    const error = await rejection(
      runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], new TestRunner().run),
    );
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toBe('1 segment(s) can never run: an input is produced by none');
  });

  it('rejects with INTERNAL, not a hang, when the last segment does not return a wanted output', async () => {
    // Regression: the error escaped from the run's callback as an unhandled rejection.
    const plan = executable([segment(0, ['x'], ['a'], double), segment(1, ['a'], ['y'], () => ({}))], ['y']);
    const error = await rejection(
      runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], new TestRunner().run),
    );
    expect(error.code).toBe(Code.Internal);
    expect(error.message).toBe("tensor 'y' was not produced before it was needed");
  });

  it('rejects, not hangs, when the runner throws instead of returning a rejected promise', async () => {
    // Regression: a throw while launching a later segment escaped from the previous run's callback.
    const plan = executable(
      [segment(0, ['x'], ['a'], double), segment(1, ['a'], ['y'], double, 'gpu:3')],
      ['y'],
    );
    const runner = new TestRunner();
    const throwing: SegmentRunner = (processor, executableSegment, feeds, fetch) => {
      if (processor === 'gpu:3') throw new HetschedError(Code.Internal, 'no worker pool for gpu:3');
      return runner.run(processor, executableSegment, feeds, fetch);
    };
    const first = await rejection(runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], throwing));
    expect(first.message).toBe('no worker pool for gpu:3');
    // Thrown for the very first segment: a HetschedError too, not the raw value.
    const raw: SegmentRunner = () => {
      throw new TypeError('bad');
    };
    const second = await rejection(runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], raw));
    expect([second.code, second.message]).toEqual([Code.Internal, 'bad']);
  });

  it('sums the computeMs of the segments it ran', async () => {
    const plan = executable(
      [
        segment(0, ['x'], ['a'], double),
        segment(1, ['x'], ['b'], (inputs) => ({ b: inputs.x ?? [] })),
        segment(2, ['a', 'b'], ['y'], (inputs) => ({ y: inputs.a ?? [] })),
        segment(3, ['x'], ['unused'], double),
      ],
      ['y'],
    );
    const runner = new TestRunner({ computeMs: (id) => [0.5, 1.25, 4, 100][id] ?? Number.NaN });
    const result = await runDataflow(plan, new Map([['x', tensor([1])]]), ['y'], runner.run);
    expect(result.computeMs).toBe(5.75);
    expect(result.segmentsRun).toBe(3);
  });
});
