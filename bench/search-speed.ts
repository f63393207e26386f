/**
 * Part C of suite `search`: how long a search takes on synthetic graphs — 5 tenants x 300
 * operators and 5 x 2,000 — with the H100 host's analytic profile, on this machine's cores. The
 * search as Plan runs it (the LP bound, whose rounding can be a start; the cheap baselines as
 * starts; both phases; the simulator's verdict), and again without the LP; not the comparison
 * baselines. tfjs is loaded first and its load time reported apart. Timed from source (under tsx,
 * as the benchmark itself runs; its worker threads load esbuild bundles of the TypeScript,
 * workers/source-bundle.mjs) and as the installed package runs (`_built`: a fresh build under
 * dist/, in plain Node.js), each SPEED_RUNS times, alternating, so that the shared machine's noise
 * hits both alike: the median is reported, and every run under `speed_runs`. Every search runs in
 * a process of its own (search-speed-run.mjs), a cold start, the searches without the LP too: with
 * and without, the difference is the LP's cost. Each process runs under the node flags Plan runs
 * under (SERVE_NODE_FLAGS: `hetsched serve`, whose search worker answers the Plan RPC, and
 * `hetsched plan` restart under them); the built 5 x 300 search with the LP runs once more per
 * round in plain node (`_plain_node`), the flags' share. And the 5 x 300 search with the LP as a
 * re-plan (`_replan`): in a process that has run a search of another problem of that size first,
 * as the server's search worker (SearchPool, kept between searches) runs every search after its
 * first; the cold figures are its first.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SERVE_NODE_FLAGS } from '../src/cli/index.js';
import { packageRoot } from '../src/common/index.js';
import { percentile, round } from './stats.js';

/** Cold processes per way of running; the median is reported. */
const SPEED_RUNS = 3;

/** The synthetic problem timed here (syntheticProblem's options): 5 tenants of `operators` each. */
export function speedProblem(operators: number) {
  return {
    tenants: 5,
    operators,
    seed: 3,
    pinnedFraction: 0.02,
    objective: 'throughput',
    cpuSlots: 2,
    gpuSlots: 1,
    sloMs: operators > 1000 ? 200 : 50,
  } as const;
}

const CASES = [300, 2000].map((operators) => ({
  key: `search_s_5x${operators}`,
  problem: speedProblem(operators),
}));

export async function searchSpeed(): Promise<Record<string, unknown>> {
  node(
    [join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    'inherit',
  );
  const runs = new Map<string, number[]>();
  let tfjsBackend = '';
  for (let run = 0; run < SPEED_RUNS; run++) {
    for (const [root, suffix] of [
      ['src', ''],
      ['dist', '_built'],
    ] as const) {
      const { tfjs_backend, tfjs_load_s, ...seconds } = timed(root, suffix);
      tfjsBackend = String(tfjs_backend);
      for (const [key, value] of Object.entries({ ...seconds, [`tfjs_load_s${suffix}`]: tfjs_load_s }))
        runs.set(key, [...(runs.get(key) ?? []), round(Number(value))]);
    }
  }
  return {
    ...Object.fromEntries([...runs].map(([key, values]) => [key, round(percentile(values, 50))])),
    tfjs_backend: tfjsBackend,
    speed_runs: Object.fromEntries(runs),
  };
}

/**
 * Runs search-speed-run.mjs once per case, with the LP and without (keys suffixed), each in a
 * process of its own under SERVE_NODE_FLAGS, loading hetsched from `src` under tsx or from `dist`;
 * then the first case with the LP as a re-plan (and from `dist`, once more in plain node); their
 * JSON results merged (tfjs's load time the last process's).
 */
function timed(root: 'src' | 'dist', suffix: string): Record<string, number | string> {
  const loader = root === 'src' ? ['--import', 'tsx'] : [];
  const script = join(packageRoot, 'bench', 'search-speed-run.mjs');
  const result: Record<string, number | string> = {};
  const run = (flags: readonly string[], key: string, problem: object, lp: boolean, replan = false): void => {
    const out = node(
      [...flags, ...loader, script, root, JSON.stringify({ key, problem, lp, replan })],
      'pipe',
    );
    Object.assign(result, JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
  };
  for (const { key, problem } of CASES) {
    for (const lp of [true, false])
      run(SERVE_NODE_FLAGS, `${key}${suffix}${lp ? '' : '_without_lp'}`, problem, lp);
  }
  const first = CASES[0];
  if (first) run(SERVE_NODE_FLAGS, `${first.key}${suffix}_replan`, first.problem, true, true);
  if (root === 'dist' && first) run([], `${first.key}${suffix}_plain_node`, first.problem, true);
  return result;
}

function node(args: readonly string[], stdout: 'pipe' | 'inherit'): string {
  return execFileSync(process.execPath, args, {
    cwd: packageRoot,
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'inherit'],
  });
}
