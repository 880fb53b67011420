import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/core/atomic-write';
import { RecentFiles, type RecentEntry } from '../../../electron/main/recent-files';

let dir: string;
let file: string;
let warnings: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'terra-recent-'));
  file = join(dir, 'recent-files.json');
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const make = (max?: number) =>
  new RecentFiles(file, { max, caseInsensitive: false, warn: (m) => warnings.push(m) });
const terrain = (name: string): RecentEntry => ({ kind: 'terrain', path: join(dir, name) });

describe('RecentFiles', () => {
  it('starts empty without a file, and without warning', async () => {
    const recent = make();
    await recent.load();
    expect(recent.list()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('saves newest first and reloads the same list', async () => {
    const recent = make();
    await recent.load();
    await recent.add(terrain('a.tif'));
    await recent.add({ kind: 'project', path: join(dir, 'proj') });
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toEqual({
      version: 1,
      entries: [
        { kind: 'project', path: join(dir, 'proj') },
        { kind: 'terrain', path: join(dir, 'a.tif') },
      ],
    });
    const again = make();
    await again.load();
    expect(again.list()).toEqual(saved.entries);
  });

  it('moves a re-added path to the front instead of duplicating it', async () => {
    const recent = make();
    await recent.add(terrain('a.tif'));
    await recent.add(terrain('b.tif'));
    await recent.add(terrain('a.tif'));
    await recent.add({ kind: 'terrain', path: join(dir, 'sub', '..', 'b.tif') }); // same file, other spelling
    expect(recent.list().map((e) => e.path)).toEqual([join(dir, 'b.tif'), join(dir, 'a.tif')]);
  });

  it('folds case when asked to (Windows, macOS)', async () => {
    const recent = new RecentFiles(file, { caseInsensitive: true, warn: (m) => warnings.push(m) });
    await recent.add(terrain('DEM.tif'));
    await recent.add(terrain('dem.TIF'));
    expect(recent.list()).toEqual([terrain('dem.TIF')]);
  });

  it('keeps at most max entries, dropping the oldest', async () => {
    const recent = make(3);
    for (const name of ['1.tif', '2.tif', '3.tif', '4.tif', '5.tif']) await recent.add(terrain(name));
    expect(recent.list().map((e) => e.path)).toEqual([join(dir, '5.tif'), join(dir, '4.tif'), join(dir, '3.tif')]);
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.entries).toHaveLength(3);
  });

  it('caps and dedupes a list that was saved longer or with repeats', async () => {
    const entries = ['1', '2', '1', '3', '4'].map((n) => terrain(`${n}.tif`));
    await writeFile(file, JSON.stringify({ version: 1, entries }));
    const recent = make(3);
    await recent.load();
    expect(recent.list().map((e) => e.path)).toEqual(['1', '2', '3'].map((n) => join(dir, `${n}.tif`)));
  });

  it('ignores a corrupt file with a warning, then replaces it on the next save', async () => {
    await writeFile(file, '{"version":1,"entries":[{"kind":"terr');
    const recent = make();
    await expect(recent.load()).resolves.toBeUndefined();
    expect(recent.list()).toEqual([]);
    expect(warnings.join('\n')).toMatch(/corrupt/);
    await recent.add(terrain('a.tif'));
    expect(JSON.parse(await readFile(file, 'utf8')).entries).toEqual([terrain('a.tif')]);
  });

  it('ignores a file of the wrong shape, and drops malformed entries', async () => {
    await writeFile(file, JSON.stringify(['not', 'an', 'object']));
    const a = make();
    await a.load();
    expect(a.list()).toEqual([]);
    expect(warnings).toHaveLength(1);

    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        entries: [terrain('ok.tif'), { kind: 'terrain', path: 'relative.tif' }, { kind: 'movie', path: join(dir, 'x') }, null, 7],
      }),
    );
    const b = make();
    await b.load();
    expect(b.list()).toEqual([terrain('ok.tif')]);
    expect(warnings.at(-1)).toMatch(/Dropped 4 malformed/);
  });

  it('refuses relative paths on add', async () => {
    const recent = make();
    await expect(recent.add({ kind: 'terrain', path: 'dem.tif' })).rejects.toThrow(/absolute/);
  });

  it('removes and clears, and tells listeners', async () => {
    const recent = make();
    const seen: number[] = [];
    recent.onDidChange((list) => seen.push(list.length));
    await recent.add(terrain('a.tif'));
    await recent.add(terrain('b.tif'));
    await recent.remove(join(dir, 'a.tif'));
    expect(recent.list()).toEqual([terrain('b.tif')]);
    await recent.clear();
    expect(JSON.parse(await readFile(file, 'utf8')).entries).toEqual([]);
    expect(seen).toEqual([1, 2, 1, 0]);
  });

  it('writes in order: rapid adds end with the last state on disk, and no temp files', async () => {
    const recent = make();
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => recent.add(terrain(`${n}.tif`))));
    await recent.flush();
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk.entries.map((e: RecentEntry) => e.path)).toEqual(['d', 'c', 'b', 'a'].map((n) => join(dir, `${n}.tif`)));
    expect(await readdir(dir)).toEqual(['recent-files.json']);
  });

  it('survives a failing save with a warning (the list in memory is kept)', async () => {
    const recent = new RecentFiles(join(dir, 'missing', '\0bad', 'recent.json'), { warn: (m) => warnings.push(m) });
    await expect(recent.add(terrain('a.tif'))).resolves.toBeUndefined();
    expect(recent.list()).toEqual([terrain('a.tif')]);
    expect(warnings.join('\n')).toMatch(/Could not save/);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file', async () => {
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['recent-files.json']);
  });

  it('creates missing folders', async () => {
    const deep = join(dir, 'a', 'b', 'c.json');
    await writeFileAtomic(deep, '{}');
    expect(await readFile(deep, 'utf8')).toBe('{}');
  });

  it('keeps the previous file intact when the save is interrupted before the rename', async () => {
    await writeFile(file, 'previous state');
    const failingRename: typeof fs.rename = async () => {
      throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
    };
    await expect(
      writeFileAtomic(file, 'half-written new state', { open: fs.open, rename: failingRename, rm: fs.rm, mkdir: fs.mkdir }),
    ).rejects.toThrow(/simulated crash/);
    expect(await readFile(file, 'utf8')).toBe('previous state');
    expect(await readdir(dir)).toEqual(['recent-files.json']); // the temp file was cleaned up
  });

  it('fsyncs the data before renaming it into place', async () => {
    const calls: string[] = [];
    const open: typeof fs.open = async (path, flags, mode) => {
      const handle = await fs.open(path, flags, mode);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        calls.push(`sync ${String(path) === dir ? 'folder' : 'temp'}`);
        return sync();
      };
      return handle;
    };
    const rename: typeof fs.rename = async (from, to) => {
      calls.push('rename');
      return fs.rename(from, to);
    };
    await writeFileAtomic(file, 'data', { open, rename, rm: fs.rm, mkdir: fs.mkdir });
    expect(calls.slice(0, 2)).toEqual(['sync temp', 'rename']);
    if (process.platform !== 'win32') expect(calls[2]).toBe('sync folder');
  });
});
