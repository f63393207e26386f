// How a worker thread runs hetsched's TypeScript when hetsched itself runs from source (tests,
// benchmarks): bundled by esbuild, the transpiler tsx itself uses, into one JavaScript module that
// plain Node.js loads. Registering tsx's loader inside the worker instead starts a loader thread of
// its own for every worker, about 0.55 s of CPU more per worker than the built worker takes (a
// throwaway measurement on a 2-core machine, December 2026: the process's CPU while HiGHS's
// one-shot worker solves a one-row LP, 0.88 to 1.02 s under tsx's loader, 0.26 to 0.36 s built,
// 0.50 to 0.63 s bundled afresh each time, 0.43 to 0.52 s from a cached bundle; `npm test` went
// from 566 s to 454 s). A bundle is kept under the package's node_modules/.cache and reused while
// none of the files it was built from has changed.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bundles no longer named by a manifest are removed once this old (another thread may still load one). */
const STALE_BUNDLE_MS = 24 * 60 * 60 * 1000;

/**
 * The file URL of a JavaScript bundle of the TypeScript worker at `entry` (workers/<name>.ts under
 * the package root): the cached one where its manifest's inputs (the sources bundled, and this
 * file) are unchanged (size and modification time each), else a new one. Packages stay imports
 * (they resolve from the package's node_modules, as the cache lies inside it). `import.meta.url`
 * reads as src/common/package-root.ts's URL in every bundled file: the package's root and
 * `runningFromSource` are then found as from source, and createRequire resolves from inside the
 * package, as each of its uses expects. Concurrent callers may bundle at once: files are written
 * whole and renamed into place. A source modified while it was bundled leaves no manifest, so the
 * next caller bundles again.
 * @param {string} entry absolute path of the worker's TypeScript entry
 * @param {string} [cacheDir] where bundles and manifests are kept (default: under the package's
 *   node_modules/.cache)
 * @returns {{ url: string, built: boolean }}
 */
export function bundledWorker(entry, cacheDir) {
  const root = dirname(dirname(entry));
  const cache = cacheDir ?? join(root, 'node_modules', '.cache', 'hetsched', 'workers');
  const name = basename(entry).replace(/\.ts$/, '');
  const manifestPath = join(cache, `${name}.json`);
  const cached = readManifest(manifestPath);
  if (cached && cached.entry === entry && unchanged(cached.inputs))
    return { url: pathToFileURL(join(cache, cached.bundle)).href, built: false };

  // Loaded only to bundle: loading esbuild costs about as much as reading the bundle.
  const { buildSync } = createRequire(import.meta.url)('esbuild');
  const startedMs = Date.now();
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    // Not written there by esbuild; where the bundle will lie, so that the map's paths resolve.
    outdir: cache,
    metafile: true,
    write: false,
    logLevel: 'silent',
    define: {
      'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'src', 'common', 'package-root.ts')).href),
    },
  });
  const text = result.outputFiles[0]?.text ?? '';
  const bundle = `${name}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`;
  // This file too: how it bundles is part of the bundle.
  const sources = [
    ...Object.keys(result.metafile.inputs).map((input) => (isAbsolute(input) ? input : join(root, input))),
    fileURLToPath(import.meta.url),
  ];
  const inputs = sources.map((path) => {
    const stats = statSync(path);
    return [path, stats.size, stats.mtimeMs];
  });
  mkdirSync(cache, { recursive: true });
  writeWhole(join(cache, bundle), text);
  // A source written during the build may be in the bundle as it was before: not remembered.
  if (inputs.every(([, , mtimeMs]) => mtimeMs < startedMs))
    writeWhole(manifestPath, JSON.stringify({ entry, bundle, inputs }));
  removeStale(cache, name, bundle);
  return { url: pathToFileURL(join(cache, bundle)).href, built: true };
}

/** The manifest at `path`, or undefined where there is none or it cannot be read. */
function readManifest(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether every input still has the size and modification time it was bundled at. */
function unchanged(inputs) {
  if (!Array.isArray(inputs)) return false;
  return inputs.every(([path, size, mtimeMs]) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats !== undefined && stats.size === size && stats.mtimeMs === mtimeMs;
  });
}

/** Writes a file under a name of its own, then renames it into place: readers never see part of it. */
function writeWhole(path, text) {
  const partial = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}

/** Removes this worker's other bundles once they are a day old. */
function removeStale(cacheDir, name, keep) {
  const now = Date.now();
  const ours = new RegExp(`^${name.replace(/[^\w-]/g, '')}-[0-9a-f]{16}\\.mjs$`);
  for (const file of readdirSync(cacheDir)) {
    if (file === keep || !ours.test(file)) continue;
    const path = join(cacheDir, file);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats && now - stats.mtimeMs > STALE_BUNDLE_MS) rmSync(path, { force: true });
  }
}
