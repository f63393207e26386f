/**
 * `npm run bench -- SUITE`: runs one benchmark suite. Each suite prints its progress and, as its
 * last line, one JSON object `{"suite": SUITE, "metrics": {...}}`. Benchmarks never run in `npm test`.
 */
import { respawnWithNodeFlags, SERVE_NODE_FLAGS } from '../src/cli/index.js';
import { admission } from './admission.js';
import { costmodel } from './costmodel.js';
import { heap } from './heap.js';
import { highsSolve } from './highs-solve.js';
import { intraOp } from './intra-op.js';
import { overhead } from './overhead.js';
import { partition } from './partition.js';
import { rlPolicy } from './rl-policy.js';
import { search } from './search.js';
import { simSpeed } from './sim-speed.js';

const SUITES: Record<string, () => Promise<Record<string, unknown>>> = {
  overhead,
  admission,
  heap,
  partition,
  costmodel,
  simulator: simSpeed,
  search,
  intraop: intraOp,
  highs: highsSolve,
  rl: rlPolicy,
};

// Suites measure the engine as `hetsched serve` runs it: under its node flags.
const respawned = respawnWithNodeFlags(SERVE_NODE_FLAGS);
if (respawned) process.exit(await respawned);

const name = process.argv[2] ?? '';
const suite = SUITES[name];
if (!suite) {
  process.stderr.write(`usage: npm run bench -- SUITE   (suites: ${Object.keys(SUITES).join(', ')})\n`);
  process.exit(2);
}
const metrics = await suite();
process.stdout.write(`${JSON.stringify({ suite: name, metrics })}\n`);
process.exit(0);
