/**
 * Part of suite `search` (see search-speed.ts): times one search in a process of its own, so that
 * every timing starts from a fresh process (a cold start, or a re-plan after one search). Arguments: where to load hetsched from — `src` (the TypeScript, run
 * under tsx, as `npm run bench` itself runs) or `dist` (the built JavaScript in plain Node.js, as
 * the installed package runs) — and the case (JSON: key, syntheticProblem options, whether to
 * compute the LP bound, and whether it is a re-plan: `replan`, timed after a first search of
 * another problem of the same size, as the server's search worker, kept between searches
 * (SearchPool), runs every search after its first). Prints one JSON object: the case's seconds
 * under its key, and how tfjs loaded.
 */
import { performance } from 'node:perf_hooks';

const from = process.argv[2] === 'dist' ? 'dist' : 'src';
const root = from === 'dist' ? '../dist/src' : '../src';
const { loadTf, planSearch, syntheticProblem } = await import(`${root}/search/index.js`);
const { offThreadLpSolver } = await import(`${root}/solver/index.js`);

const { key, problem: options, lp, replan } = JSON.parse(process.argv[3] ?? '{}');
const loadStarted = performance.now();
const tf = await loadTf();
const result = { tfjs_backend: tf.backend, tfjs_load_s: (performance.now() - loadStarted) / 1000 };
// As the search worker runs it: the LP in a thread of its own, overlapping the search.
const search = (problem) =>
  planSearch(problem, {
    seed: 1,
    compare: false,
    lpBound: lp,
    lpSolver: () => offThreadLpSolver({ timeoutMs: 10 * 60_000, label: 'LP bound' }),
  });
if (replan) await search(syntheticProblem({ ...options, seed: options.seed + 1 }));
const problem = syntheticProblem(options);
const started = performance.now();
const report = await search(problem);
result[key] = (performance.now() - started) / 1000;
const { score, evaluations, startedFrom } = report.search;
const note = report.lpBoundNote ? `; ${report.lpBoundNote}` : '';
process.stderr.write(
  `${key} (${from}): ${result[key].toFixed(2)} s, score ${score.toFixed(1)} (${evaluations} evaluations, started from ${startedFrom}${note})\n`,
);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
