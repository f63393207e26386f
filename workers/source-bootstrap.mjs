// Worker entry used only when hetsched runs from its TypeScript sources (tests, benchmarks). Node
// 20 does not apply `--import tsx` to worker threads: this loads the TypeScript worker named in
// workerData as a cached esbuild bundle (source-bundle.mjs says why), and re-exports its handlers.
// Built hetsched (dist/) never uses this file.
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { bundledWorker } from './source-bundle.mjs';

// Stack traces name the TypeScript sources, as under tsx (the bundles carry inline source maps).
process.setSourceMapsEnabled(true);
const worker = await import(bundledWorker(fileURLToPath(workerData.sourceEntry)).url);

/** Every handler name a hetsched worker may export; absent ones stay undefined. */
export const { run, inspect, load, analyze, partition, profile, stats, search } = worker;
