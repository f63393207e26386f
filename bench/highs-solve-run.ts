/**
 * Part of suite `highs` (see highs-solve.ts): one cold solve of an LP file, in a process of its
 * own, with HiGHS compiled as asked ('tiered' or 'baseline') and solving by the algorithm asked
 * ('simplex', 'primal-simplex' or 'ipm'). Prints one JSON object: the wall time and the whole
 * process's CPU time (every thread: V8's background compilation included) from loading HiGHS to
 * the end of the solve, HiGHS's status and the objective.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type HighsCompile, type LpSolveOptions, solveLpText } from '../src/solver/index.js';

const [path = '', compile = 'tiered', algorithm = 'ipm'] = process.argv.slice(2);
const lpText = readFileSync(path, 'utf8');
const cpuBefore = process.cpuUsage();
const started = performance.now();
const { status, objective } = await solveLpText(lpText, {
  solver: algorithm as LpSolveOptions['solver'],
  timeLimitS: 600,
  compile: compile as HighsCompile,
});
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({ wall_s: (performance.now() - started) / 1000, cpu_s: (cpu.user + cpu.system) / 1e6, status, objective })}\n`,
);
