import { describe, expect, it } from 'vitest';
import { runDataflow } from './dataflow.js';
import { double, executable, segment, TestRunner, tensor, values } from './dataflow.test-fixture.js';

describe('runDataflow', () => {
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
});
