/**
 * NetCDF-3 (classic and 64-bit offset) reader for gridded variables.
 *
 * The header is parsed by `netcdfjs` and then checked here (dimension ids,
 * types, shapes); before a variable is read, its size is checked against the
 * limits and its bytes against the file's length, so nothing is allocated
 * for a grid that is too large or not there. Values are decoded here straight into typed
 * arrays (netcdfjs boxes every value into a JS array, too slow and large for
 * a 2.9 M-cell grid).
 *
 * A gridded variable is [time?, (size-1 dims)..., y, x]. Its coordinates are
 * 1D (regular, or latitudes spaced like Mercator) or 2D longitude/latitude
 * (curvilinear, regridded later). Time comes from CF units ("hours since
 * ..."). Packing (scale_factor, add_offset) is applied and _FillValue,
 * missing_value, valid_min/max/range and netCDF default fills become NaN.
 * Rows are returned north first.
 */
import { basename } from 'node:path';
import { NetCDFReader } from 'netcdfjs';
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { flipGrid, georefFromAxes, normaliseLongitudes } from '../core/axis';
import type { CurvilinearGrid } from '../core/curvilinear';
import { makeGeoref } from '../core/georef';
import { findUnits } from '../core/units';
import { parseCfTimeUnits, parseTimestampText } from '../core/time';
import { readInputBytes } from './files';
import { checkGridSize, checkValueCount } from './limits';

export type NcType = 'byte' | 'char' | 'short' | 'int' | 'float' | 'double';
export type NcAttribute = string | number | number[];

export interface NcVariable {
  name: string;
  dims: string[];
  shape: number[];
  type: NcType;
  attributes: Record<string, NcAttribute>;
  /** First dimension is the unlimited (record) one. */
  record: boolean;
  offset: number;
}

export interface NcHeader {
  file: string;
  format: 'classic' | '64-bit offset';
  byteLength: number;
  dimensions: Array<{ name: string; size: number; unlimited: boolean }>;
  attributes: Record<string, NcAttribute>;
  variables: NcVariable[];
  numRecords: number;
  /** Bytes from one record to the next. */
  recordStep: number;
}

const TYPE_BYTES: Record<NcType, number> = { byte: 1, char: 1, short: 2, int: 4, float: 4, double: 8 };

/** netCDF's default fill for unwritten values (byte and char have none that matters). */
const DEFAULT_FILL: Partial<Record<NcType, number>> = { short: -32767, int: -2147483647, float: Math.fround(9.9692099683868690e36), double: 9.9692099683868690e36 };

function fail(file: string, problem: string, field = 'header'): TerraError {
  return new TerraError('INVALID_DATA', `${file}: ${problem}`, { file, field });
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Parses and checks the header; nothing large is allocated. */
export function parseNetcdfHeader(bytes: Uint8Array, file: string): NcHeader {
  if (bytes.length < 4) throw fail(file, 'not a NetCDF file (too short)');
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!);
  if (bytes[0] === 0x89 && magic.slice(1) === 'HD') {
    throw fail(file, 'NetCDF-4/HDF5 is not supported; convert it to NetCDF-3 (nccopy -k classic in.nc out.nc)');
  }
  if (magic !== 'CDF') throw fail(file, 'not a NetCDF file (bad magic bytes)');
  const version = bytes[3]!;
  if (version === 5) throw fail(file, 'CDF-5 (64-bit data) NetCDF is not supported; convert it with nccopy -k classic');
  if (version !== 1 && version !== 2) throw fail(file, `unknown NetCDF version byte ${version}`);
  let reader: NetCDFReader;
  try {
    reader = new NetCDFReader(bytes);
  } catch (err) {
    throw fail(file, `corrupt or truncated header (${err instanceof Error ? err.message : String(err)})`);
  }
  const h = reader.header;
  const dimensions = (h.dimensions ?? []).map((d, i) => ({ name: String(d.name), size: d.size, unlimited: i === h.recordDimension.id }));
  const byteLength = bytes.length;
  const variables: NcVariable[] = [];
  for (const v of h.variables ?? []) {
    const name = String(v.name);
    if (!(v.type in TYPE_BYTES)) throw fail(file, `variable "${name}" has an unknown type`, name);
    const type = v.type as NcType;
    const dims: string[] = [];
    const shape: number[] = [];
    for (const id of v.dimensions) {
      const d = dimensions[id];
      if (!d) throw fail(file, `variable "${name}" refers to dimension ${id}, which does not exist`, name);
      dims.push(d.name);
      shape.push(d.unlimited ? h.recordDimension.length : d.size);
    }
    const record = dimensions[v.dimensions[0] ?? -1]?.unlimited === true;
    if (dims.slice(1).some((_, i) => dimensions[v.dimensions[i + 1]!]!.unlimited)) {
      throw fail(file, `variable "${name}" uses the unlimited dimension other than first`, name);
    }
    variables.push({ name, dims, shape, type, attributes: attributes(v.attributes as unknown as RawAttribute[]), record, offset: v.offset });
  }
  // Record layout: each record holds one slab of every record variable, each
  // padded to 4 bytes, unless there is a single record variable.
  const recordVars = variables.filter((v) => v.record);
  const slab = (v: NcVariable) => product(v.shape.slice(1)) * TYPE_BYTES[v.type];
  const recordStep = recordVars.length === 1 ? slab(recordVars[0]!) : recordVars.reduce((s, v) => s + Math.ceil(slab(v) / 4) * 4, 0);
  let numRecords = h.recordDimension.length;
  if (numRecords === 0xffffffff && recordVars.length) {
    // Streaming: the count was never written; it is what the file holds.
    const start = Math.min(...recordVars.map((v) => v.offset));
    numRecords = recordStep > 0 ? Math.floor((byteLength - start) / recordStep) : 0;
    for (const v of recordVars) v.shape[0] = numRecords;
  }
  for (const v of variables) {
    if (v.shape.some((n) => !Number.isSafeInteger(n) || n < 0)) throw fail(file, `variable "${v.name}" has an invalid shape`, v.name);
  }
  return {
    file,
    format: version === 1 ? 'classic' : '64-bit offset',
    byteLength,
    dimensions,
    attributes: attributes(h.globalAttributes as unknown as RawAttribute[]),
    variables,
    numRecords,
    recordStep,
  };
}

interface RawAttribute {
  name: string;
  type: string;
  value: unknown;
}

function attributes(list: RawAttribute[] | undefined): Record<string, NcAttribute> {
  const out: Record<string, NcAttribute> = {};
  for (const a of list ?? []) {
    const v = a.value;
    if (typeof v === 'string' || typeof v === 'number') out[String(a.name)] = v;
    else if (Array.isArray(v)) out[String(a.name)] = v.length === 1 ? Number(v[0]) : v.map(Number);
  }
  return out;
}

function numberAttr(v: NcVariable, name: string): number | undefined {
  const a = v.attributes[name];
  if (typeof a === 'number') return a;
  if (Array.isArray(a) && a.length === 1) return a[0];
  return undefined;
}

function numbersAttr(v: NcVariable, name: string): number[] {
  const a = v.attributes[name];
  if (typeof a === 'number') return [a];
  return Array.isArray(a) ? a : [];
}

function textAttr(v: NcVariable | NcHeader, name: string): string | undefined {
  const a = v.attributes[name];
  return typeof a === 'string' ? a.trim() : undefined;
}

/**
 * Refuses to read a variable whose bytes are not all in the file (truncated or
 * corrupt offsets). Called after the size limits, so that a header claiming a
 * huge grid is reported as too large rather than as truncated.
 */
function checkExtent(h: NcHeader, v: NcVariable): void {
  const slab = product(v.shape.slice(1)) * TYPE_BYTES[v.type];
  const end = v.record ? (h.numRecords > 0 ? v.offset + (h.numRecords - 1) * h.recordStep + slab : v.offset) : v.offset + product(v.shape) * TYPE_BYTES[v.type];
  if (!Number.isSafeInteger(end) || v.offset < 0 || end > h.byteLength) {
    throw fail(h.file, `truncated: variable "${v.name}" needs bytes up to ${end} but the file has ${h.byteLength}`, v.name);
  }
}

type Reader = (dv: DataView, at: number) => number;
const READERS: Record<NcType, Reader> = {
  byte: (dv, at) => dv.getInt8(at),
  char: (dv, at) => dv.getUint8(at),
  short: (dv, at) => dv.getInt16(at, false),
  int: (dv, at) => dv.getInt32(at, false),
  float: (dv, at) => dv.getFloat32(at, false),
  double: (dv, at) => dv.getFloat64(at, false),
};

/** Decodes `count` raw values of `v` starting at element `start` (of a non-record variable, or within record `record`). */
function decode(bytes: Uint8Array, h: NcHeader, v: NcVariable, out: Float32Array | Float64Array, start: number, record?: number): void {
  const size = TYPE_BYTES[v.type];
  const base = v.record ? v.offset + (record ?? 0) * h.recordStep : v.offset;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = READERS[v.type];
  let at = base + start * size;
  if (v.type === 'float' && out instanceof Float32Array) {
    // Big-endian float32: copy, swap bytes in place (Node's native swap32), reinterpret.
    const view = Buffer.from(out.buffer, out.byteOffset, out.length * 4);
    view.set(bytes.subarray(at, at + out.length * 4));
    view.swap32();
    return;
  }
  for (let i = 0; i < out.length; i++, at += size) out[i] = read(dv, at);
}

/** All values of a (small) variable as float64, unpacked, fills as NaN. */
export function readNcValues(bytes: Uint8Array, h: NcHeader, name: string): Float64Array {
  const v = h.variables.find((x) => x.name === name);
  if (!v) throw fail(h.file, `no variable "${name}" (has ${h.variables.map((x) => x.name).join(', ')})`, name);
  const count = product(v.shape);
  checkValueCount(h.file, name, count);
  checkExtent(h, v);
  const out = new Float64Array(count);
  if (v.record) {
    const per = product(v.shape.slice(1));
    const tmp = new Float64Array(per);
    for (let r = 0; r < h.numRecords; r++) {
      decode(bytes, h, v, tmp, 0, r);
      out.set(tmp, r * per);
    }
  } else decode(bytes, h, v, out, 0);
  unpack64(out, packingOf(v));
  return out;
}

/** A char variable as text (trailing NULs and blanks removed). */
export function readNcText(bytes: Uint8Array, h: NcHeader, name: string): string {
  const v = h.variables.find((x) => x.name === name);
  if (!v || v.type !== 'char' || v.record) return '';
  const n = product(v.shape);
  if (n > 65536) return '';
  checkExtent(h, v);
  return Buffer.from(bytes.buffer, bytes.byteOffset + v.offset, n).toString('latin1').replace(/[\0\s]+$/, '');
}

interface Packing {
  fills: number[];
  lo: number;
  hi: number;
  scale: number;
  offset: number;
}

/** Fill/missing values and valid range (in the stored, packed values) and the unpacking scale/offset. */
function packingOf(v: NcVariable): Packing {
  const fills = [...numbersAttr(v, '_FillValue'), ...numbersAttr(v, 'missing_value')];
  const def = DEFAULT_FILL[v.type];
  if (def !== undefined && !('_FillValue' in v.attributes)) fills.push(def);
  const range = numbersAttr(v, 'valid_range');
  return {
    // Compare in the stored precision: a float attribute -9999 and a float value -9999 match exactly.
    fills: fills.filter((f) => !Number.isNaN(f)).map((f) => (v.type === 'float' ? Math.fround(f) : f)),
    lo: numberAttr(v, 'valid_min') ?? (range.length === 2 ? range[0]! : -Infinity),
    hi: numberAttr(v, 'valid_max') ?? (range.length === 2 ? range[1]! : Infinity),
    scale: numberAttr(v, 'scale_factor') ?? 1,
    offset: numberAttr(v, 'add_offset') ?? 0,
  };
}

/**
 * Masks fills, non-finite and out-of-range raw values as NaN, then applies
 * scale_factor/add_offset, in place. Written for one array type per copy so
 * that V8 keeps the hot loop monomorphic (the frame loop runs over millions of cells).
 */
function unpack32(values: Float32Array, p: Packing): void {
  const { lo, hi, scale, offset } = p;
  const f0 = p.fills[0] ?? NaN;
  const f1 = p.fills[1] ?? NaN;
  const more = p.fills.length > 2 ? p.fills.slice(2) : null;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    if (raw - raw !== 0 || raw === f0 || raw === f1 || raw < lo || raw > hi || (more !== null && more.includes(raw))) values[i] = NaN;
    else if (scale !== 1 || offset !== 0) values[i] = raw * scale + offset;
  }
}

function unpack64(values: Float64Array, p: Packing): void {
  const { lo, hi, scale, offset } = p;
  const f0 = p.fills[0] ?? NaN;
  const f1 = p.fills[1] ?? NaN;
  const more = p.fills.length > 2 ? p.fills.slice(2) : null;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    if (raw - raw !== 0 || raw === f0 || raw === f1 || raw < lo || raw > hi || (more !== null && more.includes(raw))) values[i] = NaN;
    else if (scale !== 1 || offset !== 0) values[i] = raw * scale + offset;
  }
}

export interface NetcdfGridOptions {
  /** The variable to read; default: the largest variable with 2 or more dimensions that is not a coordinate. */
  variable?: string;
  /** Units to use when the file has none (or to override it). */
  units?: string;
  /** CF time units when the time variable has none, e.g. "hours since 1996-01-05". */
  timeUnits?: string;
  /** Read only these frame indices (default all). */
  frames?: number[];
}

export type NetcdfGridGeometry =
  | { kind: 'regular'; georef: Georeference; spacing: 'regular' | 'mercator' | 'index' }
  | { kind: 'curvilinear'; coords: CurvilinearGrid };

export interface NetcdfGrid {
  file: string;
  format: NcHeader['format'];
  variable: string;
  longName?: string;
  standardName?: string;
  dims: string[];
  nx: number;
  ny: number;
  units: string;
  unitsSource: 'attribute' | 'file name' | 'option' | 'none';
  geometry: NetcdfGridGeometry;
  /** Epoch ms of each frame read; null when the variable has no time axis or its units are unknown. */
  times: Float64Array | null;
  /** Number of time steps in the file (1 without a time axis). */
  timeSteps: number;
  frames: Float32Array[];
  /** Other gridded variables in the file. */
  otherVariables: string[];
  warnings: string[];
  header: NcHeader;
}

const LON_NAMES = /^(lon|long|longitude|nav_lon|xlong|glon)$/i;
const LAT_NAMES = /^(lat|latitude|nav_lat|xlat|glat)$/i;
const TIME_NAMES = /^(time|times|t|timestep|time_step|valid_time|date|record)$/i;

/** 2D longitude/latitude arrays and grid-mapping variables are coordinates, not data. */
function isCoordinateName(name: string): boolean {
  return LON_NAMES.test(name) || LAT_NAMES.test(name) || /^(crs|spatial_ref|grid_mapping)$/i.test(name);
}

/** Variables that look like gridded data (2+ dims, numeric, not coordinates), largest first. */
export function griddedVariables(h: NcHeader): NcVariable[] {
  const dimNames = new Set(h.dimensions.map((d) => d.name));
  const referenced = new Set(
    h.variables.flatMap((v) => (textAttr(v, 'coordinates') ?? '').split(/\s+/).filter(Boolean)),
  );
  return h.variables
    .filter((v) => v.dims.length >= 2 && v.type !== 'char' && !dimNames.has(v.name) && !referenced.has(v.name) && !isCoordinateName(v.name))
    .sort((a, b) => product(b.shape) - product(a.shape));
}

function isTimeVariable(v: NcVariable | undefined): boolean {
  if (!v) return false;
  const units = textAttr(v, 'units') ?? '';
  return /\bsince\b/i.test(units) || textAttr(v, 'axis') === 'T' || textAttr(v, 'standard_name') === 'time' || TIME_NAMES.test(v.name);
}

/** Units from the file name when the file has none: "..._feet.nc", "dem_ft.nc", "elev_m.nc". */
export function unitsFromFileName(file: string): string | undefined {
  const tokens = basename(file).toLowerCase().replace(/\.[a-z0-9]+$/, '').split(/[^a-z0-9]+/);
  for (const t of tokens) {
    if (t === 'feet' || t === 'ft' || t === 'foot') return 'ft';
    if (t === 'metres' || t === 'meters' || t === 'm') return 'm';
  }
  return undefined;
}

/** Reads a gridded variable with its coordinates and time axis. */
export function parseNetcdfGrid(bytes: Uint8Array, file: string, options: NetcdfGridOptions = {}): NetcdfGrid {
  const h = parseNetcdfHeader(bytes, file);
  const warnings: string[] = [];
  const candidates = griddedVariables(h);
  let v: NcVariable | undefined;
  if (options.variable !== undefined) {
    v = h.variables.find((x) => x.name === options.variable);
    if (!v) throw fail(file, `no variable "${options.variable}" (gridded ones: ${candidates.map((c) => c.name).join(', ') || 'none'})`, 'variable');
    if (v.dims.length < 2 || v.type === 'char') throw fail(file, `variable "${v.name}" is not a grid (dimensions ${v.dims.join(', ') || 'none'})`, 'variable');
  } else {
    v = candidates[0];
    if (!v) throw fail(file, `no gridded variable with 2 or more dimensions (variables: ${h.variables.map((x) => x.name).join(', ') || 'none'})`, 'variable');
    if (candidates.length > 1) warnings.push(`read variable "${v.name}"; the file also has ${candidates.slice(1).map((c) => c.name).join(', ')}`);
  }
  const field = v.name;
  const ydim = v.dims[v.dims.length - 2]!;
  const xdim = v.dims[v.dims.length - 1]!;
  const ny = v.shape[v.shape.length - 2]!;
  const nx = v.shape[v.shape.length - 1]!;
  checkGridSize(file, nx, ny);

  // Leading dimensions: at most one time axis; any other must have size 1.
  let timeDim: string | undefined;
  let timeSteps = 1;
  for (let i = 0; i < v.dims.length - 2; i++) {
    const name = v.dims[i]!;
    const size = v.shape[i]!;
    const coord = h.variables.find((x) => x.name === name && x.dims.length === 1);
    if (timeDim === undefined && (i === 0 && v.record ? true : isTimeVariable(coord) || TIME_NAMES.test(name))) {
      timeDim = name;
      timeSteps = size;
    } else if (size !== 1) {
      throw fail(file, `variable "${field}" has dimension "${name}" of size ${size}; only time, y and x may exceed 1 (pick a level first)`, field);
    }
  }
  const frameIndices = options.frames ?? Array.from({ length: timeSteps }, (_, i) => i);
  for (const f of frameIndices) {
    if (!Number.isInteger(f) || f < 0 || f >= timeSteps) throw new TerraError('INVALID_PARAMS', `${file}: frame ${f} out of range 0-${timeSteps - 1}`, { file, field: 'frames' });
  }
  checkValueCount(file, field, frameIndices.length * nx * ny);
  checkExtent(h, v);

  // Units.
  let units = textAttr(v, 'units') ?? '';
  let unitsSource: NetcdfGrid['unitsSource'] = units ? 'attribute' : 'none';
  if (options.units) {
    if (units && findUnits(units)?.symbol !== findUnits(options.units)?.symbol) warnings.push(`units "${options.units}" given; the file says "${units}"`);
    units = options.units;
    unitsSource = 'option';
  } else if (!units) {
    const fromName = unitsFromFileName(file);
    if (fromName) {
      units = fromName;
      unitsSource = 'file name';
      warnings.push(`variable "${field}" has no units attribute; "${fromName}" taken from the file name`);
    } else warnings.push(`variable "${field}" has no units attribute; give units to convert it`);
  } else if (!findUnits(units)) warnings.push(`units "${units}" of "${field}" are not known to the converter`);

  const geometry = gridGeometry(bytes, h, v, xdim, ydim, nx, ny, warnings);
  const { times, note } = timeAxis(bytes, h, timeDim, options.timeUnits);
  if (note) warnings.push(note);

  // Frames: leading dims multiply out to a frame index (size-1 dims contribute 0).
  const frames: Float32Array[] = [];
  const cells = nx * ny;
  const flipX = geometry.kind === 'regular' && geometry.flip.x;
  const flipY = geometry.kind === 'regular' ? geometry.flip.y : geometry.flipY;
  const timeAt = timeDim === undefined ? -1 : v.dims.indexOf(timeDim);
  const packing = packingOf(v);
  for (const f of frameIndices) {
    const frame = new Float32Array(cells);
    // A record variable's first dimension is always its time axis (see the loop above).
    if (v.record) decode(bytes, h, v, frame, 0, f);
    else decode(bytes, h, v, frame, timeAt >= 0 ? f * cells * product(v.shape.slice(timeAt + 1, -2)) : 0);
    unpack32(frame, packing);
    flipGrid(frame, nx, ny, flipX, flipY);
    frames.push(frame);
  }
  const empty = frameIndices.filter((_, k) => frames[k]!.every((x) => Number.isNaN(x)));
  if (empty.length === frames.length) {
    throw new TerraError('INVALID_DATA', `${file}: variable "${field}" holds no data (every cell is fill/missing${frames.length > 1 ? ` in all ${frames.length} frames` : ''})`, {
      file,
      field,
      problem: 'all nodata',
    });
  }
  if (empty.length) warnings.push(`${empty.length > 1 ? 'frames' : 'frame'} ${empty.join(', ')} of "${field}" ${empty.length > 1 ? 'hold' : 'holds'} no data (all fill)`);
  return {
    file,
    format: h.format,
    variable: field,
    longName: textAttr(v, 'long_name'),
    standardName: textAttr(v, 'standard_name'),
    dims: v.dims,
    nx,
    ny,
    units,
    unitsSource,
    geometry: geometry.kind === 'regular' ? { kind: 'regular', georef: geometry.georef, spacing: geometry.spacing } : { kind: 'curvilinear', coords: geometry.coords },
    times: times && Float64Array.from(frameIndices, (i) => times[i]!),
    timeSteps,
    frames,
    otherVariables: candidates.filter((c) => c !== v).map((c) => c.name),
    warnings,
    header: h,
  };
}

type Geometry =
  | { kind: 'regular'; georef: Georeference; spacing: 'regular' | 'mercator' | 'index'; flip: { x: boolean; y: boolean } }
  | { kind: 'curvilinear'; coords: CurvilinearGrid; flipY: boolean };

function gridGeometry(bytes: Uint8Array, h: NcHeader, v: NcVariable, xdim: string, ydim: string, nx: number, ny: number, warnings: string[]): Geometry {
  const file = h.file;
  const oneD = (dim: string, names: RegExp) =>
    h.variables.find((c) => c.dims.length === 1 && c.dims[0] === dim && c.name === dim) ??
    h.variables.find((c) => c.dims.length === 1 && c.dims[0] === dim && names.test(c.name));
  const cx = oneD(xdim, /^(lon|longitude|x|easting)$/i);
  const cy = oneD(ydim, /^(lat|latitude|y|northing)$/i);
  const unitsOf = (c: NcVariable) => (textAttr(c, 'units') ?? '').toLowerCase();
  const isLon = (c: NcVariable) => /degrees?_?e(ast)?$/.test(unitsOf(c)) || LON_NAMES.test(c.name) || textAttr(c, 'standard_name') === 'longitude';
  const isLat = (c: NcVariable) => /degrees?_?n(orth)?$/.test(unitsOf(c)) || LAT_NAMES.test(c.name) || textAttr(c, 'standard_name') === 'latitude';
  if (cx && cy && cx.type !== 'char' && cy.type !== 'char') {
    const geographic = isLon(cx) && isLat(cy);
    const xs = readNcValues(bytes, h, cx.name);
    const ys = readNcValues(bytes, h, cy.name);
    if (xs.some((a) => Number.isNaN(a)) || ys.some((a) => Number.isNaN(a))) throw fail(file, `coordinate "${cx.name}" or "${cy.name}" has missing values`, 'coordinates');
    let crs = 'EPSG:4326';
    if (geographic) normaliseLongitudes(xs);
    else {
      const scale = unitsOf(cx) === 'km' ? 1000 : 1;
      if (scale !== 1) for (const a of [xs, ys]) for (let i = 0; i < a.length; i++) a[i]! *= scale;
      crs = projectedCrs(h, v, warnings);
    }
    const fit = georefFromAxes(xs, ys, crs, geographic);
    if (fit) {
      if (fit.kind === 'mercator') warnings.push(`latitudes of "${cy.name}" are spaced like a Mercator grid; georeferenced in EPSG:3857`);
      return { kind: 'regular', georef: fit.georef, spacing: fit.kind, flip: { x: fit.flipX, y: fit.flipY } };
    }
    if (!geographic) throw fail(file, `coordinates "${cx.name}"/"${cy.name}" are not evenly spaced`, 'coordinates');
    warnings.push(`coordinates "${cx.name}"/"${cy.name}" are not evenly spaced; treated as a curvilinear grid`);
    const lon = new Float64Array(nx * ny);
    const lat = new Float64Array(nx * ny);
    for (let r = 0; r < ny; r++) {
      lon.set(xs, r * nx);
      lat.fill(ys[r]!, r * nx, (r + 1) * nx);
    }
    return curvilinear(lon, lat, nx, ny);
  }
  // 2D longitude/latitude: named in the coordinates attribute, or by name.
  const named = (textAttr(v, 'coordinates') ?? '').split(/\s+/).filter(Boolean);
  const twoD = (test: (c: NcVariable) => boolean) =>
    h.variables.find((c) => c.dims.length === 2 && c.dims[0] === ydim && c.dims[1] === xdim && named.includes(c.name) && test(c)) ??
    h.variables.find((c) => c.dims.length === 2 && c.dims[0] === ydim && c.dims[1] === xdim && test(c));
  const lon2 = twoD((c) => isLon(c) && !isLat(c));
  const lat2 = twoD((c) => isLat(c) && !isLon(c));
  if (lon2 && lat2) {
    const lon = normaliseLongitudes(readNcValues(bytes, h, lon2.name));
    const lat = readNcValues(bytes, h, lat2.name);
    if (lon.some((a) => !(Math.abs(a) <= 360)) || lat.some((a) => !(Math.abs(a) <= 90))) {
      throw fail(file, `2D coordinates "${lon2.name}"/"${lat2.name}" have missing or out-of-range values`, 'coordinates');
    }
    return curvilinear(lon, lat, nx, ny);
  }
  warnings.push(`no coordinates for "${xdim}"/"${ydim}"; placed on a unit grid with unknown CRS`);
  return { kind: 'regular', georef: makeGeoref({ nx, ny, x0: 0, y0: ny, dx: 1, dy: 1, crs: 'unknown' }), spacing: 'index', flip: { x: false, y: false } };
}

function curvilinear(lon: Float64Array, lat: Float64Array, nx: number, ny: number): Geometry {
  // Row 0 north: compare the mean latitude of the first and last rows.
  let first = 0;
  let last = 0;
  for (let c = 0; c < nx; c++) {
    first += lat[c]!;
    last += lat[(ny - 1) * nx + c]!;
  }
  const flipY = first < last;
  flipGrid(lon, nx, ny, false, flipY);
  flipGrid(lat, nx, ny, false, flipY);
  return { kind: 'curvilinear', coords: { nx, ny, lon, lat }, flipY };
}

/** CRS of a projected grid from its CF grid_mapping variable (epsg_code / EPSG:xxxx in spatial_ref), else unknown. */
function projectedCrs(h: NcHeader, v: NcVariable, warnings: string[]): string {
  const gm = textAttr(v, 'grid_mapping');
  const mapping = gm ? h.variables.find((x) => x.name === gm) : undefined;
  if (mapping) {
    const code = textAttr(mapping, 'epsg_code') ?? textAttr(mapping, 'EPSG');
    if (code) return /^EPSG:/i.test(code) ? code.toUpperCase() : `EPSG:${code}`;
    const wkt = textAttr(mapping, 'spatial_ref') ?? textAttr(mapping, 'crs_wkt') ?? '';
    const authority = /AUTHORITY\["EPSG","(\d+)"\]\]\s*$/.exec(wkt) ?? /ID\["EPSG",(\d+)\]\]\s*$/.exec(wkt);
    if (authority) return `EPSG:${authority[1]}`;
    if (typeof mapping.attributes['proj4'] === 'string') return mapping.attributes['proj4'];
  }
  warnings.push(`projected coordinates without a recognised grid_mapping; CRS unknown`);
  return 'unknown';
}

function timeAxis(bytes: Uint8Array, h: NcHeader, timeDim: string | undefined, timeUnits?: string): { times: Float64Array | null; note?: string } {
  if (timeDim === undefined) return { times: null };
  const coord = h.variables.find((x) => x.dims.length === 1 && x.dims[0] === timeDim && (x.name === timeDim || isTimeVariable(x)) && x.type !== 'char');
  if (!coord) return { times: null, note: `time dimension "${timeDim}" has no coordinate variable; frames are numbered` };
  const values = readNcValues(bytes, h, coord.name);
  let unitsText = timeUnits ?? textAttr(coord, 'units') ?? '';
  let note: string | undefined;
  if (!parseCfTimeUnits(unitsText) && !timeUnits) {
    // A common pre-CF layout: integer hour offsets plus a text reference time ("1996 01 05 00:00").
    const refVar = h.variables.find((x) => x.type === 'char' && /^(reftime|ref_time|reference_time|base_time)$/i.test(x.name));
    const ref = refVar ? readNcText(bytes, h, refVar.name) : '';
    if (ref && parseTimestampText(ref)) {
      unitsText = `hours since ${ref}`;
      note = `time "${coord.name}" has no units; assumed hours since ${refVar!.name} "${ref}" (UTC)`;
    }
  }
  const cf = parseCfTimeUnits(unitsText);
  if (!cf) return { times: null, note: `time "${coord.name}" units "${unitsText}" are not CF "<units> since <date>"; frames are numbered` };
  const calendar = (textAttr(coord, 'calendar') ?? 'standard').toLowerCase();
  if (!['standard', 'gregorian', 'proleptic_gregorian'].includes(calendar)) {
    throw fail(h.file, `time calendar "${calendar}" is not supported (standard, gregorian, proleptic_gregorian)`, coord.name);
  }
  return { times: Float64Array.from(values, (t) => cf.epochMs + t * cf.unitMs), note };
}

export async function readNetcdfGrid(path: string, options: NetcdfGridOptions = {}): Promise<NetcdfGrid> {
  const bytes = await readInputBytes(path);
  return parseNetcdfGrid(bytes, basename(path), options);
}

/** Header only (variables, dimensions, attributes), for `terra inspect`. */
export async function readNetcdfHeader(path: string): Promise<NcHeader> {
  return parseNetcdfHeader(await readInputBytes(path), basename(path));
}
