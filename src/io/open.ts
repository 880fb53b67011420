/**
 * One entry point for every supported input: detect the format (magic bytes
 * first, then the extension and, for text, the header) and read it into a
 * {@link Dataset}: a grid (one or more frames, regular or curvilinear), a
 * station series, or a station coordinate table.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { TerraError } from '../api/errors';
import { makeGeoref } from '../core/georef';
import type { Raster } from '../core/raster';
import { type NetcdfGridGeometry, parseNetcdfGrid } from './netcdf';
import { parseGeoTiff } from './geotiff';
import { parseEsriAscii } from './esri-ascii';
import { parseNpzDem } from './npz-dem';
import { parseNpz } from './npz';
import { parseNpy } from './npy';
import { parseGridJson } from './grid-json';
import { parseSeries } from './csv-series';
import { looksLikeLocations, parseStationCsv, parseStationLocations, type StationCsvOptions, type StationLocation, type StationSeries } from './station-csv';
import { readInputBytes } from './files';
import { checkGridSize, MAX_GRID_CELLS, MAX_TEXT_BYTES } from './limits';

export type DataFormat =
  | 'geotiff'
  | 'netcdf'
  | 'npz'
  | 'npy'
  | 'esri-ascii'
  | 'grid-json'
  | 'station-csv'
  | 'station-locations'
  | 'series-csv';

export const FORMAT_NAMES: Record<DataFormat, string> = {
  geotiff: 'GeoTIFF',
  netcdf: 'NetCDF-3',
  npz: 'NumPy .npz',
  npy: 'NumPy .npy',
  'esri-ascii': 'ESRI ASCII grid',
  'grid-json': 'JSON grid (width, height, values)',
  'station-csv': 'station time series CSV',
  'station-locations': 'station coordinates CSV',
  'series-csv': 'scenario time series CSV (time_s,value)',
};

export interface GridDataset {
  kind: 'grid';
  format: DataFormat;
  file: string;
  path: string;
  bytes: number;
  /** Variable or array read (NetCDF variable, .npz key). */
  variable: string;
  longName?: string;
  units: string;
  /** Where the units came from; 'assumed' = metres by convention (GeoTIFF, ESRI ASCII, .npz and JSON grids store none). */
  unitsSource: 'attribute' | 'file name' | 'option' | 'assumed' | 'none';
  geometry: NetcdfGridGeometry;
  /** Epoch ms per frame, or null (a single raster, or unknown time units). */
  times: Float64Array | null;
  frames: Float32Array[];
  /** Format details for `terra inspect` ("NetCDF-3 classic", "float32, LZW"). */
  detail: string;
  warnings: string[];
}

export interface StationDataset {
  kind: 'station-series';
  format: 'station-csv' | 'series-csv';
  file: string;
  path: string;
  bytes: number;
  series: StationSeries;
  detail: string;
  warnings: string[];
}

export interface LocationsDataset {
  kind: 'station-locations';
  format: 'station-locations';
  file: string;
  path: string;
  bytes: number;
  locations: StationLocation[];
  detail: string;
  warnings: string[];
}

export type Dataset = GridDataset | StationDataset | LocationsDataset;

export interface ReadOptions extends StationCsvOptions {
  /** NetCDF variable or .npz array to read. */
  variable?: string;
  /** Units to use where the file has none, by variable/column name or "*" for all. */
  units?: Record<string, string>;
  /** CF time units for a NetCDF time axis without them. */
  timeUnits?: string;
  /** Text of an ESRI ASCII grid's .prj sidecar (readDataset finds it). */
  prj?: string;
}

/** The format by content (magic bytes, text header), the extension breaking ties. */
export function detectFormat(bytes: Uint8Array, file: string): DataFormat {
  const ext = extname(file).toLowerCase();
  const head = String.fromCharCode(...bytes.subarray(0, 8));
  if (head.startsWith('II*\0') || head.startsWith('MM\0*') || head.startsWith('II+\0') || head.startsWith('MM\0+')) return 'geotiff';
  if (head.startsWith('CDF') || head.startsWith('\x89HDF')) return 'netcdf';
  if (head.startsWith('PK\x03\x04') || head.startsWith('PK\x05\x06')) return 'npz';
  if (head.startsWith('\x93NUMPY')) return 'npy';
  // Binary formats by extension: wrong magic bytes must say so, not be read as text.
  const byExt: Record<string, DataFormat> = { '.tif': 'geotiff', '.tiff': 'geotiff', '.nc': 'netcdf', '.cdf': 'netcdf', '.nc3': 'netcdf', '.npz': 'npz', '.npy': 'npy' };
  if (byExt[ext]) return byExt[ext]!;
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (/^\s*\{/.test(text) || ext === '.json') return 'grid-json';
  if (/^\s*ncols\s/i.test(text) || /^\s*nrows\s/i.test(text) || ext === '.asc') return 'esri-ascii';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv' || /[,;\t]/.test(text.split(/\r?\n/)[0] ?? '')) {
    if (looksLikeLocations(text)) return 'station-locations';
    const first = (text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '').split(',').map((s) => s.trim());
    if (first.length === 2 && /^(time|t)(_s)?$/i.test(first[0]!)) return 'series-csv';
    return 'station-csv';
  }
  throw new TerraError('INVALID_DATA', `${file}: unrecognised format (not GeoTIFF, NetCDF-3, .npz/.npy, ESRI ASCII, JSON grid or CSV)`, { file, field: 'format' });
}

function optionUnits(options: ReadOptions, name: string): string | undefined {
  return options.units?.[name] ?? options.units?.['*'];
}

/** Reads any supported file from its bytes. */
export async function parseDataset(bytes: Uint8Array, path: string, options: ReadOptions = {}): Promise<Dataset> {
  const file = basename(path);
  const format = detectFormat(bytes, file);
  const base = { file, path, bytes: bytes.length };
  const text = () => {
    if (bytes.length > MAX_TEXT_BYTES) throw new TerraError('INVALID_DATA', `${file}: text file over ${MAX_TEXT_BYTES} bytes`, { file, field: 'size' });
    return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  };
  const regular = (r: Raster) => ({ kind: 'regular', georef: r.georef, spacing: r.georef.crs === 'EPSG:3857' ? 'mercator' : 'regular' }) as const;
  switch (format) {
    case 'netcdf': {
      const g = parseNetcdfGrid(bytes, file, { variable: options.variable, units: options.variable ? optionUnits(options, options.variable) : options.units?.['*'], timeUnits: options.timeUnits, frames: undefined });
      // Per-variable units given by name (e.g. {p: "Pa"}) apply once the variable is known.
      const named = options.units?.[g.variable];
      const units = named && g.unitsSource !== 'option' ? named : g.units;
      const unitsSource = named && g.unitsSource !== 'option' ? 'option' : g.unitsSource;
      return {
        kind: 'grid',
        format,
        ...base,
        variable: g.variable,
        longName: g.longName,
        units,
        unitsSource,
        geometry: g.geometry,
        times: g.times,
        frames: g.frames,
        detail: `${g.format} format, variable ${g.variable}(${g.dims.join(', ')})`,
        warnings: named ? g.warnings.filter((w) => !/has no units attribute/.test(w)) : g.warnings,
      };
    }
    case 'geotiff': {
      const r = await parseGeoTiff(bytes, file);
      const units = optionUnits(options, 'band1') ?? r.units;
      return { kind: 'grid', format, ...base, variable: 'band1', units, unitsSource: units === r.units ? 'assumed' : 'option', geometry: regular(r), times: null, frames: [r.data], detail: 'band 1', warnings: allNodata(file, r.data) };
    }
    case 'esri-ascii': {
      const r = parseEsriAscii(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), file, options.prj !== undefined && /GEOGCS/i.test(options.prj) && !/PROJCS/i.test(options.prj));
      const units = optionUnits(options, 'elevation') ?? r.units;
      const warnings = allNodata(file, r.data);
      if (r.georef.crs === 'unknown') warnings.push(`CRS unknown${options.prj === undefined ? ' (no .prj)' : ''}: coordinates taken as a local metric grid`);
      return { kind: 'grid', format, ...base, variable: 'elevation', units, unitsSource: units === r.units ? 'assumed' : 'option', geometry: regular(r), times: null, frames: [r.data], detail: r.georef.crs === 'EPSG:4326' ? 'geographic (.prj)' : 'projected or local', warnings };
    }
    case 'npz': {
      const arrays = parseNpz(bytes, file);
      const key = options.variable ?? ['elevation', 'topo', 'dem', 'z', 'data'].find((k) => arrays.get(k)?.shape.length === 2) ?? [...arrays.entries()].find(([, a]) => a.shape.length === 2)?.[0];
      if (!key) throw new TerraError('INVALID_DATA', `${file}: no 2D array (has ${[...arrays.keys()].join(', ') || 'none'})`, { file, field: 'variable' });
      const r = parseNpzDem(bytes, file, key);
      const units = optionUnits(options, key) ?? r.units;
      const warnings = allNodata(file, r.data);
      if (r.georef.crs === 'EPSG:3857') warnings.push('latitudes are spaced like a Mercator grid; georeferenced in EPSG:3857');
      if (units === r.units) warnings.push(`units of "${key}" not stored in .npz; assumed metres`);
      return { kind: 'grid', format, ...base, variable: key, units, unitsSource: units === r.units ? 'assumed' : 'option', geometry: regular(r), times: null, frames: [r.data], detail: `array ${key}; members ${[...arrays.keys()].join(', ')}`, warnings };
    }
    case 'npy': {
      const a = parseNpy(bytes, file, MAX_GRID_CELLS);
      if (a.shape.length !== 2) throw new TerraError('INVALID_DATA', `${file}: expected a 2D array, got shape (${a.shape.join(', ')})`, { file, field: 'shape' });
      const [ny, nx] = a.shape as [number, number];
      checkGridSize(file, nx, ny);
      const data = Float32Array.from(a.data, (v) => (Number.isFinite(v) ? v : NaN));
      const units = optionUnits(options, 'array') ?? '';
      return {
        kind: 'grid',
        format,
        ...base,
        variable: 'array',
        units,
        unitsSource: units ? 'option' : 'none',
        geometry: { kind: 'regular', georef: makeGeoref({ nx, ny, x0: 0, y0: ny, dx: 1, dy: 1, crs: 'unknown' }), spacing: 'index' },
        times: null,
        frames: [data],
        detail: `shape (${a.shape.join(', ')})`,
        warnings: ['a .npy array has no georeference: unit cells, unknown CRS', ...(units ? [] : ['no units']), ...allNodata(file, data)],
      };
    }
    case 'grid-json': {
      const r = parseGridJson(text(), file);
      const units = optionUnits(options, 'values') ?? r.units;
      return { kind: 'grid', format, ...base, variable: 'values', units, unitsSource: units === r.units ? 'assumed' : 'option', geometry: { kind: 'regular', georef: r.georef, spacing: 'index' }, times: null, frames: [r.data], detail: `${r.georef.nx} x ${r.georef.ny} values`, warnings: [...r.warnings, ...allNodata(file, r.data)] };
    }
    case 'station-locations': {
      const locations = parseStationLocations(text(), file);
      return { kind: 'station-locations', format, ...base, locations, detail: `${locations.length} stations`, warnings: [] };
    }
    case 'series-csv': {
      const s = parseSeries(text(), file);
      // The scenario contract names units in the column: stage_m, intensity_mm_per_h, discharge_m3_s.
      const suffix = /_m$/.test(s.valueName) ? 'm' : /_mm_per_h$/.test(s.valueName) ? 'mm/h' : /_m3_s$/.test(s.valueName) ? 'm3/s' : '';
      const units = optionUnits(options, s.valueName) ?? suffix;
      const series: StationSeries = {
        file,
        times: Float64Array.from(s.t, (t) => t * 1000),
        dateOnly: false,
        timeZone: 'UTC',
        variables: [{ name: s.valueName, units, unitsSource: units ? 'option' : 'none', values: s.v }],
        labels: [],
        warnings: ['scenario series: times are seconds from the start of a run (shown from 1970-01-01T00:00Z)'],
      };
      return { kind: 'station-series', format, ...base, series, detail: `${series.times.length} rows`, warnings: series.warnings };
    }
    case 'station-csv': {
      const series = parseStationCsv(text(), file, options);
      return { kind: 'station-series', format, ...base, series, detail: `${series.times.length} rows, ${series.variables.length} numeric columns`, warnings: series.warnings };
    }
  }
}

function allNodata(file: string, data: Float32Array): string[] {
  for (let i = 0; i < data.length; i++) if (data[i] === data[i]) return [];
  throw new TerraError('INVALID_DATA', `${file}: the grid holds no data (every cell is nodata)`, { file, field: 'data', problem: 'all nodata' });
}

/** Options with the .prj sidecar of an ESRI ASCII grid added, when there is one. */
export async function withPrj(path: string, options: ReadOptions): Promise<ReadOptions> {
  if (options.prj !== undefined || !/\.asc$/i.test(path)) return options;
  const prj = await readFile(path.replace(/\.asc$/i, '.prj'), 'latin1').catch(() => undefined);
  return prj === undefined ? options : { ...options, prj };
}

export async function readDataset(path: string, options: ReadOptions = {}): Promise<Dataset> {
  const bytes = await readInputBytes(path);
  return parseDataset(bytes, path, await withPrj(path, options));
}
