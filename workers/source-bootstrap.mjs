// Worker entry used only when hetsched runs from its TypeScript sources (tests, benchmarks).
// Node 20 does not apply `--import tsx` to worker threads, so this registers tsx's loader inside
// the worker, then loads the TypeScript worker named in workerData and re-exports its handlers.
// Built hetsched (dist/) never uses this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const worker = await import(workerData.sourceEntry);

/** Every handler name a hetsched worker may export; absent ones stay undefined. */
export const { run, inspect, load, analyze, partition, profile, stats } = worker;
