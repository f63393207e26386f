/**
 * Part of suite `heap` (heap.ts): one closed-loop round of a workload on a fresh engine, in this
 * process with whatever node flags it was started with. Prints the round as one JSON line.
 */
import { REQUEST_SLOTS_PER_THREAD } from '../src/cost/index.js';
import { ensureModels } from '../src/models/index.js';
import { closedLoopRound, WORKLOADS } from './admission.js';

const workload = WORKLOADS[process.argv[2] ?? ''];
if (!workload) throw new Error(`no workload '${process.argv[2]}'`);
const paths = await ensureModels(workload.models.map((model) => model.id));
const round = await closedLoopRound(workload, paths, REQUEST_SLOTS_PER_THREAD);
process.stdout.write(`${JSON.stringify(round)}\n`);
process.exit(0);
