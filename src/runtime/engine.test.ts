import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { requestSlotsFor } from '../cost/index.js';
import { exampleFeeds, modelPath } from '../models/index.js';
import { inspectModel } from '../onnx/index.js';
import type { TensorData } from '../tensor/index.js';
import { Engine, type ServedModel } from './index.js';

describe('Engine', () => {
  let engine: Engine;
  let served: ServedModel;

  beforeAll(async () => {
    engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 4 });
    const path = modelPath('ppocr-cls');
    const bytes = await readFile(path);
    const info = inspectModel(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // No SLO at all (as `hetsched infer` runs): regression test for a dispatcher that never
    // dispatched a job whose deadline was Infinity.
    served = engine.load({
      key: 'cls@1',
      path,
      sha256,
      inputs: info.inputs,
      outputs: info.outputs,
      latencySloMs: Number.POSITIVE_INFINITY,
    });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('moves tensor buffers to the worker and back instead of copying them', async () => {
    const feeds = exampleFeeds('ppocr-cls', { seed: 1 });
    const input = feeds.x as TensorData;
    const bytesBefore = input.data.byteLength;
    expect(bytesBefore).toBe(3 * 48 * 192 * 4);
    const result = await engine.infer(served, new Map(Object.entries(feeds)));
    // A transferred ArrayBuffer is detached on the sending side; a copied one would be intact.
    expect(input.data.byteLength).toBe(0);
    expect(input.data.buffer.byteLength).toBe(0);
    const output = [...result.outputs.values()][0];
    expect(output?.dims).toEqual([1, 2]);
    // The output arrives owning a whole buffer of its own: it can be transferred on again.
    expect(output?.data.byteOffset).toBe(0);
    expect(output?.data.buffer.byteLength).toBe(output?.data.byteLength);
  });

  it('runs jobs that have no SLO', async () => {
    const result = await engine.infer(
      served,
      new Map(Object.entries(exampleFeeds('ppocr-cls', { seed: 2 }))),
    );
    expect(result.computeMs).toBeGreaterThan(0);
    expect(engine.pending(served)).toBe(0);
  });

  it("builds a loaded model's session in the workers before any request, and releases it on unload", async () => {
    const path = modelPath('openwakeword');
    const bytes = await readFile(path);
    const info = inspectModel(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const model = engine.load({
      key: 'oww@1',
      path,
      sha256,
      inputs: info.inputs,
      outputs: info.outputs,
      latencySloMs: 50,
    });
    const holds = async () => (await engine.workerStats()).sessionIds.includes(model.session.id);
    // The preload broadcast reaches the (single) worker without any request for the model.
    await until(holds, true);
    expect(engine.pending(model)).toBe(0);
    await engine.unload(model);
    await until(holds, false);
  });
});

describe('Engine admission', () => {
  /** `sent` requests at once on one CPU thread with room for one queued request: how many are refused. */
  async function refused(sent: number, options: { requestSlotsPerThread?: number }): Promise<number> {
    const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 1, ...options });
    try {
      const served = await engine.loadFile(modelPath('ppocr-cls'), 'cls@1', 1_000);
      // Its session build, queued in its own queue, is done once a first request is served.
      await engine.infer(served, new Map(Object.entries(exampleFeeds('ppocr-cls', { seed: 0 }))));
      const results = await Promise.allSettled(
        Array.from({ length: sent }, (_, i) =>
          engine.infer(served, new Map(Object.entries(exampleFeeds('ppocr-cls', { seed: i + 1 })))),
        ),
      );
      const rejected = results.filter((result) => result.status === 'rejected');
      for (const result of rejected) expect(String(result.reason)).toMatch(/already has 1 requests queued/);
      return rejected.length;
    } finally {
      await engine.close();
    }
  }

  it('runs requestSlotsFor(threads) requests at once, or as many per thread as it is told', async () => {
    // As many run as there are slots and one waits in the queue; the last two find it full.
    expect(await refused(requestSlotsFor(1) + 3, {})).toBe(2);
    expect(await refused(4, { requestSlotsPerThread: 1 })).toBe(2);
    expect(await refused(5, { requestSlotsPerThread: 2 })).toBe(2);
  });
});

describe('Engine deadlines after dispatch', () => {
  it('does not start the next segment of a request whose deadline has passed', async () => {
    const engine = new Engine({
      cpuThreads: 1,
      intraOpThreads: 1,
      maxQueueLength: 4,
      requestSlotsPerThread: 3,
    });
    try {
      const det = await engine.loadFile(modelPath('ppocr-det'), 'ppocr-det', 1_000);
      const cls = await engine.loadFile(modelPath('ppocr-cls'), 'ppocr-cls', 1_000);
      const feeds = (id: string) => new Map(Object.entries(exampleFeeds(id, { seed: 1 })));
      const placement = { spec: 'chunks:4' };
      // Sessions built and warm: nothing below waits on a session build.
      await engine.infer(det, feeds('ppocr-det'));
      await engine.infer(cls, feeds('ppocr-cls'), { placement });
      // Two det requests (tens of ms each) hold the one thread; cls is dispatched at once (three
      // slots per thread) and its first segment waits behind them, past cls's deadline.
      const busy = [engine.infer(det, feeds('ppocr-det')), engine.infer(det, feeds('ppocr-det'))];
      const late = engine.infer(cls, feeds('ppocr-cls'), { placement, deadlineMs: performance.now() + 30 });
      await expect(late).rejects.toMatchObject({
        code: Code.DeadlineExceeded,
        message: expect.stringMatching(/deadline passed before the request's segment \d+/),
      });
      await Promise.all(busy);
      expect(engine.pending(cls)).toBe(0);
    } finally {
      await engine.close();
    }
  });
});

describe('Engine order at the pools', () => {
  it("runs a dispatched request's segment before those of requests due later, whichever came first", async () => {
    const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 4 });
    try {
      const det = await engine.loadFile(modelPath('ppocr-det'), 'ppocr-det', 10_000);
      const cls = await engine.loadFile(modelPath('ppocr-cls'), 'ppocr-cls', 100);
      const feeds = (id: string) => new Map(Object.entries(exampleFeeds(id, { seed: 1 })));
      // Sessions built and warm: the order below is the runs'.
      await engine.infer(det, feeds('ppocr-det'));
      await engine.infer(cls, feeds('ppocr-cls'));
      const finished: string[] = [];
      const send = (name: string, served: ServedModel, id: string) =>
        engine.infer(served, feeds(id)).then(() => finished.push(name));
      // All four are dispatched at once (requestSlotsFor(1) > 4); the first det holds the one
      // worker, and cls, due in 100 ms rather than 10 s, overtakes the dets waiting for it.
      await Promise.all([
        send('det-1', det, 'ppocr-det'),
        send('det-2', det, 'ppocr-det'),
        send('det-3', det, 'ppocr-det'),
        send('cls', cls, 'ppocr-cls'),
      ]);
      expect(requestSlotsFor(1)).toBeGreaterThan(4);
      expect(finished).toEqual(['det-1', 'cls', 'det-2', 'det-3']);
    } finally {
      await engine.close();
    }
  });
});

describe('Engine.close', () => {
  it('waits for session builds in flight: stopping a worker inside one aborts the process', async () => {
    const path = modelPath('ppocr-rec');
    const bytes = await readFile(path);
    const info = inspectModel(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    for (let round = 0; round < 3; round++) {
      const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 4 });
      // As `hetsched infer` does: a task first (the worker is up), then load, then close at once.
      await engine.inspect(await readFile(path));
      const served = engine.load({
        key: 'rec@1',
        path,
        sha256,
        inputs: info.inputs,
        outputs: info.outputs,
        latencySloMs: 50,
      });
      await engine.close();
      expect(engine.pending(served)).toBe(0);
    }
  });
});

/** Polls `probe` until it returns `wanted` (the broadcast is asynchronous); fails after 10 s. */
async function until(probe: () => Promise<boolean>, wanted: boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    if ((await probe()) === wanted) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`condition did not become ${wanted} within 10 s`);
}
