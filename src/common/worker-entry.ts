import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot, runningFromSource } from './package-root.js';

/**
 * How to start one of hetsched's worker threads (a piscina pool's or a plain Worker): the built
 * JavaScript under dist/ normally; when hetsched itself runs from source (tests, `npm run bench`),
 * a bootstrap that loads the TypeScript worker bundled by esbuild (workers/source-bundle.mjs), so
 * both paths run the same code.
 * `workerData` must be merged into the worker's own workerData.
 */
export function workerEntry(name: string): { filename: string; workerData: Record<string, string> } {
  if (runningFromSource) {
    return {
      filename: pathToFileURL(join(packageRoot, 'workers', 'source-bootstrap.mjs')).href,
      workerData: { sourceEntry: pathToFileURL(join(packageRoot, 'workers', `${name}.ts`)).href },
    };
  }
  return { filename: pathToFileURL(join(packageRoot, 'dist', 'workers', `${name}.js`)).href, workerData: {} };
}
