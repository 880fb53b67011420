/**
 * A gridded weather source: one NetCDF field series per variable (regular or
 * curvilinear, any CRS), regridded onto the site grid (core/grid-mapping),
 * converted to SI and interpolated linearly in time. Everything the run will
 * read is checked here: coverage of the site, frames spanning the times,
 * no missing or implausible values in the frames used.
 */
import { resolve } from 'node:path';
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { coveringMapping, type FrameMapping } from '../core/grid-mapping';
import { formatIsoUtc } from '../core/time';
import type { Conversion } from '../core/units';
import { readDataset, type GridDataset } from '../io/open';
import { fillFramesLinear } from '../data/gapfill';
import { convergenceAngle, toGridAxes } from './grid-north';
import type { GridSourceSpec, GridVariableSpec } from './schema';
import type { SourceFields, SourceVariable, WeatherSource } from './source';
import { bracket } from './time-bracket';
import { plausibleRange, toSi } from './variable-units';

const FIELDS = [
  ['temperature', 'temperature'],
  ['pressure', 'pressure'],
  ['relative_humidity', 'relativeHumidity'],
  ['u', 'u'],
  ['v', 'v'],
] as const;

/** One variable of the source on the site grid. */
class GridVariable {
  private readonly cache = new Map<number, Float32Array>();

  constructor(
    readonly field: string,
    private readonly variable: string,
    private readonly d: GridDataset,
    private readonly map: FrameMapping,
    private readonly si: Conversion,
    private readonly site: Georeference,
  ) {}

  get times(): Float64Array {
    return this.d.times!;
  }

  /** Frame i on the site grid in SI units; a missing or implausible value is an error. */
  frame(i: number): Float32Array {
    let f = this.cache.get(i);
    if (f) return f;
    f = this.map(this.d.frames[i]!);
    const { scale, offset } = this.si;
    const { range, si } = plausibleRange(this.variable);
    let bad = -1;
    let count = 0;
    for (let k = 0; k < f.length; k++) {
      const v = f[k]! * scale + offset;
      f[k] = v;
      if (!(v >= range[0] && v <= range[1])) {
        count++;
        if (bad < 0) bad = k;
      }
    }
    if (bad >= 0) {
      const v = f[bad]!;
      const where = `row ${Math.floor(bad / this.site.nx)}, column ${bad % this.site.nx}`;
      const problem =
        v === v
          ? `value ${v.toPrecision(6)} ${si} at site ${where} is outside the plausible ${range[0]}..${range[1]} ${si} (${count} cells); check the units`
          : `no data over ${count} of ${f.length} site cells (first at ${where})`;
      throw new TerraError('INVALID_DATA', `${this.field}: ${this.d.file}: frame ${formatIsoUtc(this.times[i]!)}: ${problem}`, { file: this.d.path, field: this.field });
    }
    if (this.cache.size >= 3) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(i, f);
    return f;
  }

  /** The field at instant t (epoch ms), linear in time between frames. */
  at(t: number): Float32Array {
    const b = bracket(this.times, t);
    if (typeof b === 'string') throw new TerraError('INVALID_PARAMS', `${this.field}: ${this.d.file}: ${b}`, { field: this.field });
    const a = this.frame(b.i0);
    if (b.w === 0) return a.slice();
    const c = this.frame(b.i1);
    const out = new Float32Array(a.length);
    for (let k = 0; k < out.length; k++) out[k] = a[k]! + b.w * (c[k]! - a[k]!);
    return out;
  }
}

export async function loadGridSource(spec: GridSourceSpec, base: string, site: Georeference, times: Float64Array): Promise<WeatherSource> {
  const vars = new Map<SourceVariable, GridVariable>();
  const description: string[] = [];
  const warnings: string[] = [];
  for (const [name, key] of FIELDS) {
    const v = spec[name];
    if (v) vars.set(key, await loadVariable(name, v, `source.${name}`, base, site, description, warnings, spec.fill_gaps_s));
  }
  const fail = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `${field}: ${problem}`, { field });
  if (vars.size === 0) throw fail('source', 'names no variable (temperature, pressure, relative_humidity, u, v)');
  if (vars.has('u') !== vars.has('v')) throw fail(vars.has('u') ? 'source.v' : 'source.u', 'wind needs both u and v');
  if (vars.has('pressure') && !vars.has('temperature')) throw fail('source.temperature', 'pressure over terrain needs the temperature of the layer (hypsometric equation)');
  if (vars.has('relativeHumidity') && !vars.has('pressure')) throw fail('source.pressure', 'relative humidity over terrain needs pressure (the mixing ratio depends on it)');

  // Check every frame the times need, before any computation.
  for (const gv of vars.values()) {
    const needed = new Set<number>();
    for (const t of times) {
      const b = bracket(gv.times, t);
      if (typeof b === 'string') throw new TerraError('INVALID_PARAMS', `times: ${gv.field} covers too little: ${b}`, { field: 'times' });
      needed.add(b.i0);
      if (b.w > 0) needed.add(b.i1);
    }
    for (const i of needed) gv.frame(i);
  }
  const angle = vars.has('u') ? convergenceAngle(site) : 0;
  if (Math.abs(angle) > 1e-6) description.push(`winds turned ${((angle * 180) / Math.PI).toFixed(3)} deg from true to grid north`);
  return {
    kind: 'grid',
    referenceElevation: spec.reference_elevation_m,
    variables: [...vars.keys()],
    description,
    warnings,
    points: [],
    fieldsAt(t) {
      const out: SourceFields = {};
      for (const [key, gv] of vars) out[key] = gv.at(t);
      if (out.u && out.v) toGridAxes(out.u, out.v, angle);
      return out;
    },
  };
}

async function loadVariable(
  name: string,
  spec: GridVariableSpec,
  field: string,
  base: string,
  site: Georeference,
  description: string[],
  warnings: string[],
  fillGapsS: number | undefined,
): Promise<GridVariable> {
  const path = resolve(base, spec.file);
  const wrap = (err: unknown) => (err instanceof TerraError ? new TerraError(err.code, `${field}: ${err.message}`, { ...err.details, field }) : err);
  let d;
  try {
    d = await readDataset(path, { variable: spec.variable });
  } catch (err) {
    throw wrap(err);
  }
  if (d.kind !== 'grid') throw new TerraError('INVALID_PARAMS', `${field}: ${d.file} is a ${d.format} file, not a gridded field`, { file: path, field });
  if (!d.times || d.times.length === 0) throw new TerraError('INVALID_DATA', `${field}: ${d.file}: variable ${d.variable} has no time axis with known units`, { file: path, field });
  if (fillGapsS !== undefined) {
    const filled = fillFramesLinear(d.times, d.frames, fillGapsS * 1000);
    if (filled.report.filled > 0) {
      d.frames = filled.frames; // the dataset was read for this source alone
      warnings.push(`${d.file}: ${filled.report.filled} missing values filled linearly in time (gaps up to ${fillGapsS} s)`);
    }
  }
  const si = toSi(name, d.unitsSource === 'attribute' ? d.units : '', spec.units, d.file, field);
  let map: FrameMapping;
  try {
    map = coveringMapping(d.geometry, site, d.file, 'the site DEM');
  } catch (err) {
    throw wrap(err);
  }
  warnings.push(...d.warnings.filter((w) => !/has no units attribute/.test(w)).map((w) => `${d.file}: ${w}`));
  description.push(`${name}: ${d.file} variable ${d.variable} (${si.from}), ${d.times.length} frames ${formatIsoUtc(d.times[0]!)} to ${formatIsoUtc(d.times[d.times.length - 1]!)}`);
  return new GridVariable(field, name, d, map, si, site);
}
