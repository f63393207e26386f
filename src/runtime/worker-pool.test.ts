import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFeeds, modelPath } from '../models/index.js';
import { WorkerPool } from './worker-pool.js';
import type { SessionSpec } from './worker-protocol.js';

/** A CPU session of a catalog model with this many intra-op threads. */
function session(id: number, model: string, threads: number): SessionSpec {
  return {
    id,
    source: { kind: 'file', path: modelPath(model) },
    options: { executionProviders: ['cpu'], intraOpThreads: threads },
  };
}

describe('WorkerPool: runs hold worker slots (thread budgets)', () => {
  let pool: WorkerPool;
  const det = session(1, 'ppocr-det', 1);
  const wideCls = session(2, 'ppocr-cls', 2);
  const cls = session(3, 'ppocr-cls', 1);
  const feeds = (model: string) =>
    exampleFeeds(model, { seed: 1, ...(model === 'ppocr-det' && { dims: { x: [1, 3, 320, 320] } }) });

  beforeAll(async () => {
    pool = new WorkerPool({ processor: 'cpu', threads: 2 });
    // Every session built in both workers, so the order below is the runs', not the builds'.
    await Promise.all([det, wideCls, cls].flatMap((spec) => [pool.load(spec), pool.load(spec)]));
  });
  afterAll(async () => {
    await pool.close();
  });

  it('starts a two-slot run only when both workers are free, and a later one-slot run only after it', async () => {
    const finished: string[] = [];
    const run = (name: string, spec: SessionSpec, model: string, slots: number) =>
      pool.run(spec, feeds(model), [], slots).then((result) => {
        finished.push(name);
        return result;
      });
    // det (about 10 ms) holds one worker; the wide run waits for both; the narrow cls, which the
    // other worker could take at once, waits behind it (equal deadlines: arrival order).
    const all = [
      run('det', det, 'ppocr-det', 1),
      run('wide', wideCls, 'ppocr-cls', 2),
      run('narrow', cls, 'ppocr-cls', 1),
    ];
    const results = await Promise.all(all);
    expect(finished).toEqual(['det', 'wide', 'narrow']);
    expect(results.every((result) => result.computeMs > 0)).toBe(true);
  });

  it('lets a waiting run of an earlier SLO deadline start before one that queued first', async () => {
    const finished: string[] = [];
    const run = (name: string, spec: SessionSpec, model: string, sloDeadlineMs?: number) =>
      pool.run(spec, feeds(model), [], 2, sloDeadlineMs).then(() => finished.push(name));
    // Each run holds both workers, so they run one at a time: det first (the pool was free),
    // then the waiting ones by deadline, not by the order they came in.
    await Promise.all([
      run('det', det, 'ppocr-det'),
      run('loose', cls, 'ppocr-cls', 1_000),
      run('tight', cls, 'ppocr-cls', 10),
    ]);
    expect(finished).toEqual(['det', 'tight', 'loose']);
  });

  it('refuses a run asking for more slots than the pool has', async () => {
    await expect(pool.run(cls, feeds('ppocr-cls'), [], 3)).rejects.toThrow(
      /asked for 3 slots of a pool of 2/,
    );
  });
});
