/**
 * Suite `admission`: what the dispatcher's request slots per worker thread do to a real engine on
 * this machine's CPU (two worker threads, no GPU). Two closed-loop workloads of the real models —
 * PP-OCR det, rec and cls (2 clients each), and the three small audio models (4 clients each) —
 * run with one slot per thread and with REQUEST_SLOTS_PER_THREAD, alternating round by round so
 * machine noise hits both alike. Reported per workload: the median round's total throughput and
 * median latency for each setting, and their ratio. A split plan's gain (requests waiting on the
 * other processor) needs a GPU and is not measured here; this shows what the rule costs where
 * there is nothing to gain.
 */
import { performance } from 'node:perf_hooks';
import { REQUEST_SLOTS_PER_THREAD } from '../src/cost/index.js';
import { ensureModels, exampleFeeds } from '../src/models/index.js';
import { Engine } from '../src/runtime/index.js';
import { copyFeeds } from '../src/tensor/index.js';
import { type MainThreadLoad, watchMainThread } from './main-thread.js';
import { percentile, round } from './stats.js';

export interface Workload {
  readonly models: readonly { readonly id: string; readonly dims?: Record<string, number[]> }[];
  readonly clients: number;
}

export const WORKLOADS: Record<string, Workload> = {
  ocr: {
    models: [{ id: 'ppocr-det', dims: { x: [1, 3, 320, 320] } }, { id: 'ppocr-rec' }, { id: 'ppocr-cls' }],
    clients: 2,
  },
  audio: {
    models: [{ id: 'silero-vad-legacy' }, { id: 'openwakeword' }, { id: 'silero-vad-v5' }],
    clients: 4,
  },
};
const ROUNDS = 5;
export const ROUND_MS = 3_000;
const CPU_THREADS = 2;

export interface Round {
  readonly throughputPerS: number;
  readonly latencyP50Ms: number;
  /** The main thread over the closed loop: busy share, and full garbage collections. */
  readonly mainThread: MainThreadLoad;
}

export async function admission(): Promise<Record<string, unknown>> {
  const settings = [1, REQUEST_SLOTS_PER_THREAD];
  const metrics: Record<string, unknown> = { request_slots_per_thread: REQUEST_SLOTS_PER_THREAD };
  for (const [name, workload] of Object.entries(WORKLOADS)) {
    const paths = await ensureModels(workload.models.map((model) => model.id));
    const rounds = new Map<number, Round[]>(settings.map((perThread) => [perThread, []]));
    for (let index = 0; index < ROUNDS; index++) {
      for (const perThread of settings) {
        const result = await closedLoopRound(workload, paths, perThread);
        rounds.get(perThread)?.push(result);
        process.stderr.write(
          `${name} round ${index} slots/thread ${perThread}: ${result.throughputPerS.toFixed(1)}/s, p50 ${result.latencyP50Ms.toFixed(2)} ms\n`,
        );
      }
    }
    const median = (perThread: number, pick: (round: Round) => number) =>
      percentile((rounds.get(perThread) ?? []).map(pick), 50);
    const one = median(1, (r) => r.throughputPerS);
    const rule = median(REQUEST_SLOTS_PER_THREAD, (r) => r.throughputPerS);
    metrics[name] = {
      throughput_per_s_one_per_thread: round(one),
      throughput_per_s_rule: round(rule),
      throughput_ratio_rule_vs_one: round(rule / one),
      latency_p50_ms_one_per_thread: round(median(1, (r) => r.latencyP50Ms)),
      latency_p50_ms_rule: round(median(REQUEST_SLOTS_PER_THREAD, (r) => r.latencyP50Ms)),
    };
  }
  return metrics;
}

/** One round on a fresh engine: every client sends its next request as soon as the last returns. */
export async function closedLoopRound(
  workload: Workload,
  paths: ReadonlyMap<string, string>,
  requestSlotsPerThread: number,
): Promise<Round> {
  const engine = new Engine({
    cpuThreads: CPU_THREADS,
    intraOpThreads: 1,
    maxQueueLength: 64,
    requestSlotsPerThread,
  });
  const latencies: number[] = [];
  let mainThread: MainThreadLoad | undefined;
  try {
    const served = [];
    for (const model of workload.models) {
      const loaded = await engine.loadFile(paths.get(model.id) ?? '', model.id, 1_000);
      const feeds = exampleFeeds(model.id, { seed: 2, ...(model.dims && { dims: model.dims }) });
      for (let i = 0; i < 5; i++) await engine.infer(loaded, copyFeeds(feeds));
      served.push({ loaded, feeds });
    }
    const watch = watchMainThread();
    const started = performance.now();
    await Promise.all(
      served.flatMap(({ loaded, feeds }) =>
        Array.from({ length: workload.clients }, async () => {
          while (performance.now() - started < ROUND_MS) {
            const sent = performance.now();
            await engine.infer(loaded, copyFeeds(feeds));
            if (performance.now() - started <= ROUND_MS) latencies.push(performance.now() - sent);
          }
        }),
      ),
    );
    mainThread = watch.stop();
  } finally {
    await engine.close();
  }
  if (!mainThread) throw new Error('the round did not run');
  return {
    throughputPerS: (latencies.length * 1000) / ROUND_MS,
    latencyP50Ms: percentile(latencies, 50),
    mainThread,
  };
}
