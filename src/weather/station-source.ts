/**
 * A station weather source: one CSV per variable with a column per station,
 * a coordinate table placing the stations, and spatial interpolation (IDW or
 * ordinary kriging) onto the site grid, with leave-one-out cross-validation
 * against the station-mean baseline.
 *
 * Distances are metres: a site in longitude/latitude or Web Mercator is
 * interpolated in the UTM zone of its centre. Temperatures are reduced to
 * sea level with the scenario's lapse rate before interpolation (so valley
 * and hill stations compare like with like) and the downscaling brings them
 * back to each cell's elevation. Every station must lie on the site.
 */
import { resolve } from 'node:path';
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { metricCrsFor, resolveCrs, transformBetween, type Transform } from '../core/crs';
import { extentOf } from '../core/georef';
import { sampleBilinear } from '../core/sample';
import { formatIsoUtc } from '../core/time';
import { readStationCsv, readStationLocations, type StationLocation } from '../io/station-csv';
import { leaveOneOut, type CrossValidation } from './interpolate/cross-validate';
import { inverseDistance } from './interpolate/idw';
import { stationMean, type Interpolator } from './interpolate/interpolator';
import { ordinaryKriging } from './interpolate/kriging';
import { StationGridInterpolator } from './interpolate/station-grid';
import { empiricalVariogram, fitVariogram, type VariogramModel } from './interpolate/variogram';
import type { StationSourceSpec, StationVariableName } from './schema';
import type { OutputPoint, SourceFields, SourceVariable, WeatherSource } from './source';
import { bracket } from './time-bracket';
import { plausibleRange, toSi } from './variable-units';

export interface CrossValidationReport {
  /** SI units of the errors (K for temperatures at sea level, m/s for winds). */
  units: string;
  method: CrossValidation;
  baseline: CrossValidation;
  variogram?: VariogramModel;
  stations: string[];
}

export interface StationSource extends WeatherSource {
  crossValidation: Record<string, CrossValidationReport>;
}

/** Kriging solves a system of all stations per cell (n^2), IDW sums them (n). */
const MAX_STATIONS = { kriging: 100, idw: 2000 };

const KEYS: Record<StationVariableName, SourceVariable> = { temperature: 'temperature', wind_speed: 'windSpeed', u: 'u', v: 'v' };

interface StationVariable {
  key: SourceVariable;
  times: Float64Array;
  /** Per station, SI (temperatures at sea level). */
  series: Float64Array[];
  grid: StationGridInterpolator;
}

export async function loadStationSource(spec: StationSourceSpec, base: string, site: Georeference, dem: Float32Array, times: Float64Array, lapseRate: number): Promise<StationSource> {
  const fail = (field: string, problem: string, file?: string) => new TerraError('INVALID_PARAMS', `${field}: ${problem}`, { field, file });
  const inField = (field: string, err: unknown) => (err instanceof TerraError ? new TerraError(err.code, `${field}: ${err.message}`, { ...err.details, field }) : err);
  const locations = await readStationLocations(resolve(base, spec.locations)).catch((err: unknown) => {
    throw inField('source.locations', err);
  });
  const frame = metricFrame(site);
  const cells = metricCellCentres(site, frame.toMetric);
  const variables: StationVariable[] = [];
  const crossValidation: Record<string, CrossValidationReport> = {};
  const description: string[] = [];
  const warnings: string[] = [];
  const placed = new Map<string, OutputPoint>();
  const e = extentOf(site);

  for (const [i, s] of spec.series.entries()) {
    const field = `source.series.${i}`;
    const key = KEYS[s.variable];
    if (variables.some((v) => v.key === key)) throw fail(`${field}.variable`, `${s.variable} is given twice`);
    const series = await readStationCsv(resolve(base, s.file), { timeZone: s.time_zone }).catch((err: unknown) => {
      throw inField(field, err);
    });
    if (series.variables.length === 0) throw fail(field, `${series.file} has no numeric station columns`, s.file);
    const stations: StationLocation[] = [];
    const x = new Float64Array(series.variables.length);
    const y = new Float64Array(series.variables.length);
    const values: Float64Array[] = [];
    for (const [j, col] of series.variables.entries()) {
      const loc = locations.find((l) => l.code === col.name) ?? locations.find((l) => l.name === col.name);
      if (!loc) throw fail(field, `${series.file}: column "${col.name}" matches no station code or name in ${spec.locations}`, s.file);
      const [sx, sy] = frame.toSite.forward(loc.lon, loc.lat);
      if (!(sx >= e.xmin && sx <= e.xmax && sy >= e.ymin && sy <= e.ymax)) {
        throw fail(
          field,
          `station ${loc.code} (${loc.name}, ${latLon(loc.lat, loc.lon)}) lies outside the site DEM (x ${e.xmin}..${e.xmax}, y ${e.ymin}..${e.ymax} in ${site.crs}, station at ${sx.toFixed(1)}, ${sy.toFixed(1)})`,
          s.file,
        );
      }
      [x[j], y[j]] = frame.toMetric.forward(sx, sy);
      const z = sampleBilinear(dem, site.nx, site.ny, (sx - site.x0) / site.dx - 0.5, (site.y0 - sy) / site.dy - 0.5);
      const si = toSi(s.variable, col.unitsSource === 'header' ? col.units : '', s.units, series.file, field);
      const { range, si: unit } = plausibleRange(s.variable);
      const v = Float64Array.from(col.values, (raw, t) => {
        const value = raw * si.scale + si.offset;
        if (value === value && !(value >= range[0] && value <= range[1])) {
          throw fail(field, `${series.file}: ${col.name} at ${formatIsoUtc(series.times[t]!)} is ${value.toPrecision(6)} ${unit}, outside the plausible ${range[0]}..${range[1]} ${unit}; check the units`, s.file);
        }
        return s.variable === 'temperature' ? value + lapseRate * z : value;
      });
      stations.push(loc);
      values.push(v);
      placed.set(loc.code, { name: loc.code, x: sx, y: sy });
    }
    for (const t of times) {
      const b = bracket(series.times, t);
      if (typeof b === 'string') throw fail('times', `${series.file} covers too little: ${b}`, s.file);
      if (!values.some((v) => v[b.i0] === v[b.i0] && v[b.i1] === v[b.i1])) throw fail('times', `${series.file}: no station has a value at ${formatIsoUtc(t)}`, s.file);
    }
    const codes = stations.map((l) => l.code);
    const limit = MAX_STATIONS[spec.interpolation.method];
    if (codes.length > limit) {
      throw fail(field, `${series.file} has ${codes.length} stations; ${spec.interpolation.method} takes at most ${limit} (its cost grows with the stations per cell)`, s.file);
    }
    for (let a = 0; a < codes.length; a++) {
      for (let b = a + 1; b < codes.length; b++) {
        if (Math.hypot(x[a]! - x[b]!, y[a]! - y[b]!) < 1) throw fail(field, `${series.file}: columns ${series.variables[a]!.name} and ${series.variables[b]!.name} are at the same place (${codes[a]}); merge them`, s.file);
      }
    }
    let interp: Interpolator;
    let variogram: VariogramModel | undefined;
    if (spec.interpolation.method === 'kriging') {
      let fitted;
      try {
        fitted = fitVariogram(empiricalVariogram(x, y, values, spec.interpolation.bins), spec.interpolation.model);
      } catch (err) {
        throw inField(field, err);
      }
      variogram = { model: fitted.model, nugget: fitted.nugget, partialSill: fitted.partialSill, range: fitted.range };
      interp = ordinaryKriging(x, y, variogram);
    } else interp = inverseDistance(x, y, spec.interpolation.power);
    const cv: CrossValidationReport = {
      units: plausibleRange(s.variable).si,
      method: leaveOneOut(interp, x, y, values),
      baseline: leaveOneOut(stationMean(), x, y, values),
      variogram,
      stations: codes,
    };
    crossValidation[s.variable] = cv;
    variables.push({ key, times: series.times, series: values, grid: new StationGridInterpolator(interp, cells.x, cells.y, codes.length) });
    description.push(
      `${s.variable}: ${series.file}, ${codes.length} stations, ${interp.method}; leave-one-out RMSE ${cv.method.rmse.toPrecision(4)} ${cv.units} ` +
        `(bias ${cv.method.bias.toPrecision(3)}), station-mean baseline ${cv.baseline.rmse.toPrecision(4)} ${cv.units}`,
    );
    warnings.push(...series.warnings.map((w) => `${series.file}: ${w}`));
  }
  const keys = variables.map((v) => v.key);
  if (keys.includes('u') !== keys.includes('v')) throw fail('source.series', 'wind needs both u and v');

  return {
    kind: 'stations',
    referenceElevation: 0,
    variables: keys,
    description,
    warnings,
    points: [...placed.values()],
    crossValidation,
    fieldsAt(t) {
      const out: SourceFields = {};
      for (const v of variables) {
        const b = bracket(v.times, t) as Exclude<ReturnType<typeof bracket>, string>;
        const at = v.series.map((s) => s[b.i0]! + b.w * (s[b.i1]! - s[b.i0]!));
        const field = v.grid.apply(at);
        // Kriging weights can be negative: a speed must not be.
        if (v.key === 'windSpeed') for (let k = 0; k < field.length; k++) field[k] = Math.max(0, field[k]!);
        out[v.key] = field;
      }
      return out;
    },
  };
}

function latLon(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(4)} ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(4)} ${lon >= 0 ? 'E' : 'W'}`;
}

/** Transforms from WGS 84 to the site CRS, and from the site CRS to a metric CRS for distances. */
function metricFrame(site: Georeference): { toSite: Transform; toMetric: Transform } {
  const crs = resolveCrs(site.crs, { field: 'site.dem' });
  const toSite = transformBetween(resolveCrs('EPSG:4326'), crs);
  if (!crs.geographic && !crs.webMercator) return { toSite, toMetric: transformBetween(crs, crs) };
  const e = extentOf(site);
  const [lonMin, latMin] = toSite.inverse(e.xmin, e.ymin);
  const [lonMax, latMax] = toSite.inverse(e.xmax, e.ymax);
  return { toSite, toMetric: transformBetween(crs, resolveCrs(metricCrsFor(lonMin, lonMax, latMin, latMax))) };
}

function metricCellCentres(site: Georeference, toMetric: Transform): { x: Float64Array; y: Float64Array } {
  const n = site.nx * site.ny;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let r = 0; r < site.ny; r++) {
    for (let c = 0; c < site.nx; c++) {
      const k = r * site.nx + c;
      [x[k], y[k]] = toMetric.forward(site.x0 + (c + 0.5) * site.dx, site.y0 - (r + 0.5) * site.dy);
    }
  }
  return { x, y };
}
