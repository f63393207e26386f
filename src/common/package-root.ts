import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The hetsched package's root folder (where package.json, proto/ and workers/ live), found the same
 * way whether this file runs from src/ under tsx/vitest or from dist/ after the build.
 */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** True when running the TypeScript sources directly (vitest, tsx) rather than the built dist/. */
export const runningFromSource: boolean = import.meta.url.endsWith('.ts');

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'proto'))) return dir;
    if (dirname(dir) === dir) throw new Error(`hetsched package root not found above ${start}`);
  }
}
