/**
 * Loads and checks a weather scenario before any computation: schema, site
 * DEM (complete, with a CRS), times, the source (files, units, coverage of
 * the site and of the times), downscaling inputs and output points. Every
 * problem is a TerraError naming the scenario field (and file).
 */
import { basename, dirname, resolve } from 'node:path';
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { resolveCrs } from '../core/crs';
import { parseTimestampText, timestampToEpoch } from '../core/time';
import type { Raster } from '../core/raster';
import { readDem } from '../io/read-dem';
import { loadGridSource } from './grid-source';
import type { OutputName } from './outputs';
import type { PlacedPoint } from './point-writer';
import { weatherScenarioSchema, type WeatherScenario } from './schema';
import type { WeatherSource } from './source';
import { loadStationSource, type StationSource } from './station-source';
import { loadSyntheticSource } from './synthetic/source';
import { readJsonFile } from '../io/json-file';

export interface PreparedWeather {
  file: string;
  scenario: WeatherScenario;
  georef: Georeference;
  /** Terrain elevation (m), row 0 north, no nodata. */
  dem: Float32Array;
  /** Epoch ms of each output frame, increasing. */
  times: Float64Array;
  source: WeatherSource | StationSource;
  /** Fields the run writes, in order. */
  outputs: OutputName[];
  points: PlacedPoint[];
}

const MAX_FRAMES = 10000;

export async function loadWeatherScenario(file: string): Promise<PreparedWeather> {
  const name = basename(file);
  const fail = failIn(name, file);
  const json = await readJsonFile(file);
  const parsed = weatherScenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(issue.path.join('.') || '(root)', issue.message, { issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
  }
  const scenario = parsed.data;
  const base = dirname(resolve(file));
  const dem = await readDem(resolve(base, scenario.site.dem)).catch((err: unknown) => {
    throw err instanceof TerraError ? fail('site.dem', err.message) : err;
  });
  return prepareWeather(scenario, dem, { file, name, base });
}

/** Where a scenario came from: its file (or a stand-in such as "site:jacksboro"), the name errors start with, and the folder its paths are relative to. */
export interface WeatherOrigin {
  file: string;
  name: string;
  base: string;
  /** What errors call a synthetic source's fields (default "source"; weather.run's is "scenario"). */
  sourceField?: string;
}

/**
 * Checks a parsed scenario against its site DEM and loads its source: what
 * loadWeatherScenario does after reading the files, shared with scenarios
 * built in code (src/weather/site-weather.ts).
 */
export async function prepareWeather(scenario: WeatherScenario, dem: Raster, origin: WeatherOrigin): Promise<PreparedWeather> {
  const { file, name, base } = origin;
  const fail = failIn(name, file);
  const named = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      if (err instanceof TerraError) throw new TerraError(err.code, `${name}: ${err.message}`, { ...err.details, scenario: file });
      throw err;
    }
  };

  const { nx, ny } = dem.georef;
  const holes = dem.data.reduce((n, v) => n + (Number.isNaN(v) ? 1 : 0), 0);
  if (holes > 0) throw fail('site.dem', `${holes} nodata cells; fill or clip the DEM first (the wind layer needs every cell)`);
  if (dem.georef.crs === 'unknown') throw fail('site.dem', 'the DEM has no CRS, so weather data (longitude/latitude) cannot be placed on it; add a .prj or use a GeoTIFF');
  try {
    resolveCrs(dem.georef.crs);
  } catch (err) {
    throw fail('site.dem', (err as Error).message);
  }

  const times = scenarioTimes(scenario.times, fail);
  const lapseRate = scenario.downscaling.lapse_rate_K_per_km / 1000;
  const spec = scenario.source;
  const source =
    spec.type === 'grid'
      ? await named(loadGridSource(spec, base, dem.georef, times))
      : spec.type === 'stations'
        ? await named(loadStationSource(spec, base, dem.georef, dem.data, times, lapseRate))
        : await named(Promise.resolve().then(() => loadSyntheticSource(spec, dem.georef, times, origin.sourceField)));

  const has = (v: string) => source.variables.includes(v as never);
  const rh = scenario.downscaling.relative_humidity;
  if (rh !== undefined && has('relativeHumidity')) throw fail('downscaling.relative_humidity', 'the source has relative humidity already; give one or the other');
  if (rh !== undefined && !has('pressure')) throw fail('downscaling.relative_humidity', 'humidity over terrain needs a pressure field from the source');
  const outputs: OutputName[] = [];
  if (has('temperature')) outputs.push('temperature');
  if (has('pressure')) outputs.push('pressure');
  if (has('relativeHumidity') || rh !== undefined) outputs.push('relative_humidity', 'cloud_fraction');
  if (has('u')) outputs.push('u', 'v', 'wind_speed');
  else if (has('windSpeed')) outputs.push('wind_speed');
  if (has('precipitation')) outputs.push('precipitation');

  const points: PlacedPoint[] = [];
  const place = (p: { name: string; x: number; y: number }, field: string) => {
    const col = Math.floor((p.x - dem.georef.x0) / dem.georef.dx);
    const row = Math.floor((dem.georef.y0 - p.y) / dem.georef.dy);
    if (col < 0 || col >= nx || row < 0 || row >= ny) {
      const { x0, y0, dx, dy } = dem.georef;
      throw fail(field, `point (${p.x}, ${p.y}) is outside the site DEM (x ${x0}..${x0 + nx * dx}, y ${y0 - ny * dy}..${y0})`);
    }
    if (points.some((q) => q.name === p.name)) throw fail(field, `duplicate point name "${p.name}"`);
    points.push({ ...p, cell: row * nx + col });
  };
  source.points.forEach((p) => place(p, 'source (station)'));
  scenario.output.points.forEach((p, i) => place(p, `output.points.${i}`));

  return { file, scenario, georef: dem.georef, dem: dem.data, times, source, outputs, points };
}

function failIn(name: string, file: string) {
  return (field: string, problem: string, extra: Record<string, unknown> = {}) =>
    new TerraError('INVALID_PARAMS', `${name}: ${field}: ${problem}`, { file, field, ...extra });
}

function scenarioTimes(spec: WeatherScenario['times'], fail: (field: string, problem: string) => TerraError): Float64Array {
  const parse = (text: string, field: string) => {
    const p = parseTimestampText(text);
    if (!p) throw fail(field, `"${text}" is not an ISO 8601 time (e.g. 1996-01-06T00:00Z)`);
    return timestampToEpoch(p, 'UTC');
  };
  let times: number[];
  if (Array.isArray(spec)) {
    times = spec.map((t, i) => parse(t, `times.${i}`));
    times.forEach((t, i) => {
      if (i > 0 && !(t > times[i - 1]!)) throw fail(`times.${i}`, 'times must increase');
    });
  } else {
    const start = parse(spec.start, 'times.start');
    const end = parse(spec.end, 'times.end');
    if (end < start) throw fail('times.end', 'is before times.start');
    const step = spec.interval_s * 1000;
    const n = Math.floor((end - start) / step + 1e-9) + 1;
    if (n > MAX_FRAMES) throw fail('times.interval_s', `gives ${n} frames, over the limit of ${MAX_FRAMES}`);
    times = Array.from({ length: n }, (_, k) => start + k * step);
  }
  return Float64Array.from(times);
}
