/**
 * Part of suite `search` (see search-speed.ts): the same timed searches as the installed package
 * runs them — the built JavaScript under dist/, its worker threads loaded by plain Node.js, no
 * TypeScript loader in the way. Run by search-speed.ts after a build, with the problems to time as
 * its one argument (JSON); prints one JSON object of seconds per case.
 */
import { performance } from 'node:perf_hooks';

const { runOneShot } = await import('../dist/src/common/index.js');
const { loadTf, planSearch, syntheticProblem, toSearchTask } = await import('../dist/src/search/index.js');

const cases = JSON.parse(process.argv[2] ?? '[]');
await loadTf();
const seconds = {};
for (const { key, problem: options } of cases) {
  const problem = syntheticProblem(options);
  for (const withLp of [true, false]) {
    const started = performance.now();
    await planSearch(problem, {
      seed: 1,
      compare: false,
      lpBound: withLp,
      lpSolver: () =>
        runOneShot('lp-worker', toSearchTask(problem, { seed: 1 }), {
          timeoutMs: 10 * 60_000,
          label: 'LP bound',
        }),
    });
    seconds[`${key}${withLp ? '' : '_without_lp'}`] = (performance.now() - started) / 1000;
  }
}
process.stdout.write(`${JSON.stringify(seconds)}\n`);
process.exit(0);
