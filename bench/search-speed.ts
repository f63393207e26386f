/**
 * Part C of suite `search`: how long a search takes on synthetic graphs — 5 tenants x 300
 * operators and 5 x 2,000 — with the H100 host's analytic profile, on this machine's cores. The
 * search as Plan runs it (the LP bound, whose rounding can be a start; the cheap baselines as
 * starts; both phases; the simulator's verdict), and again without the LP; not the comparison
 * baselines. tfjs is loaded first and its load time reported apart. Timed twice, each in a process
 * of its own (search-speed-run.mjs): from source (its worker threads loading TypeScript through
 * tsx, as the benchmark itself runs), and as the installed package runs (`_built`: a fresh build
 * under dist/, in plain Node.js).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/common/index.js';
import { round } from './stats.js';

const CASES = [300, 2000].map((operators) => ({
  key: `search_s_5x${operators}`,
  problem: {
    tenants: 5,
    operators,
    seed: 3,
    pinnedFraction: 0.02,
    objective: 'throughput',
    cpuSlots: 2,
    gpuSlots: 1,
    sloMs: operators > 1000 ? 200 : 50,
  },
}));

export async function searchSpeed(): Promise<Record<string, number | string>> {
  const { tfjs_backend, tfjs_load_s, ...source } = timed('src', '');
  node(
    [join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    'inherit',
  );
  const { tfjs_backend: _backend, tfjs_load_s: _load, ...built } = timed('dist', '_built');
  return {
    ...Object.fromEntries(Object.entries({ ...source, ...built }).map(([key, s]) => [key, round(Number(s))])),
    tfjs_backend: String(tfjs_backend),
    tfjs_load_s: round(Number(tfjs_load_s)),
  };
}

/**
 * Runs search-speed-run.mjs on the cases (their keys suffixed), loading hetsched from `src` under
 * tsx or from `dist`; its JSON result.
 */
function timed(root: 'src' | 'dist', suffix: string): Record<string, number | string> {
  const cases = CASES.map(({ key, problem }) => ({ key: `${key}${suffix}`, problem }));
  const loader = root === 'src' ? ['--import', 'tsx'] : [];
  const script = join(packageRoot, 'bench', 'search-speed-run.mjs');
  const out = node([...loader, script, root, JSON.stringify(cases)], 'pipe');
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string>;
}

function node(args: readonly string[], stdout: 'pipe' | 'inherit'): string {
  return execFileSync(process.execPath, args, {
    cwd: packageRoot,
    encoding: 'utf8',
    stdio: ['ignore', stdout, 'inherit'],
  });
}
