/**
 * Atomic file replacement: write a temporary file beside the target, fsync
 * it, rename it over the target, then fsync the folder (where the platform
 * allows). A crash at any point leaves either the old file or the new one,
 * never a torn one. Same rule as project saves (DESIGN.md, "Data and files").
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file operations used, injectable so a test can fail one on purpose. */
export interface AtomicWriteOps {
  open: typeof fs.open;
  rename: typeof fs.rename;
  rm: typeof fs.rm;
  mkdir: typeof fs.mkdir;
}

const nodeOps: AtomicWriteOps = { open: fs.open, rename: fs.rename, rm: fs.rm, mkdir: fs.mkdir };

export async function writeFileAtomic(file: string, data: string | Uint8Array, ops: AtomicWriteOps = nodeOps): Promise<void> {
  const dir = dirname(file);
  await ops.mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await ops.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await ops.rename(temp, file);
  } catch (err) {
    await ops.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(dir, ops);
}

/** Makes the rename durable. Windows cannot open a folder for fsync; skip there. */
async function syncFolder(dir: string, ops: AtomicWriteOps): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await ops.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: some file systems refuse fsync on folders.
  }
}
