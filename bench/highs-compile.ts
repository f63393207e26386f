/**
 * Suite `highs`: why HiGHS's one-shot worker compiles HiGHS without V8's optimising tier for an LP
 * under BASELINE_MAX_LP_CHARS of text, and tiered past it (src/solver/off-thread.ts). The LP bound
 * of the search bench's synthetic problems (5 tenants of 300 to 2,000 operators), each solved cold
 * in a process of its own (highs-compile-run.ts) both ways, alternating, ROUNDS times: median wall
 * and CPU seconds per way, and what the LP's length makes the worker choose.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/common/index.js';
import { boundLpText, syntheticProblem } from '../src/search/index.js';
import { compileFor, type HighsCompile } from '../src/solver/index.js';
import { speedProblem } from './search-speed.js';
import { percentile, round } from './stats.js';

const OPERATORS = [300, 450, 600, 1000, 2000] as const;
const ROUNDS = 3;
const WAYS: readonly HighsCompile[] = ['tiered', 'baseline'];

export async function highsCompile(): Promise<Record<string, unknown>> {
  const scratch = mkdtempSync(join(tmpdir(), 'hetsched-highs-'));
  const metrics: Record<string, unknown> = {};
  try {
    for (const operators of OPERATORS) {
      const problem = syntheticProblem(speedProblem(operators));
      const lpText = boundLpText(problem);
      const path = join(scratch, `5x${operators}.lp`);
      writeFileSync(path, lpText);
      const runs = new Map<HighsCompile, { wall: number[]; cpu: number[] }>(
        WAYS.map((way) => [way, { wall: [], cpu: [] }]),
      );
      for (let r = 0; r < ROUNDS; r++) {
        for (const way of WAYS) {
          const result = solveCold(path, way);
          runs.get(way)?.wall.push(result.wall_s);
          runs.get(way)?.cpu.push(result.cpu_s);
          process.stderr.write(
            `5x${operators} ${way}: ${result.wall_s.toFixed(2)} s wall, ${result.cpu_s.toFixed(2)} s CPU (${result.status})\n`,
          );
        }
      }
      const key = `5x${operators}`;
      metrics[`${key}_lp_mb`] = round(lpText.length / 1e6);
      metrics[`${key}_worker_compiles`] = compileFor(lpText);
      for (const [way, { wall, cpu }] of runs) {
        metrics[`${key}_${way}_wall_s`] = round(percentile(wall, 50));
        metrics[`${key}_${way}_cpu_s`] = round(percentile(cpu, 50));
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return metrics;
}

function solveCold(path: string, way: HighsCompile): { wall_s: number; cpu_s: number; status: string } {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(packageRoot, 'bench', 'highs-compile-run.ts'), path, way],
    { cwd: packageRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}
