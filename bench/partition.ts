/**
 * Suite `partition`: the price of a switch. Each real model runs whole (one onnxruntime session)
 * and cut into k = 2, 4, 8 CPU segments (`chunks:k`: contiguous runs of its topological order),
 * through the same engine, on one CPU worker and one intra-op thread, rounds interleaved so noise
 * hits every k alike. The extra latency against the number of boundary tensors gives
 * `split_overhead_ms_per_boundary` (least-squares slope through the origin): what the cost model
 * and the search must weigh against the speed a switch of processor buys.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { ensureModels, exampleFeeds } from '../src/models/index.js';
import { inspectModel } from '../src/onnx/index.js';
import { Engine, type ServedModel } from '../src/runtime/index.js';
import { copyFeeds, type TensorData } from '../src/tensor/index.js';
import { percentile, round } from './stats.js';

interface Case {
  readonly id: string;
  readonly dims?: Record<string, number[]>;
  readonly requests: number;
}

const CASES: readonly Case[] = [
  { id: 'ppocr-det', dims: { x: [1, 3, 320, 320] }, requests: 40 },
  { id: 'ppocr-rec', requests: 40 },
  { id: 'ppocr-cls', requests: 150 },
  { id: 'silero-vad-v5', requests: 400 },
  { id: 'silero-vad-legacy', requests: 400 },
  { id: 'openwakeword', requests: 400 },
];
const SPLITS = [2, 4, 8] as const;
const ROUNDS = 4;

export async function partition(): Promise<Record<string, unknown>> {
  const paths = await ensureModels(CASES.map((entry) => entry.id));
  const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 8 });
  const metrics: Record<string, unknown> = {};
  try {
    for (const entry of CASES) {
      const path = paths.get(entry.id) ?? '';
      const bytes = await readFile(path);
      const info = inspectModel(bytes);
      const served = engine.load({
        key: entry.id,
        path,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        inputs: info.inputs,
        outputs: info.outputs,
        latencySloMs: Number.POSITIVE_INFINITY,
      });
      const feeds = exampleFeeds(entry.id, { seed: 1, ...(entry.dims && { dims: entry.dims }) });
      const configs = [{ k: 1, spec: undefined }, ...SPLITS.map((k) => ({ k, spec: `chunks:${k}` }))];
      const boundaries = new Map<number, number>();
      const segments = new Map<number, number>();
      const samples = new Map<number, number[]>(configs.map(({ k }) => [k, []]));
      for (const { k, spec } of configs) {
        const plan = await engine.plan(served, { spec: spec ?? 'all-cpu' });
        segments.set(k, plan.segments.length);
        // Tensors crossing between segments (request inputs and final outputs are not switches).
        boundaries.set(k, plan.boundaries.filter((boundary) => boundary.from !== null).length);
        for (let i = 0; i < 5; i++) await run(engine, served, feeds, spec); // warm-up: sessions, JIT
      }
      const perRound = Math.ceil(entry.requests / ROUNDS);
      for (let round = 0; round < ROUNDS; round++) {
        for (const { k, spec } of configs) {
          for (let i = 0; i < perRound; i++) samples.get(k)?.push(await run(engine, served, feeds, spec));
        }
      }
      const wholeP50 = percentile(samples.get(1) ?? [], 50);
      const byK: Record<string, unknown> = {};
      let numerator = 0;
      let denominator = 0;
      for (const { k } of configs) {
        const p50 = percentile(samples.get(k) ?? [], 50);
        const crossing = boundaries.get(k) ?? 0;
        byK[`k${k}`] = {
          segments: segments.get(k),
          boundary_tensors: crossing,
          p50_ms: round(p50),
          ratio_vs_whole: round(p50 / wholeP50),
        };
        numerator += crossing * (p50 - wholeP50);
        denominator += crossing * crossing;
      }
      const result = {
        whole_p50_ms: round(wholeP50),
        split_overhead_ms_per_boundary: denominator > 0 ? round(numerator / denominator) : null,
        ...byK,
      };
      process.stderr.write(`${entry.id}: ${JSON.stringify(result)}\n`);
      metrics[entry.id] = result;
      await engine.unload(served);
    }
  } finally {
    await engine.close();
  }
  return metrics;
}

async function run(
  engine: Engine,
  served: ServedModel,
  feeds: Record<string, TensorData>,
  spec: string | undefined,
): Promise<number> {
  const copy = copyFeeds(feeds);
  const started = performance.now();
  await engine.infer(served, copy, spec === undefined ? {} : { placement: { spec } });
  return performance.now() - started;
}
