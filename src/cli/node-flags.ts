import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * The node flags `hetsched serve` runs under.
 * - `--initial-old-space-size=256`: the main thread receives every request's tensors from the
 *   workers as fresh ArrayBuffers, and with V8's small starting heap it collected them in full
 *   often; while a collection runs, no finished worker gets its next task. Starting the old space
 *   at 256 MiB cut the full collections from 2.7 to 0.6 per 100 requests of three OCR models (two
 *   clients each, on this 2-core machine), the main thread's busy share from 0.19 to 0.14, and
 *   served 1.03-1.07x the requests over three runs of bench `heap`; the small audio models, whose
 *   tensors are KiB, gained 0.99-1.05x, within its noise. The flag only sizes the start: the heap
 *   still grows and shrinks as before, and pages are taken as they are used.
 * - `--v8-pool-size`: V8's platform threads (v8PoolSize).
 */
export const SERVE_NODE_FLAGS: readonly string[] = [
  '--initial-old-space-size=256',
  `--v8-pool-size=${v8PoolSize(availableParallelism())}`,
];

/**
 * V8's platform threads, where its optimising compiler and its garbage collector's helpers run:
 * one per core the main thread leaves, at least one, at most node's own default of 4 (so only a
 * machine of up to 4 cores runs with fewer). On 2 cores node's 4 take turns with the threads that
 * do the work: the search's, HiGHS's worker, the inference workers. On this 2-core machine, 1
 * against node's 4, in throwaway scripts of alternating cold processes: the 5 x 300 search took
 * 0.93 and 0.95 of the time (medians of 8 and 16 pairs; its main thread took more CPU, V8's threads
 * 0.76 and 0.78 of theirs), and bench `heap`'s rounds served the OCR trio 1.07x and the audio trio 1.11x
 * (medians of 5 pairs). With both flags against none, `npm run bench -- heap` served the OCR trio
 * 0.97x (p50 latency 64.7 against 69.2 ms; its rounds vary by a fifth) and the audio trio 1.14x,
 * and `npm run bench -- search` timed the built 5 x 300 search at 1.75 s against 2.10 s in plain
 * node (`_plain_node`).
 */
export function v8PoolSize(cores: number): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** Set to 1 to run `serve` in this process whatever its flags (the caller chose node's own). */
export const NO_RESPAWN_ENV = 'HETSCHED_NO_RESPAWN';

/** The flags of `wanted` this process was not started with (V8 flags cannot be set once it runs). */
export function missingNodeFlags(execArgv: readonly string[], wanted: readonly string[]): string[] {
  const name = (flag: string) => flag.split('=')[0]?.replaceAll('_', '-');
  const present = new Set(execArgv.map(name));
  return wanted.filter((flag) => !present.has(name(flag)));
}

/**
 * Runs this command again in a child node with `flags` ahead of this process's own, when they are
 * missing; resolves to the exit code to leave with. Undefined when nothing is missing (or
 * HETSCHED_NO_RESPAWN=1): carry on here. The child shares the terminal (stdio, and its process
 * group: Ctrl-C reaches it directly); SIGTERM and SIGHUP sent to this process are passed on, and
 * this process waits for the child however it ends.
 */
export function respawnWithNodeFlags(flags: readonly string[]): Promise<number> | undefined {
  if (process.env[NO_RESPAWN_ENV] === '1') return undefined;
  const missing = missingNodeFlags(process.execArgv, flags);
  if (missing.length === 0) return undefined;
  const child = spawn(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    // Its own flags are there now; the marker stops a loop should node not report them.
    env: { ...process.env, [NO_RESPAWN_ENV]: '1' },
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGHUP'));
  // The terminal's Ctrl-C reaches the child itself (same process group): passing it on as well
  // would be its second signal, which exits without draining.
  process.on('SIGINT', () => undefined);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`hetsched: could not restart node with ${missing.join(' ')}: ${error.message}\n`);
      resolve(1);
    });
    // Killed by a signal it did not handle: a failure.
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
