import { describe, expect, it } from 'vitest';
import { runDataflow } from './dataflow.js';
import {
  double,
  executable,
  flush,
  segment,
  settled,
  TestRunner,
  tensor,
  values,
} from './dataflow.test-fixture.js';

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
