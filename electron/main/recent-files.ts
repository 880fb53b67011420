/**
 * The File > Open Recent list, persisted as JSON in the user-data folder.
 * Newest first, no duplicates, at most `max` entries. Saves are atomic; a
 * missing file is an empty list, and a corrupt one is ignored with a warning
 * (it is replaced at the next save), never a crash.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, normalize } from 'node:path';
import { writeFileAtomic } from '../../src/core/atomic-write';
import { Emitter } from './event';

export type RecentKind = 'terrain' | 'project';

export interface RecentEntry {
  kind: RecentKind;
  /** Absolute path of a terrain file or a project folder. */
  path: string;
}

export interface RecentFilesOptions {
  /** Most entries kept (default 10). */
  max?: number;
  /** Compare paths ignoring case (default: on Windows and macOS). */
  caseInsensitive?: boolean;
  warn?: (message: string) => void;
}

interface StoredFile {
  version: 1;
  entries: RecentEntry[];
}

export const RECENT_FILES_NAME = 'recent-files.json';
const KINDS: readonly RecentKind[] = ['terrain', 'project'];

export class RecentFiles {
  private entries: RecentEntry[] = [];
  private saving: Promise<void> = Promise.resolve();
  private readonly changed = new Emitter<readonly RecentEntry[]>();
  private readonly max: number;
  private readonly caseInsensitive: boolean;
  private readonly warn: (message: string) => void;

  /** Fires after every change, with the new list. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly file: string,
    options: RecentFilesOptions = {},
  ) {
    this.max = Math.max(1, Math.floor(options.max ?? 10));
    this.caseInsensitive = options.caseInsensitive ?? (process.platform === 'win32' || process.platform === 'darwin');
    this.warn = options.warn ?? ((message) => console.warn(`[terra] ${message}`));
  }

  /** Reads the saved list. Never throws: a bad file gives an empty list and a warning. */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.warn(`Could not read the recent-files list ${this.file}: ${(err as Error).message}; starting empty`);
      }
      this.entries = [];
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      this.warn(`Ignoring the corrupt recent-files list ${this.file} (${(err as Error).message}); starting empty`);
      this.entries = [];
      return;
    }
    const raw = (data as Partial<StoredFile> | null)?.entries;
    if ((data as Partial<StoredFile> | null)?.version !== 1 || !Array.isArray(raw)) {
      this.warn(`Ignoring the recent-files list ${this.file}: expected {"version":1,"entries":[...]}; starting empty`);
      this.entries = [];
      return;
    }
    const valid = raw.filter(isEntry);
    if (valid.length !== raw.length) {
      this.warn(`Dropped ${raw.length - valid.length} malformed entries from ${this.file}`);
    }
    this.entries = this.normalise(valid);
  }

  list(): readonly RecentEntry[] {
    return this.entries;
  }

  /** Puts the entry first (moving it if present) and saves. */
  add(entry: RecentEntry): Promise<void> {
    if (!isEntry(entry)) return Promise.reject(new TypeError('a recent entry needs a kind and an absolute path'));
    return this.update(this.normalise([{ kind: entry.kind, path: normalize(entry.path) }, ...this.entries]));
  }

  remove(path: string): Promise<void> {
    const key = this.key(path);
    return this.update(this.entries.filter((e) => this.key(e.path) !== key));
  }

  clear(): Promise<void> {
    return this.update([]);
  }

  /** Resolves once every save started so far has finished. */
  flush(): Promise<void> {
    return this.saving;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private update(next: RecentEntry[]): Promise<void> {
    this.entries = next;
    this.changed.fire(next);
    const body: StoredFile = { version: 1, entries: next };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    // Saves run one after another, so the last change is the one on disk.
    this.saving = this.saving
      .then(() => writeFileAtomic(this.file, text))
      .catch((err: unknown) => {
        this.warn(`Could not save the recent-files list ${this.file}: ${(err as Error).message}`);
      });
    return this.saving;
  }

  /** Newest first, first occurrence wins, capped at max. */
  private normalise(entries: readonly RecentEntry[]): RecentEntry[] {
    const seen = new Set<string>();
    const out: RecentEntry[] = [];
    for (const entry of entries) {
      const key = this.key(entry.path);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ kind: entry.kind, path: normalize(entry.path) });
      if (out.length === this.max) break;
    }
    return out;
  }

  private key(path: string): string {
    const p = normalize(path);
    return this.caseInsensitive ? p.toLowerCase() : p;
  }
}

function isEntry(value: unknown): value is RecentEntry {
  const e = value as Partial<RecentEntry> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    KINDS.includes(e.kind as RecentKind) &&
    typeof e.path === 'string' &&
    e.path.length > 0 &&
    e.path.length <= 4096 &&
    isAbsolute(e.path)
  );
}
