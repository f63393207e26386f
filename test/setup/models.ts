import { ensureModels } from '../../src/models/index.js';

/** Vitest global setup: fetch and verify the real test models once, before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureModels(undefined, { log: (line) => process.stderr.write(`[models] ${line}\n`) });
}
