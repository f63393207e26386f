/**
 * Suite `intraop`: why hetsched's sessions with a thread pool (a thread budget above one) run with
 * the pool's spinning off (workers/intra-op.ts). Real PP-OCR rec sessions at 2 intra-op threads
 * run in turn, as a worker runs its segments' and tenants' sessions: 1, 2 and 4 of them, each way
 * (onnxruntime's default, spinning; hetsched's options), alternating rounds so that the shared
 * machine's drift hits both alike. Median run time per way, and default over hetsched's: above
 * 1, hetsched's options run faster.
 */
import { performance } from 'node:perf_hooks';
import ort from 'onnxruntime-node';
import { ensureModels, exampleFeeds } from '../src/models/index.js';
import { intraOpOptions } from '../workers/intra-op.js';
import { percentile, round } from './stats.js';

const MODEL = 'ppocr-rec';
const THREADS = 2;
const SESSION_COUNTS = [1, 2, 4] as const;
const ROUNDS = 3;
/** Runs of each session per round, after one warm-up run each. */
const RUNS = 12;

type Way = 'default' | 'hetsched';

export async function intraOp(): Promise<Record<string, unknown>> {
  const path = (await ensureModels([MODEL])).get(MODEL) ?? '';
  const feeds = exampleFeeds(MODEL, { seed: 1 });
  const ortFeeds = () =>
    Object.fromEntries(
      Object.entries(feeds).map(([name, tensor]) => [
        name,
        new ort.Tensor(tensor.dtype, tensor.data, tensor.dims),
      ]),
    );
  const metrics: Record<string, unknown> = {};
  for (const count of SESSION_COUNTS) {
    const runsMs: Record<Way, number[]> = { default: [], hetsched: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const way of ['default', 'hetsched'] as const) {
        const threads = way === 'default' ? { intraOpNumThreads: THREADS } : intraOpOptions(THREADS);
        const sessions = await Promise.all(
          Array.from({ length: count }, () =>
            ort.InferenceSession.create(path, {
              ...threads,
              interOpNumThreads: 1,
              executionMode: 'sequential',
              graphOptimizationLevel: 'all',
              logSeverityLevel: 3,
            }),
          ),
        );
        try {
          for (const session of sessions) await session.run(ortFeeds());
          for (let run = 0; run < RUNS; run++) {
            for (const session of sessions) {
              const input = ortFeeds();
              const started = performance.now();
              await session.run(input);
              runsMs[way].push(performance.now() - started);
            }
          }
        } finally {
          await Promise.all(sessions.map((session) => session.release()));
        }
      }
    }
    const defaultMs = percentile(runsMs.default, 50);
    const hetschedMs = percentile(runsMs.hetsched, 50);
    metrics[`sessions_${count}`] = {
      default_median_run_ms: round(defaultMs),
      hetsched_median_run_ms: round(hetschedMs),
      default_over_hetsched: round(defaultMs / hetschedMs),
    };
    process.stderr.write(`${count} session(s): ${JSON.stringify(metrics[`sessions_${count}`])}\n`);
  }
  return {
    model: MODEL,
    intra_op_threads: THREADS,
    rounds: ROUNDS,
    runs_per_session_per_round: RUNS,
    ...metrics,
  };
}
