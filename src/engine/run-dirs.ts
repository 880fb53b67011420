/**
 * Where a run writes its outputs: PROJECT/runs/SITE-DATE-xxxxxx (the user's,
 * never deleted), or, without a project, the same under the OS temp folder,
 * where only the most recent runs are kept so scratch runs cannot fill the
 * disk.
 */
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary runs kept (the newest); older ones are deleted when a new one starts. */
export const TEMP_RUNS_KEPT = 8;

export async function newRunDir(projectDir: string | undefined, site: string, tempParent = join(tmpdir(), 'terra-twin-runs')): Promise<string> {
  const parent = projectDir ? join(projectDir, 'runs') : tempParent;
  await mkdir(parent, { recursive: true });
  if (!projectDir) await pruneRuns(parent, TEMP_RUNS_KEPT - 1);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return mkdtemp(join(parent, `${site}-${stamp}-`));
}

/** Deletes all but the `keep` most recently modified run folders in `parent`. */
export async function pruneRuns(parent: string, keep: number): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true });
  const runs = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => {
        const path = join(parent, e.name);
        return { path, mtime: (await stat(path)).mtimeMs };
      }),
  );
  runs.sort((a, b) => b.mtime - a.mtime);
  const old = runs.slice(Math.max(0, keep)).map((r) => r.path);
  // a folder another engine is still writing may vanish under us: force, and never fail the new run for it
  await Promise.all(old.map((path) => rm(path, { recursive: true, force: true }).catch(() => undefined)));
  return old;
}
