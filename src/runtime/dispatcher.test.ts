import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { Dispatcher, type DispatchJob } from './dispatcher.js';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise reaction run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A clock the test moves by hand. */
function manualClock(startMs = 0): { now: () => number; set: (ms: number) => void } {
  let ms = startMs;
  return { now: () => ms, set: (value) => (ms = value) };
}

/**
 * A job that records when it starts and finishes when the test says so. `started` lists job ids
 * in start order, shared by all jobs of a test.
 */
function gatedJob(
  id: string,
  queue: string,
  sloDeadlineMs: number,
  started: string[],
  extra: Partial<Pick<DispatchJob<string>, 'hardDeadlineMs' | 'signal'>> = {},
): { job: DispatchJob<string>; gate: Deferred<string> } {
  const gate = deferred<string>();
  return {
    gate,
    job: {
      queue,
      sloDeadlineMs,
      ...extra,
      execute: () => {
        started.push(id);
        return gate.promise;
      },
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<HetschedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HetschedError) return error;
    throw new Error(`expected a HetschedError, got ${String(error)}`);
  }
  throw new Error('expected a rejection');
}

describe('Dispatcher', () => {
  it('refuses fewer than one slot', () => {
    expect(() => new Dispatcher({ slots: 0, maxQueueLength: 1 })).toThrow(
      new RangeError('slots must be >= 1, got 0'),
    );
    expect(() => new Dispatcher({ slots: Number.NaN, maxQueueLength: 1 })).toThrow(
      'slots must be >= 1, got NaN',
    );
  });

  it('runs a job at once when a slot is free, reporting its value and queue time', async () => {
    const clock = manualClock(100);
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4, now: clock.now });
    const started: string[] = [];
    const first = gatedJob('a1', 'a', 200, started);
    const second = gatedJob('a2', 'a', 210, started);
    const firstResult = dispatcher.submit(first.job);
    const secondResult = dispatcher.submit(second.job);
    expect(started).toEqual(['a1']);
    expect(dispatcher.queued('a')).toBe(1);

    clock.set(125);
    first.gate.resolve('one');
    await expect(firstResult).resolves.toEqual({ value: 'one', queueMs: 0 });
    await settle();
    expect(started).toEqual(['a1', 'a2']);
    second.gate.resolve('two');
    await expect(secondResult).resolves.toEqual({ value: 'two', queueMs: 25 });
  });

  it('keeps arrival order within a tenant, even against an earlier SLO deadline behind the head', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 8, now: manualClock().now });
    const started: string[] = [];
    const blocker = gatedJob('blocker', 'other', 0, started);
    void dispatcher.submit(blocker.job);
    const jobs = [
      gatedJob('a1', 'a', 50, started),
      gatedJob('a2', 'a', 10, started),
      gatedJob('a3', 'a', 30, started),
    ];
    const results = jobs.map(({ job }) => dispatcher.submit(job));
    blocker.gate.resolve('done');
    for (const { gate } of jobs) {
      await settle();
      gate.resolve('ok');
    }
    await Promise.all(results);
    expect(started).toEqual(['blocker', 'a1', 'a2', 'a3']);
  });

  it('serves the tenant whose head has the earliest SLO deadline first', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 8, now: manualClock().now });
    const started: string[] = [];
    const blocker = gatedJob('blocker', 'batch', 0, started);
    void dispatcher.submit(blocker.job);
    const jobs = new Map([
      ['batch1', gatedJob('batch1', 'batch', 1000, started)],
      ['batch2', gatedJob('batch2', 'batch', 1001, started)],
      ['mid1', gatedJob('mid1', 'mid', 500, started)],
      ['fast1', gatedJob('fast1', 'fast', 100, started)],
      ['fast2', gatedJob('fast2', 'fast', 1500, started)],
    ]);
    const results = [...jobs.values()].map(({ job }) => dispatcher.submit(job));
    blocker.gate.resolve('done');
    for (let i = 0; i < jobs.size; i++) {
      await settle();
      // One slot: the job that started last is the one running.
      jobs.get(started.at(-1) ?? '')?.gate.resolve('ok');
    }
    await Promise.all(results);
    // fast1 (100) < mid1 (500) < batch1 (1000) < batch2 (1001) < fast2 (1500)
    expect(started).toEqual(['blocker', 'fast1', 'mid1', 'batch1', 'batch2', 'fast2']);
  });

  it('dispatches jobs without an SLO (an Infinity deadline), after every job with one', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 8, now: manualClock().now });
    const started: string[] = [];
    const first = gatedJob('best-effort1', 'best-effort', Number.POSITIVE_INFINITY, started);
    const jobs = new Map([
      ['best-effort1', first],
      ['best-effort2', gatedJob('best-effort2', 'best-effort', Number.POSITIVE_INFINITY, started)],
      ['slo1', gatedJob('slo1', 'slo', 1e12, started)],
    ]);
    const results = [...jobs.values()].map(({ job }) => dispatcher.submit(job));
    // The only job at first: it must run although its deadline is Infinity.
    expect(started).toEqual(['best-effort1']);
    for (let i = 0; i < jobs.size; i++) {
      jobs.get(started.at(-1) ?? '')?.gate.resolve('ok');
      await settle();
    }
    await Promise.all(results);
    expect(started).toEqual(['best-effort1', 'slo1', 'best-effort2']);
  });

  it('counts the queued and running jobs of one queue as pending', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4, now: manualClock().now });
    const started: string[] = [];
    const a1 = gatedJob('a1', 'a', 0, started);
    const a2 = gatedJob('a2', 'a', 1, started);
    const b1 = gatedJob('b1', 'b', 2, started);
    const results = [a1, a2, b1].map(({ job }) => dispatcher.submit(job));
    expect([dispatcher.pending('a'), dispatcher.pending('b'), dispatcher.pending('c')]).toEqual([2, 1, 0]);
    expect([dispatcher.queued('a'), dispatcher.queued()]).toEqual([1, 2]);
    for (const { gate } of [a1, a2, b1]) {
      gate.resolve('ok');
      await settle();
    }
    await Promise.all(results);
    expect([dispatcher.pending('a'), dispatcher.pending('b')]).toEqual([0, 0]);
  });

  it('never runs more jobs at once than it has slots', async () => {
    const dispatcher = new Dispatcher({ slots: 3, maxQueueLength: 20 });
    let running = 0;
    let peak = 0;
    const results = Array.from({ length: 24 }, (_, i) =>
      dispatcher.submit({
        queue: `tenant-${i % 4}`,
        sloDeadlineMs: (i * 7) % 11,
        execute: async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(1 + (i % 3));
          running--;
          return i;
        },
      }),
    );
    const values = (await Promise.all(results)).map((result) => result.value);
    expect(values).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(running).toBe(0);
    expect(dispatcher.queued()).toBe(0);
  });

  it('sheds load beyond the per-queue bound with RESOURCE_EXHAUSTED, counting queued jobs only', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 2, now: manualClock().now });
    const started: string[] = [];
    const a1 = gatedJob('a1', 'a', 10, started);
    const a2 = gatedJob('a2', 'a', 10, started);
    const a3 = gatedJob('a3', 'a', 10, started);
    const accepted = [a1, a2, a3].map(({ job }) => dispatcher.submit(job));
    expect(started).toEqual(['a1']);
    expect(dispatcher.queued('a')).toBe(2);

    const error = await rejection(dispatcher.submit(gatedJob('a4', 'a', 10, started).job));
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.message).toBe("model 'a' already has 2 requests queued (the limit); retry with backoff");

    // The bound is per queue: another tenant still gets in.
    const other = gatedJob('b1', 'b', 5, started);
    const otherResult = dispatcher.submit(other.job);
    expect(dispatcher.queued()).toBe(3);

    for (const { gate } of [a1, other, a2, a3]) {
      gate.resolve('ok');
      await settle();
    }
    await Promise.all([...accepted, otherResult]);
    expect(started).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('fails a job still queued at its hard deadline with DEADLINE_EXCEEDED and drops it', async () => {
    const clock = manualClock(1000);
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4, now: clock.now });
    const started: string[] = [];
    const blocker = gatedJob('blocker', 'a', 0, started);
    const blocked = dispatcher.submit(blocker.job);
    const late = dispatcher.submit(gatedJob('late', 'a', 10, started, { hardDeadlineMs: 1003 }).job);
    const next = gatedJob('next', 'a', 20, started);
    const nextResult = dispatcher.submit(next.job);
    clock.set(1007);

    const error = await rejection(late);
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(error.message).toBe("the deadline passed after 7.0 ms in the queue of 'a'");
    expect(dispatcher.queued('a')).toBe(1);

    blocker.gate.resolve('ok');
    await blocked;
    await settle();
    next.gate.resolve('ok');
    await nextResult;
    expect(started).toEqual(['blocker', 'next']);
  });

  it('lets a job that started before its hard deadline run to completion', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4 });
    const result = dispatcher.submit({
      queue: 'a',
      sloDeadlineMs: 0,
      hardDeadlineMs: performance.now() + 2,
      execute: async () => {
        await sleep(20);
        return 'finished';
      },
    });
    await expect(result).resolves.toMatchObject({ value: 'finished' });
  });

  it('removes a queued job whose signal aborts, with CANCELLED', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4, now: manualClock().now });
    const started: string[] = [];
    const blocker = gatedJob('blocker', 'a', 0, started);
    const blocked = dispatcher.submit(blocker.job);
    const controller = new AbortController();
    const cancelled = dispatcher.submit(gatedJob('gone', 'a', 1, started, { signal: controller.signal }).job);
    const kept = gatedJob('kept', 'a', 2, started);
    const keptResult = dispatcher.submit(kept.job);
    expect(dispatcher.queued('a')).toBe(2);

    controller.abort();
    const error = await rejection(cancelled);
    expect(error.code).toBe(Code.Cancelled);
    expect(error.message).toBe('the request was cancelled by the client');
    expect(dispatcher.queued('a')).toBe(1);

    blocker.gate.resolve('ok');
    await blocked;
    await settle();
    kept.gate.resolve('ok');
    await keptResult;
    expect(started).toEqual(['blocker', 'kept']);
  });

  it('refuses a job whose signal has already aborted, without queueing it', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4 });
    const started: string[] = [];
    const error = await rejection(
      dispatcher.submit(gatedJob('x', 'a', 0, started, { signal: AbortSignal.abort() }).job),
    );
    expect(error.code).toBe(Code.Cancelled);
    expect(error.message).toBe('the request was cancelled by the client');
    expect(started).toEqual([]);
    expect(dispatcher.queued()).toBe(0);
  });

  it('never aborts a running job', async () => {
    const clock = manualClock(0);
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4, now: clock.now });
    const controller = new AbortController();
    const started: string[] = [];
    const running = gatedJob('r', 'a', 0, started, { signal: controller.signal, hardDeadlineMs: 2 });
    const result = dispatcher.submit(running.job);
    expect(started).toEqual(['r']);
    // Both the deadline and the abort come while it runs: neither may touch it.
    clock.set(10);
    controller.abort();
    await sleep(5);
    running.gate.resolve('survived');
    await expect(result).resolves.toMatchObject({ value: 'survived' });
  });

  it('passes a job HetschedError through and turns anything else into INTERNAL, freeing the slot', async () => {
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4 });
    const coded = dispatcher.submit({
      queue: 'a',
      sloDeadlineMs: 0,
      execute: () => Promise.reject(new HetschedError(Code.NotFound, 'no such session')),
    });
    const thrown = dispatcher.submit({
      queue: 'a',
      sloDeadlineMs: 1,
      execute: () => {
        throw new TypeError('boom');
      },
    });
    const after = dispatcher.submit({ queue: 'a', sloDeadlineMs: 2, execute: async () => 'still serving' });

    const codedError = await rejection(coded);
    expect([codedError.code, codedError.message]).toEqual([Code.NotFound, 'no such session']);
    const thrownError = await rejection(thrown);
    expect([thrownError.code, thrownError.message]).toEqual([Code.Internal, 'boom']);
    expect(thrownError.cause).toBeInstanceOf(TypeError);
    await expect(after).resolves.toMatchObject({ value: 'still serving' });
  });

  describe('drain', () => {
    it('resolves at once when nothing is queued or running', async () => {
      const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4 });
      await expect(dispatcher.drain()).resolves.toBeUndefined();
      await expect(dispatcher.drain('never-seen')).resolves.toBeUndefined();
    });

    it('waits for one queue only, and globally for every queue', async () => {
      const dispatcher = new Dispatcher({ slots: 2, maxQueueLength: 4, now: manualClock().now });
      const started: string[] = [];
      const a1 = gatedJob('a1', 'a', 0, started);
      const a2 = gatedJob('a2', 'a', 1, started);
      const b1 = gatedJob('b1', 'b', 2, started);
      const results = [a1, b1, a2].map(({ job }) => dispatcher.submit(job));
      const drained: string[] = [];
      void dispatcher.drain('a').then(() => drained.push('a'));
      void dispatcher.drain('b').then(() => drained.push('b'));
      void dispatcher.drain().then(() => drained.push('all'));

      a1.gate.resolve('ok');
      await settle();
      // a2 took a1's slot: queue a is still busy.
      expect(started).toEqual(['a1', 'b1', 'a2']);
      expect(drained).toEqual([]);

      a2.gate.resolve('ok');
      await settle();
      expect(drained).toEqual(['a']);

      b1.gate.resolve('ok');
      await settle();
      expect(drained).toEqual(['a', 'b', 'all']);
      await Promise.all(results);
    });

    it('resolves when the last queued job of a queue is cancelled', async () => {
      const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 4 });
      const started: string[] = [];
      const blocker = gatedJob('blocker', 'other', 0, started);
      const blocked = dispatcher.submit(blocker.job);
      const controller = new AbortController();
      const cancelled = dispatcher.submit(gatedJob('q', 'a', 1, started, { signal: controller.signal }).job);
      let drainedA = false;
      let drainedAll = false;
      void dispatcher.drain('a').then(() => (drainedA = true));
      void dispatcher.drain().then(() => (drainedAll = true));
      await settle();
      expect([drainedA, drainedAll]).toEqual([false, false]);

      controller.abort();
      await expect(cancelled).rejects.toMatchObject({ code: Code.Cancelled });
      await settle();
      expect([drainedA, drainedAll]).toEqual([true, false]);

      blocker.gate.resolve('ok');
      await blocked;
      await settle();
      expect(drainedAll).toBe(true);
      expect(started).toEqual(['blocker']);
    });
  });

  it('never starts a job whose hard deadline passed while it waited, even before its timer fires', async () => {
    const clock = manualClock(0);
    const dispatcher = new Dispatcher({ slots: 1, maxQueueLength: 8, now: clock.now });
    const started: string[] = [];
    const first = gatedJob('first', 'a', 10, started);
    const late = gatedJob('late', 'b', 20, started, { hardDeadlineMs: 1_000_000 });
    const next = gatedJob('next', 'c', 30, started);
    const firstDone = dispatcher.submit(first.job);
    const lateDone = dispatcher.submit(late.job);
    const nextDone = dispatcher.submit(next.job);
    // The clock passes the deadline; the real timer (1000 s away) has not fired.
    clock.set(1_000_000);
    first.gate.resolve('ok');
    await firstDone;
    const error = await rejection(lateDone);
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(error.message).toContain("in the queue of 'b'");
    await settle();
    expect(started).toEqual(['first', 'next']);
    next.gate.resolve('ok');
    expect((await nextDone).value).toBe('ok');
  });
});
