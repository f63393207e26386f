import { describe, expect, it } from 'vitest';
import type { TensorData } from '../tensor/index.js';
import { runDataflow, type SegmentRunner } from './dataflow.js';
import { double, executable, segment, TestRunner, tensor, values } from './dataflow.test-fixture.js';

describe('runDataflow', () => {
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
});
