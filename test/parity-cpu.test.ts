import fc from 'fast-check';
import type ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type ServedModel } from '../src/runtime/index.js';
import { copyFeeds, type TensorData } from '../src/tensor/index.js';
import { compare, type ParityCase, realModelCase, syntheticCase } from './helpers/parity.js';
import { referenceRun } from './helpers/reference.js';

/**
 * Output parity of CPU-only splits: the model cut into many segments (random placements over the
 * CPU and a second CPU lane, and contiguous chunks) must compute what the whole model computes.
 */
const CASES: readonly ParityCase[] = [
  realModelCase('ppocr-det', 3, 5, { x: [1, 3, 96, 96] }),
  realModelCase('ppocr-rec', 3, 5),
  realModelCase('ppocr-cls', 5, 5),
  realModelCase('silero-vad-v5', 8, 5),
  realModelCase('silero-vad-legacy', 8, 5),
  realModelCase('openwakeword', 10, 5),
  syntheticCase('branches', 60, 60, 8),
  syntheticCase('residual', 80, 80, 8),
  syntheticCase('attention', 90, 90, 8),
  syntheticCase('mixed', 200, 200, 8),
];

describe.each(CASES)('CPU-only splits of $name', (entry) => {
  let engine: Engine;
  let served: ServedModel;
  let feeds: Record<string, TensorData>;
  let expected: Record<string, ort.Tensor>;

  beforeAll(async () => {
    engine = new Engine({ cpuThreads: 2, intraOpThreads: 1, maxQueueLength: 64 });
    const path = await entry.path();
    served = await engine.loadFile(path);
    feeds = entry.feeds();
    expected = await referenceRun(path, feeds);
  });
  afterAll(async () => {
    await engine.close();
  });

  const check = async (spec: string): Promise<number> => {
    const plan = await engine.plan(served, { spec });
    const result = await engine.infer(served, copyFeeds(feeds), { placement: { spec } });
    expect(result.segments).toBe(plan.segments.length);
    for (const [name, tensor] of Object.entries(expected)) {
      const got = result.outputs.get(name);
      if (!got) throw new Error(`no output ${name}`);
      const { excess, maxAbsDiff } = compare(got, tensor);
      expect(excess, `${spec}: output ${name} max abs diff ${maxAbsDiff}`).toBe(0);
    }
    return plan.segments.length;
  };

  it('matches the whole model for random placements over two CPU lanes (property)', async () => {
    const segmentCounts: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        segmentCounts.push(await check(`random:${seed}@cpu,cpu:1`));
      }),
      { numRuns: entry.runs, seed: 3 },
    );
    // Real splits: some placements must have cut the model (a 2-op graph can stay whole).
    expect(Math.max(...segmentCounts)).toBeGreaterThan(1);
  });

  it('matches the whole model cut into 8 contiguous chunks', async () => {
    await check('chunks:8');
  });
});
