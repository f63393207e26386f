/**
 * Part of suite `search` (see search-speed.ts): times one search in a process of its own, so that
 * every timing is a cold start. Arguments: where to load hetsched from — `src` (the TypeScript, run
 * under tsx, as `npm run bench` itself runs) or `dist` (the built JavaScript in plain Node.js, as
 * the installed package runs) — and the case (JSON: key, syntheticProblem options, and whether to
 * compute the LP bound). Prints one JSON object: the case's seconds under its key, and how tfjs
 * loaded.
 */
import { performance } from 'node:perf_hooks';

const from = process.argv[2] === 'dist' ? 'dist' : 'src';
const root = from === 'dist' ? '../dist/src' : '../src';
const { loadTf, planSearch, syntheticProblem } = await import(`${root}/search/index.js`);
const { offThreadLpSolver } = await import(`${root}/solver/index.js`);

const { key, problem: options, lp } = JSON.parse(process.argv[3] ?? '{}');
const loadStarted = performance.now();
const tf = await loadTf();
const result = { tfjs_backend: tf.backend, tfjs_load_s: (performance.now() - loadStarted) / 1000 };
const problem = syntheticProblem(options);
const started = performance.now();
// As the search worker runs it: the LP in a thread of its own, overlapping the search.
const report = await planSearch(problem, {
  seed: 1,
  compare: false,
  lpBound: lp,
  lpSolver: () => offThreadLpSolver({ timeoutMs: 10 * 60_000, label: 'LP bound' }),
});
result[key] = (performance.now() - started) / 1000;
const { score, evaluations, startedFrom } = report.search;
const note = report.lpBoundNote ? `; ${report.lpBoundNote}` : '';
process.stderr.write(
  `${key} (${from}): ${result[key].toFixed(2)} s, score ${score.toFixed(1)} (${evaluations} evaluations, started from ${startedFrom}${note})\n`,
);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
