/**
 * Suite `heap`: what `hetsched serve`'s node flags (SERVE_NODE_FLAGS: the V8 old space started
 * larger, so that the main thread collects the workers' returned tensors less often) do to a real
 * engine on this machine's CPU. The `admission` suite's two closed-loop workloads, each round in a
 * node process of its own, without the flags and with them, alternating so that machine noise
 * hits both alike. Reported per workload: the median round's throughput and median latency for
 * each, and their ratio; and the main thread's full garbage collections and busy share.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SERVE_NODE_FLAGS } from '../src/cli/index.js';
import { packageRoot } from '../src/common/index.js';
import { ROUND_MS, type Round, WORKLOADS } from './admission.js';
import { percentile, round } from './stats.js';

const ROUNDS = 4;

export async function heap(): Promise<Record<string, unknown>> {
  const metrics: Record<string, unknown> = { flags: SERVE_NODE_FLAGS.join(' ') };
  for (const name of Object.keys(WORKLOADS)) {
    const rounds = { without: [] as Round[], with: [] as Round[] };
    for (let index = 0; index < ROUNDS; index++) {
      for (const setting of ['without', 'with'] as const) {
        const result = roundIn(setting === 'with' ? SERVE_NODE_FLAGS : [], name);
        rounds[setting].push(result);
        process.stderr.write(
          `${name} round ${index} ${setting} flags: ${result.throughputPerS.toFixed(1)}/s, p50 ${result.latencyP50Ms.toFixed(2)} ms\n`,
        );
      }
    }
    const median = (list: Round[], pick: (r: Round) => number) => percentile(list.map(pick), 50);
    const without = median(rounds.without, (r) => r.throughputPerS);
    const withFlags = median(rounds.with, (r) => r.throughputPerS);
    metrics[name] = {
      throughput_per_s_without: round(without),
      throughput_per_s_with: round(withFlags),
      throughput_ratio_with_vs_without: round(withFlags / without),
      latency_p50_ms_without: round(median(rounds.without, (r) => r.latencyP50Ms)),
      latency_p50_ms_with: round(median(rounds.with, (r) => r.latencyP50Ms)),
      // Why: the main thread's full collections per 100 requests, and its busy share.
      full_gcs_per_100_requests_without: round(median(rounds.without, fullGcsPer100)),
      full_gcs_per_100_requests_with: round(median(rounds.with, fullGcsPer100)),
      main_thread_busy_without: round(median(rounds.without, (r) => r.mainThread.busy)),
      main_thread_busy_with: round(median(rounds.with, (r) => r.mainThread.busy)),
    };
  }
  return metrics;
}

function fullGcsPer100(round: Round): number {
  const requests = (round.throughputPerS * ROUND_MS) / 1000;
  return (100 * round.mainThread.fullGcCount) / Math.max(1, requests);
}

/** One round in a fresh node process started with `flags` (from source, under tsx). */
function roundIn(flags: readonly string[], workload: string): Round {
  const out = execFileSync(
    process.execPath,
    [...flags, '--import', 'tsx', join(packageRoot, 'bench', 'heap-round.ts'), workload],
    { cwd: packageRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Round;
}
