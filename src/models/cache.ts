import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { CatalogModel } from './catalog.js';

/** Where {@link modelCacheDir} looks; both default to this process's. */
export interface CacheDirOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
}

/** Characters of the sha256 kept in a cached file's name: enough to tell versions apart at a glance. */
const NAME_HASH_CHARS = 12;

/**
 * The folder of fetched test models, outside git so that clones stay small:
 * `HETSCHED_MODEL_CACHE` if set (relative to the working directory if relative), else
 * `$XDG_CACHE_HOME/hetsched/models`, else `~/.cache/hetsched/models`. Always absolute.
 */
export function modelCacheDir(options: CacheDirOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = env.HETSCHED_MODEL_CACHE;
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative path in these variables is invalid and must be ignored.
  if (xdg && isAbsolute(xdg)) return join(xdg, 'hetsched', 'models');
  return join(options.homeDir ?? homedir(), '.cache', 'hetsched', 'models');
}

/**
 * `<id>-<first 12 of sha256>.onnx`: the hash in the name lets a catalog update that changes a model
 * sit beside the old file instead of being mistaken for it.
 */
export function cachedFileName(model: Pick<CatalogModel, 'id' | 'sha256'>): string {
  return `${model.id}-${model.sha256.slice(0, NAME_HASH_CHARS)}.onnx`;
}
