/**
 * Importing data into a project: read -> convert units -> metric grid ->
 * clean -> statistics -> write, for each file, then the manifest.
 *
 * - Grids (GeoTIFF, ESRI ASCII, NetCDF, .npz/.npy, JSON) become metric grids
 *   in project units (terrain in metres, rain in mm, wind in m/s): one frame
 *   is written as GeoTIFF, several as a Zarr v3 field series.
 * - Station CSVs are converted to project units and written as CSV; a station
 *   coordinate table imported alongside is attached to matching columns.
 * - Cleaning: spikes are detected (robust z-score) and reported, removed only
 *   with `despike`; raster holes are filled (Laplace by default); series and
 *   field gaps are filled linearly in time.
 * - Every data set gets a JSON sidecar (provenance, statistics, z-score
 *   parameters). Files are written atomically (temporary file + rename; a
 *   Zarr folder is built beside and renamed); the manifest is written last.
 *
 * Progress is reported through a callback and the work can be cancelled with
 * an AbortSignal between steps, up to the manifest write (`onCommit`): a
 * cancelled import leaves the manifest as it was (data files written for
 * earlier files of the same import stay in DIR/data, unlisted).
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { writeFileAtomic } from '../core/atomic-write';
import { cellCentreX, cellCentreY } from '../core/georef';
import type { ResampleMethod } from '../core/sample';
import { formatIsoUtc } from '../core/time';
import { conversion, parseUnits, PROJECT_UNITS } from '../core/units';
import { readInputBytes } from '../io/files';
import { encodeGeoTiff } from '../io/geotiff-write';
import { parseDataset, withPrj, type Dataset, type GridDataset, type LocationsDataset, type ReadOptions, type StationDataset } from '../io/open';
import { attachStations, formatStationCsv, type StationSeries } from '../io/station-csv';
import { ZarrFieldWriter } from '../io/zarr-fields';
import { fillFramesLinear, fillRasterHoles, fillSeriesLinear, type RasterFillMethod } from './gapfill';
import { planMetricGrid } from './metric-grid';
import { zScoreFrom } from './normalise';
import { addDataEntries, type DataEntry, type ProjectManifest } from './project-manifest';
import { formatSidecar, normalisationForSidecar, SIDECAR_SCHEMA, statsForSidecar, type Sidecar, type SidecarVariable } from './sidecar';
import { countOnes, rasterSpikes, seriesSpikes } from './spikes';
import { summaryStats } from './stats';
import { assertTerrain } from './terrain-check';

export interface ImportProgress {
  file: string;
  /** 0-based index of the file and the number of files. */
  index: number;
  total: number;
  stage: 'read' | 'convert' | 'regrid' | 'clean' | 'write' | 'done';
  /** Overall fraction done for this file, 0-1. */
  fraction: number;
}

export interface ImportOptions extends ReadOptions {
  /** Target CRS of grids (default: UTM zone of each grid's centre). */
  crs?: string;
  /** Target cell size in metres (default: about the source's). */
  cellSize?: number;
  method?: ResampleMethod;
  /** Replace detected spikes by filled values (default false: report only). */
  despike?: boolean;
  /** Raster hole filling (default laplace). */
  fill?: RasterFillMethod | 'none';
  /** Longest gap in a series filled by linear interpolation, in steps of its median spacing (default 3). */
  maxGapSteps?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Version written into provenance. */
  toolVersion?: string;
  /** Called once the import can no longer be cancelled: just before the manifest is written. */
  onCommit?: () => void;
  /** "terrain": refuse, before anything is written, files that are not one grid of elevations. */
  expect?: 'terrain';
}

export interface ImportedDataset {
  entry: DataEntry;
  sidecar: Sidecar;
  dataPath: string;
  sidecarPath: string;
}

interface Source {
  path: string;
  bytes: number;
  sha256: string;
  dataset: Dataset;
}

export async function importFiles(paths: string[], projectDir: string, options: ImportOptions = {}): Promise<{ datasets: ImportedDataset[]; manifest: ProjectManifest }> {
  if (paths.length === 0) throw new TerraError('INVALID_PARAMS', 'no files to import', { field: 'files' });
  const project = resolve(projectDir);
  const dataDir = join(project, 'data');
  const total = paths.length;
  const progress = (index: number, file: string, stage: ImportProgress['stage'], fraction: number) =>
    options.onProgress?.({ file, index, total, stage, fraction });
  // Yield first: a cancel request is a message, and it is only received between turns of the event loop.
  const checkCancel = async () => {
    await new Promise<void>((done) => setImmediate(done));
    if (options.signal?.aborted) throw new TerraError('CANCELLED', 'import cancelled', { field: 'import' });
  };

  // Read everything first: coordinate tables attach to the series read with them.
  const sources: Source[] = [];
  for (const [index, path] of paths.entries()) {
    await checkCancel();
    progress(index, basename(path), 'read', 0);
    const bytes = await readInputBytes(path);
    const dataset = await parseDataset(bytes, path, await withPrj(path, options));
    if (options.expect === 'terrain') assertTerrain(dataset);
    sources.push({ path: resolve(path), bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), dataset });
  }
  // Only now, with every file read and checked, does the project get a folder.
  await mkdir(dataDir, { recursive: true });
  const locations = sources.filter((s): s is Source & { dataset: LocationsDataset } => s.dataset.kind === 'station-locations');
  const used = new Set<string>();
  const imported: ImportedDataset[] = [];
  for (const [index, source] of sources.entries()) {
    await checkCancel();
    const report = (stage: ImportProgress['stage'], fraction: number) => progress(index, source.dataset.file, stage, fraction);
    const id = uniqueId(datasetId(source.dataset, options.variable), used);
    if (source.dataset.kind === 'grid') imported.push(await importGrid(source as Source & { dataset: GridDataset }, id, dataDir, options, report, checkCancel));
    else if (source.dataset.kind === 'station-series') {
      imported.push(await importStations(source as Source & { dataset: StationDataset }, locations, id, dataDir, options, report));
    } else {
      // A coordinate table on its own is not a data set; it was attached above.
      const matched = sources.some((s) => s.dataset.kind === 'station-series');
      if (!matched) {
        throw new TerraError('INVALID_DATA', `${source.dataset.file}: a station coordinate table needs the station series CSV imported with it`, {
          file: source.dataset.file,
          field: 'format',
        });
      }
      report('done', 1);
      continue;
    }
    report('done', 1);
  }
  // Last chance to cancel: once the manifest is being written the import completes.
  await checkCancel();
  options.onCommit?.();
  const manifest = await addDataEntries(project, imported.map((d) => d.entry));
  return { datasets: imported, manifest };
}

function datasetId(d: Dataset, variable?: string): string {
  const stem = basename(d.file, extname(d.file));
  const withVar = variable ? `${stem}-${variable}` : stem;
  const slug = withVar.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '');
  return slug || 'data';
}

function uniqueId(id: string, used: Set<string>): string {
  let out = id;
  for (let k = 2; used.has(out); k++) out = `${id}-${k}`;
  used.add(out);
  return out;
}

/** Project units for a unit string, or a TerraError naming the file and the variable. */
function targetUnits(units: string, file: string, field: string): string {
  if (!units) {
    throw new TerraError('INVALID_DATA', `${file}: "${field}" has no units; give them (e.g. --units ${field}=m)`, { file, field, problem: 'units' });
  }
  return PROJECT_UNITS[parseUnits(units, { file, field }).family];
}

function provenance(source: Source, format: string, variable: string | undefined, steps: Sidecar['provenance']['steps'], toolVersion?: string): Sidecar['provenance'] {
  return {
    sources: [{ path: source.path, bytes: source.bytes, sha256: source.sha256, format, ...(variable ? { variable } : {}) }],
    steps,
    createdAt: new Date().toISOString(),
    tool: { name: 'terra-twin', version: toolVersion ?? '0.0.0' },
  };
}

async function importGrid(
  source: Source & { dataset: GridDataset },
  id: string,
  dataDir: string,
  options: ImportOptions,
  report: (stage: ImportProgress['stage'], fraction: number) => void,
  checkCancel: () => Promise<void>,
): Promise<ImportedDataset> {
  const d = source.dataset;
  const warnings = [...d.warnings];
  const steps: Sidecar['provenance']['steps'] = [{ op: 'read', format: d.format, variable: d.variable, units: d.units, unitsSource: d.unitsSource }];
  // Units.
  report('convert', 0.1);
  const to = targetUnits(d.units, d.file, d.variable);
  const conv = conversion(d.units, to, { file: d.file, field: d.variable });
  if (conv.scale !== 1 || conv.offset !== 0) steps.push({ op: 'convert-units', from: conv.from, to: conv.to, scale: conv.scale, offset: conv.offset });
  // Metric grid.
  const plan = planMetricGrid(d.geometry, d.file, options);
  warnings.push(...plan.warnings);
  if (plan.step) steps.push(plan.step);
  const frames: Float32Array[] = [];
  for (const [k, frame] of d.frames.entries()) {
    await checkCancel();
    const converted = conv.scale === 1 && conv.offset === 0 ? frame : frame.map((v) => v * conv.scale + conv.offset);
    frames.push(plan.apply(converted));
    report('regrid', 0.2 + (0.4 * (k + 1)) / d.frames.length);
  }
  const g = plan.target;
  // Cleaning.
  await checkCancel();
  report('clean', 0.6);
  let spikesDetected = 0;
  let spikesRemoved = 0;
  let gapsFilled = 0;
  for (const frame of frames) {
    const mask = rasterSpikes(frame, g.nx, g.ny);
    const n = countOnes(mask);
    spikesDetected += n;
    if (options.despike && n) {
      for (let i = 0; i < mask.length; i++) if (mask[i]) frame[i] = NaN;
      spikesRemoved += n;
    }
  }
  steps.push({ op: 'detect-spikes', method: 'robust z-score of 8-neighbour median residuals', threshold: 5, detected: spikesDetected, removed: spikesRemoved });
  let out = frames;
  if (d.times && frames.length > 1) {
    const filled = fillFramesLinear(d.times, out);
    out = filled.frames;
    gapsFilled += filled.report.filled;
    if (filled.report.filled) steps.push({ op: 'fill-time-linear', filled: filled.report.filled });
  }
  if (options.fill !== 'none') {
    let holes = 0;
    out = out.map((f) => {
      const r = fillRasterHoles(f, g.nx, g.ny, { method: options.fill === 'idw' ? 'idw' : 'laplace' });
      holes += r.report.filled;
      return r.data;
    });
    gapsFilled += holes;
    if (holes) steps.push({ op: 'fill-holes', method: options.fill ?? 'laplace', filled: holes });
  }
  await checkCancel();
  // Statistics over every frame together.
  const all = out.length === 1 ? out[0]! : concat(out);
  const stats = summaryStats(all);
  if (stats.count === 0) throw new TerraError('INVALID_DATA', `${d.file}: no data left on the project grid (all nodata)`, { file: d.file, field: d.variable, problem: 'all nodata' });
  const variable: SidecarVariable = {
    name: d.variable,
    units: to,
    stats: statsForSidecar(stats),
    normalisation: normalisationForSidecar(zScoreFrom(stats)),
    cleaning: { spikesDetected, spikesRemoved, gapsFilled, nodataLeft: stats.nodata },
  };
  // Write.
  report('write', 0.8);
  const single = out.length === 1;
  const dataName = single ? `${id}.tif` : `${id}.zarr`;
  const dataPath = join(dataDir, dataName);
  if (single) await writeFileAtomic(dataPath, new Uint8Array(encodeGeoTiff({ data: out[0]!, units: to, georef: g })));
  else await writeZarr(dataPath, g, d, out, to);
  const sidecar: Sidecar = {
    schema: SIDECAR_SCHEMA,
    id,
    name: d.longName ?? d.variable,
    kind: single ? 'raster' : 'field-series',
    file: dataName,
    format: single ? 'geotiff' : 'zarr',
    grid: { crs: g.crs, nx: g.nx, ny: g.ny, x0: g.x0, y0: g.y0, dx: g.dx, dy: g.dy },
    ...(d.times && d.times.length
      ? { time: { start: formatIsoUtc(d.times[0]!), end: formatIsoUtc(d.times[d.times.length - 1]!), steps: d.times.length, zone: 'UTC' } }
      : {}),
    variables: [variable],
    provenance: provenance(source, d.format, d.variable, steps, options.toolVersion),
    warnings,
  };
  return finish(sidecar, dataDir, dataPath, source);
}

function concat(frames: Float32Array[]): Float32Array {
  const out = new Float32Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

async function writeZarr(path: string, g: Georeference, d: GridDataset, frames: Float32Array[], units: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const grid = {
    nx: g.nx,
    ny: g.ny,
    x: Float64Array.from({ length: g.nx }, (_, c) => cellCentreX(g, c)),
    y: Float64Array.from({ length: g.ny }, (_, r) => cellCentreY(g, r)),
    crs: g.crs,
  };
  const t0 = d.times?.[0] ?? 0;
  try {
    const writer = await ZarrFieldWriter.create(temp, grid, [{ name: d.variable, units, longName: d.longName ?? d.variable }], frames.length, {
      source: d.file,
    });
    for (const [k, f] of frames.entries()) await writer.append(d.times ? (d.times[k]! - t0) / 1000 : k, { [d.variable]: f });
    await writer.finish(d.times ? `seconds since ${formatIsoUtc(t0)}` : 'frame index');
    await rm(path, { recursive: true, force: true });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}

async function importStations(
  source: Source & { dataset: StationDataset },
  locations: Array<Source & { dataset: LocationsDataset }>,
  id: string,
  dataDir: string,
  options: ImportOptions,
  report: (stage: ImportProgress['stage'], fraction: number) => void,
): Promise<ImportedDataset> {
  let series: StationSeries = source.dataset.series;
  const steps: Sidecar['provenance']['steps'] = [{ op: 'read', format: source.dataset.format, rows: series.times.length, timeZone: series.timeZone }];
  for (const l of locations) {
    series = attachStations(series, l.dataset.locations);
    steps.push({ op: 'attach-stations', from: l.path, matched: Object.keys(series.stations ?? {}).length });
  }
  report('convert', 0.2);
  const warnings = [...series.warnings];
  // Median spacing sets the longest gap filled.
  const spacing = medianSpacing(series.times);
  const maxGapMs = (options.maxGapSteps ?? 3) * spacing + 1;
  const variables: SidecarVariable[] = [];
  const converted: StationSeries['variables'] = [];
  for (const v of series.variables) {
    const to = targetUnits(v.units, source.dataset.file, v.name);
    const c = conversion(v.units, to, { file: source.dataset.file, field: v.name });
    let values: Float64Array = c.scale === 1 && c.offset === 0 ? v.values.slice() : v.values.map((x) => x * c.scale + c.offset);
    if (c.scale !== 1 || c.offset !== 0) steps.push({ op: 'convert-units', variable: v.name, from: c.from, to: c.to, scale: c.scale, offset: c.offset });
    const mask = seriesSpikes(values);
    const detected = countOnes(mask);
    let removed = 0;
    if (options.despike && detected) {
      values = values.map((x, i) => (mask[i] ? NaN : x));
      removed = detected;
    }
    const fill = fillSeriesLinear(series.times, values, maxGapMs);
    values = fill.values;
    const stats = summaryStats(values);
    const loc = series.stations?.[v.name];
    variables.push({
      name: v.name,
      units: to,
      stats: statsForSidecar(stats),
      normalisation: normalisationForSidecar(zScoreFrom(stats)),
      cleaning: { spikesDetected: detected, spikesRemoved: removed, gapsFilled: fill.report.filled, nodataLeft: stats.nodata },
      ...(loc ? { location: { name: loc.name, code: loc.code, lat: loc.lat, lon: loc.lon } } : {}),
    });
    converted.push({ ...v, units: to, values });
  }
  steps.push({ op: 'detect-spikes', method: 'Hampel: robust z-score of residuals from a 7-point running median', threshold: 3.5 });
  steps.push({ op: 'fill-time-linear', maxGapMs });
  report('write', 0.8);
  const dataName = `${id}.csv`;
  const dataPath = join(dataDir, dataName);
  await writeFileAtomic(dataPath, formatStationCsv({ ...series, variables: converted }));
  const sidecar: Sidecar = {
    schema: SIDECAR_SCHEMA,
    id,
    name: basename(source.dataset.file, extname(source.dataset.file)),
    kind: 'station-series',
    file: dataName,
    format: 'csv',
    time: { start: formatIsoUtc(series.times[0]!), end: formatIsoUtc(series.times[series.times.length - 1]!), steps: series.times.length, zone: series.timeZone },
    variables,
    provenance: provenance(source, source.dataset.format, undefined, steps, options.toolVersion),
    warnings,
  };
  return finish(sidecar, dataDir, dataPath, source);
}

function medianSpacing(times: Float64Array): number {
  if (times.length < 2) return 0;
  const d = Float64Array.from({ length: times.length - 1 }, (_, i) => times[i + 1]! - times[i]!).sort();
  return d[d.length >> 1]!;
}

async function finish(sidecar: Sidecar, dataDir: string, dataPath: string, source: Source): Promise<ImportedDataset> {
  const sidecarPath = join(dataDir, `${sidecar.id}.json`);
  await writeFileAtomic(sidecarPath, formatSidecar(sidecar));
  const project = resolve(dataDir, '..');
  return {
    entry: {
      id: sidecar.id,
      name: sidecar.name,
      kind: sidecar.kind,
      file: relative(project, dataPath),
      sidecar: relative(project, sidecarPath),
      source: source.path,
      importedAt: sidecar.provenance.createdAt,
    },
    sidecar,
    dataPath,
    sidecarPath,
  };
}
