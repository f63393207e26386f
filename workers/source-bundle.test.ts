import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledWorker } from './source-bundle.mjs';

/** A package laid out as hetsched is: workers/<name>.ts importing from src/. */
function fakePackage(): { root: string; entry: string; lib: string } {
  const root = mkdtempSync(join(tmpdir(), 'hetsched-bundle-'));
  mkdirSync(join(root, 'workers'));
  mkdirSync(join(root, 'src'));
  const lib = join(root, 'src', 'lib.ts');
  writeFileSync(
    lib,
    "export const answer = (): string => 'first';\nexport const where: string = import.meta.url;\n",
  );
  const entry = join(root, 'workers', 'echo-worker.ts');
  writeFileSync(
    entry,
    [
      "import { answer, where } from '../src/lib.js';",
      'export const run = (): { answer: string; where: string } => ({ answer: answer(), where });',
      '',
    ].join('\n'),
  );
  // Written a minute ago: a source modified while it is bundled is not remembered.
  const minuteAgo = new Date(Date.now() - 60_000);
  for (const path of [lib, entry]) utimesSync(path, minuteAgo, minuteAgo);
  return { root, entry, lib };
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('bundledWorker', () => {
  it('bundles a TypeScript worker once, reuses it unchanged, and bundles again when a source changes', async () => {
    const { root, entry, lib } = fakePackage();
    roots.push(root);
    const cache = join(root, 'cache');
    const first = bundledWorker(entry, cache);
    expect(first.built).toBe(true);
    const worker = (await import(first.url)) as { run(): { answer: string; where: string } };
    expect(worker.run().answer).toBe('first');
    // import.meta.url reads as the package-root module's in every bundled file, wherever the bundle lies.
    expect(worker.run().where).toBe(pathToFileURL(join(root, 'src', 'common', 'package-root.ts')).href);

    expect(bundledWorker(entry, cache)).toEqual({ url: first.url, built: false });

    writeFileSync(lib, "export const answer = (): string => 'second';\nexport const where = '';\n");
    const halfAMinuteAgo = new Date(Date.now() - 30_000);
    utimesSync(lib, halfAMinuteAgo, halfAMinuteAgo);
    const second = bundledWorker(entry, cache);
    expect(second.built).toBe(true);
    expect(second.url).not.toBe(first.url);
    const changed = (await import(second.url)) as { run(): { answer: string } };
    expect(changed.run().answer).toBe('second');
    expect(bundledWorker(entry, cache)).toEqual({ url: second.url, built: false });
  });

  it('does not remember a bundle whose source was modified while it was bundled', () => {
    const { root, entry, lib } = fakePackage();
    roots.push(root);
    const cache = join(root, 'cache');
    const inAMinute = new Date(Date.now() + 60_000);
    utimesSync(lib, inAMinute, inAMinute);
    expect(bundledWorker(entry, cache).built).toBe(true);
    expect(bundledWorker(entry, cache).built).toBe(true);
  });

  it('maps a stack trace back to the TypeScript sources, with source maps on', async () => {
    const { root, entry, lib } = fakePackage();
    roots.push(root);
    writeFileSync(
      lib,
      "export const answer = (): string => {\n  throw new Error('no answer');\n};\nexport const where = '';\n",
    );
    const worker = (await import(bundledWorker(entry, join(root, 'cache')).url)) as { run(): unknown };
    const sourceMaps = process.sourceMapsEnabled ?? false;
    process.setSourceMapsEnabled(true);
    try {
      expect(() => worker.run()).toThrow(
        expect.objectContaining({ stack: expect.stringContaining(`${lib}:2:`) }),
      );
    } finally {
      process.setSourceMapsEnabled(sourceMaps);
    }
  });

  it('fails with the TypeScript error where a source does not parse', () => {
    const { root, entry, lib } = fakePackage();
    roots.push(root);
    writeFileSync(lib, 'export const answer = (: string => ;\n');
    expect(() => bundledWorker(entry, join(root, 'cache'))).toThrow(/lib\.ts/);
  });
});
