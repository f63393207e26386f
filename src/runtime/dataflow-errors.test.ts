import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { runDataflow, type SegmentRunner } from './dataflow.js';
import {
  double,
  executable,
  flush,
  rejection,
  segment,
  TestRunner,
  tensor,
} from './dataflow.test-fixture.js';

describe('runDataflow', () => {
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
});
