import fc from 'fast-check';
import type ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFeeds, modelPath } from '../src/models/index.js';
import { isGpu } from '../src/partition/index.js';
import { detectGpu } from '../src/profile/index.js';
import { Engine, type ServedModel } from '../src/runtime/index.js';
import { copyFeeds, type TensorData } from '../src/tensor/index.js';
import { compare, type ParityCase, realModelCase, syntheticCase } from './helpers/parity.js';
import { referenceRun } from './helpers/reference.js';

/**
 * GPU/CPU mixes on a real GPU execution provider (in CI: the WebGPU EP on SwiftShader, a
 * software Vulkan: real device boundaries and copies, timings meaningless). Operators are drawn
 * at random between the CPU and the GPU; the engine first pins to the CPU what the GPU cannot
 * run or computes differently, so the result must always match the whole model on the CPU.
 */
const gpu = await detectGpu();
const noGpu = gpu.provider === 'none';
if (noGpu && process.env.HETSCHED_REQUIRE_GPU) {
  // CI sets this: there the GPU path must run (on SwiftShader), never be skipped quietly.
  throw new Error(`HETSCHED_REQUIRE_GPU is set but there is no GPU execution provider: ${gpu.detail}`);
}
if (noGpu)
  console.warn(
    `GPU parity tests skipped: no GPU execution provider (${gpu.detail}; ${gpu.failures.join('; ')})`,
  );

// Small shapes: SwiftShader runs convolution nets ~100x slower than the CPU EP.
const CASES: readonly ParityCase[] = [
  realModelCase('openwakeword', 3, 9),
  realModelCase('silero-vad-v5', 2, 9),
  realModelCase('silero-vad-legacy', 2, 9),
  realModelCase('ppocr-cls', 1, 9),
  syntheticCase('chain', 24, 11, 3),
  syntheticCase('attention', 40, 11, 3),
];

describe.skipIf(noGpu).each(CASES)(`GPU/CPU mixes on ${gpu.provider} of $name`, (entry) => {
  let engine: Engine;
  let served: ServedModel;
  let feeds: Record<string, TensorData>;
  let expected: Record<string, ort.Tensor>;

  beforeAll(async () => {
    engine = new Engine({ cpuThreads: 2, intraOpThreads: 1, maxQueueLength: 64, gpu });
    const path = await entry.path();
    served = await engine.loadFile(path);
    feeds = entry.feeds();
    expected = await referenceRun(path, feeds);
    // The first request is the sample the engine checks GPU operators with.
    await engine.infer(served, copyFeeds(feeds));
  }, 300_000);
  afterAll(async () => {
    await engine.close();
  });

  it('matches the whole model on the CPU for random CPU/GPU placements (property)', {
    timeout: 600_000,
  }, async () => {
    let gpuSegments = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const spec = `random:${seed}`;
        const plan = await engine.plan(served, { spec });
        gpuSegments += plan.segments.filter((segment) => isGpu(segment.processor)).length;
        const result = await engine.infer(served, copyFeeds(feeds), { placement: { spec } });
        for (const [name, tensor] of Object.entries(expected)) {
          const got = result.outputs.get(name);
          if (!got) throw new Error(`no output ${name}`);
          const { excess, maxAbsDiff } = compare(got, tensor);
          expect(excess, `${spec}: output ${name} max abs diff ${maxAbsDiff}`).toBe(0);
        }
      }),
      { numRuns: entry.runs, seed: 5 },
    );
    // The mixes really used the GPU: not everything was pinned back.
    expect(gpuSegments).toBeGreaterThan(0);
  });
});

describe.skipIf(noGpu)('the accuracy guard', () => {
  it("pins Silero VAD v5's If (STFT as Conv: off on the WebGPU EP) to the CPU, and the answer stays right", {
    timeout: 300_000,
  }, async () => {
    const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 8, gpu });
    try {
      const path = modelPath('silero-vad-v5');
      const served = await engine.loadFile(path);
      const feeds = exampleFeeds('silero-vad-v5', { seed: 1 });
      await engine.infer(served, copyFeeds(feeds));
      const plan = await engine.plan(served, { spec: 'all-gpu' });
      const pinnedIf = plan.pinned.find((pin) => pin.op === 'If_0');
      expect(pinnedIf?.reason).toBe('gpu-inaccurate');
      expect(pinnedIf?.detail).toMatch(/max abs diff/);
      expect(plan.placement.If_0).toBe('cpu');
      const expected = await referenceRun(path, feeds);
      const result = await engine.infer(served, copyFeeds(feeds), { placement: { spec: 'all-gpu' } });
      for (const [name, tensor] of Object.entries(expected)) {
        const got = result.outputs.get(name);
        if (!got) throw new Error(`no output ${name}`);
        expect(compare(got, tensor).excess).toBe(0);
      }
    } finally {
      await engine.close();
    }
  });
});
