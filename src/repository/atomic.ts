import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Prefixes of the repository's scratch folders; never valid model names (those start alphanumeric). */
export const TEMP_PREFIX = '.tmp-';
export const TRASH_PREFIX = '.trash-';

/** Writes a file and flushes it to disk before returning. */
export async function writeDurable(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (a rename is durable only once its directory is synced). */
export async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `target` (a folder that must not exist) with the given files, all or nothing: the files
 * are written and synced in a scratch folder beside the repository root's entries, then one
 * rename publishes them. A crash leaves either no folder or the complete one, plus at most a
 * scratch folder that the next start removes.
 */
export async function publishDir(
  root: string,
  target: string,
  files: ReadonlyMap<string, Uint8Array | string>,
): Promise<void> {
  const scratch = join(root, `${TEMP_PREFIX}${randomUUID()}`);
  await mkdir(scratch);
  try {
    for (const [name, data] of files) await writeDurable(join(scratch, name), data);
    await syncDir(scratch);
    const parent = join(target, '..');
    await mkdir(parent, { recursive: true });
    await syncDir(root);
    await rename(scratch, target);
    await syncDir(parent);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}

/** Removes a folder atomically (one rename out of sight), then deletes its contents. */
export async function retireDir(root: string, target: string): Promise<void> {
  const trash = join(root, `${TRASH_PREFIX}${randomUUID()}`);
  await rename(target, trash);
  await syncDir(join(target, '..'));
  await rm(trash, { recursive: true, force: true });
}

/** Replaces (or creates) one file atomically: written and synced beside it, then renamed over it. */
export async function replaceFile(path: string, data: Uint8Array | string): Promise<void> {
  const scratch = `${path}${TEMP_PREFIX}${randomUUID()}`;
  try {
    await writeDurable(scratch, data);
    await rename(scratch, path);
    await syncDir(join(path, '..'));
  } catch (error) {
    await rm(scratch, { force: true });
    throw error;
  }
}
