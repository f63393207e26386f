import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old file or the whole new one, never a torn one:
 * write a uniquely named temp file in the same folder (same filesystem, so rename is atomic),
 * fsync it, rename it over the target. Concurrent writers of the same content need no lock: the
 * last rename wins and every rename installs a complete file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const folder = dirname(path);
  // Dot-prefixed and .tmp-suffixed so it can never be mistaken for a finished file.
  const temp = join(folder, `.${basename(path)}.${process.pid}-${randomUUID().slice(0, 8)}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      // Without this a crash after the rename could leave the new name pointing at empty blocks.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Makes the rename itself durable. Best effort: some platforms (Windows) cannot open a folder for fsync. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file is complete either way; only durability across a power cut is at stake.
  }
}
