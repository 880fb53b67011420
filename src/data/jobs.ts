/**
 * The data API as engine jobs: `data.inspect` and `data.import` (src/api/methods.ts).
 * Each takes its validated params and a small hooks object (cancel signal,
 * progress), so the engine's handler table stays one line per method and
 * these run in tests without an engine.
 */
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { TerraError } from '../api/errors';
import type { Params } from '../api/methods';
import type { ImportedDataSummary, ImportResult, InspectReport, JobStep } from '../api/types';
import { readDataset } from '../io/open';
import { importFiles, type ImportedDataset, type ImportProgress } from './import';
import { inspectDataset } from './inspect';
import { MANIFEST_FILE, readManifest } from './project-manifest';
import { assertTerrain } from './terrain-check';

export interface JobHooks {
  signal: AbortSignal;
  progress(fraction: number | null, message: string, step?: JobStep): void;
  /** The job can no longer be cancelled (the manifest is being written). */
  commit(): void;
}

const STAGE_TEXT: Record<ImportProgress['stage'], string> = {
  read: 'reading',
  convert: 'converting units',
  regrid: 'regridding',
  clean: 'cleaning',
  write: 'writing',
  done: 'done',
};

/** Share of the progress bar given to reading every file (done before any file is processed). */
const READ_SHARE = 0.2;

function requireAbsolute(field: string, path: string): void {
  if (!isAbsolute(path)) throw new TerraError('INVALID_PARAMS', `${field} must be an absolute path on the engine's machine, got "${path}"`, { field });
}

function cancelled(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw new TerraError('CANCELLED', `${what} was cancelled`);
}

export async function inspectJob(params: Params<'data.inspect'>, hooks: JobHooks): Promise<InspectReport> {
  const { path, variable, units, as } = params;
  requireAbsolute('path', path);
  hooks.progress(0, `Reading ${basename(path)}`);
  const dataset = await readDataset(resolve(path), { variable, units });
  cancelled(hooks.signal, 'data.inspect');
  if (as === 'terrain') assertTerrain(dataset);
  hooks.progress(0.6, `Computing statistics of ${dataset.file}`);
  const report = inspectDataset(dataset);
  hooks.progress(1, `${dataset.file} inspected`);
  return report;
}

/** A folder that exists must be a folder and, if it has a manifest, a readable one: checked before any file is read. */
async function checkProjectDir(dir: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // created by the import
    throw new TerraError('INVALID_PARAMS', `project folder ${dir}: cannot be used (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { field: 'projectDir', file: dir });
  }
  if (!isDir) throw new TerraError('INVALID_PARAMS', `project folder ${dir} is a file, not a folder`, { field: 'projectDir', file: dir });
  await readManifest(dir);
}

export async function importJob(params: Params<'data.import'>, hooks: JobHooks, toolVersion: string): Promise<ImportResult> {
  const { paths, projectDir, variable, units, as, options } = params;
  paths.forEach((p, i) => requireAbsolute(`paths.${i}`, p));
  requireAbsolute('projectDir', projectDir);
  const project = resolve(projectDir);
  await checkProjectDir(project);
  cancelled(hooks.signal, 'data.import');
  const total = paths.length;
  hooks.progress(0, `Importing ${total} file${total === 1 ? '' : 's'} into ${project}`);
  let done = 0;
  const onProgress = (p: ImportProgress) => {
    // Every file is read first, then each is processed: two passes on one bar that never goes back.
    const at = p.stage === 'read' ? (READ_SHARE * p.index) / p.total : READ_SHARE + ((1 - READ_SHARE) * (p.index + p.fraction)) / p.total;
    done = Math.max(done, Math.round(at * 1e4) / 1e4);
    const fraction = done;
    const message = `File ${p.index + 1} of ${p.total}: ${p.file}, ${STAGE_TEXT[p.stage]}`;
    hooks.progress(fraction, message, { item: p.file, index: p.index, total: p.total, stage: p.stage, fraction: p.fraction });
  };
  const { datasets } = await importFiles(paths.map((p) => resolve(p)), project, {
    ...options,
    variable,
    units,
    expect: as === 'terrain' ? 'terrain' : undefined,
    onProgress,
    onCommit: () => hooks.commit(),
    signal: hooks.signal,
    toolVersion,
  });
  const summaries = datasets.map(summarise);
  hooks.progress(1, `Imported ${summaries.length} data set${summaries.length === 1 ? '' : 's'}`);
  return {
    projectDir: project,
    manifestPath: join(project, MANIFEST_FILE),
    datasets: summaries,
    terrainPath: summaries.find((d) => d.terrain)?.dataPath ?? null,
  };
}

function summarise(d: ImportedDataset): ImportedDataSummary {
  const s = d.sidecar;
  const variables = s.variables.map((v) => ({ name: v.name, units: v.units, min: v.stats.min, max: v.stats.max, nodata: v.stats.nodata }));
  return {
    id: d.entry.id,
    name: d.entry.name,
    kind: d.entry.kind,
    dataPath: d.dataPath,
    sidecarPath: d.sidecarPath,
    file: d.entry.file,
    sidecar: d.entry.sidecar,
    source: d.entry.source,
    grid: s.grid ? { crs: s.grid.crs, nx: s.grid.nx, ny: s.grid.ny, dx: s.grid.dx, dy: s.grid.dy } : null,
    variables,
    time: s.time ? { start: s.time.start, end: s.time.end, steps: s.time.steps } : null,
    // One grid of elevations: a length in the project's metres (rain is in mm, wind in m/s).
    terrain: s.kind === 'raster' && s.format === 'geotiff' && variables.length === 1 && variables[0]!.units === 'm',
    warnings: [...s.warnings],
  };
}
