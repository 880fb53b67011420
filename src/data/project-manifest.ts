/**
 * The project manifest, DIR/terra-project.json: the data sets imported into
 * the project. Only the `data` list is owned here; other keys (scenarios,
 * runs, models added by other parts of the app) are kept as they are. Every
 * write goes through writeFileAtomic, so an interrupted import leaves the
 * previous manifest.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { TerraError } from '../api/errors';
import { writeFileAtomic } from '../core/atomic-write';

export const MANIFEST_FILE = 'terra-project.json';

export const dataEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  kind: z.enum(['raster', 'field-series', 'station-series']),
  /** Paths relative to the project folder. */
  file: z.string().min(1),
  sidecar: z.string().min(1),
  source: z.string(),
  importedAt: z.string(),
});

export const manifestSchema = z.looseObject({
  format: z.literal('terra-project'),
  version: z.literal(1),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  data: z.array(dataEntrySchema),
});

export type DataEntry = z.infer<typeof dataEntrySchema>;
export type ProjectManifest = z.infer<typeof manifestSchema>;

/** The manifest of `dir`, or a new one (not yet written) when there is none. */
export async function readManifest(dir: string): Promise<ProjectManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      const now = new Date().toISOString();
      return { format: 'terra-project', version: 1, name: basename(dir), createdAt: now, updatedAt: now, data: [] };
    }
    throw new TerraError('INVALID_DATA', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { file: path, field: 'path' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${path}: not JSON (${(err as Error).message})`, { file: path, field: '(root)' });
  }
  // An older manifest written before any import has no data list yet.
  if (json && typeof json === 'object' && !Array.isArray(json) && !('data' in json)) (json as Record<string, unknown>).data = [];
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new TerraError('INVALID_DATA', `${path}: ${field}: ${issue.message}`, { file: path, field });
  }
  return parsed.data;
}

/** Adds or replaces (same id) data entries and writes the manifest atomically. */
export async function addDataEntries(dir: string, entries: DataEntry[]): Promise<ProjectManifest> {
  const manifest = await readManifest(dir);
  const ids = new Set(entries.map((e) => e.id));
  const next: ProjectManifest = {
    ...manifest,
    updatedAt: new Date().toISOString(),
    data: [...manifest.data.filter((e) => !ids.has(e.id)), ...entries],
  };
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifestSchema.parse(next), null, 2)}\n`);
  return next;
}
