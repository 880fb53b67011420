/**
 * A built-in weather sample (or a synthetic scenario) over a built-in sample
 * site, set from the explorer rather than a scenario file. It builds the
 * weather scenario that the equivalent SCENARIO.json would hold (the sample's
 * files, units and times, or the synthetic source; the default downscaling
 * and mass-consistent wind) and prepares it
 * with the same checks as `terra weather` (src/weather/load.ts), so a grid
 * that does not cover the site is refused in the same words. It also records
 * each requested point's series as the run goes.
 */
import { TerraError } from '../api/errors';
import { WEATHER_RUN_MAX_FRAMES, type Params } from '../api/methods';
import type { SiteSummary, WeatherPointSeries } from '../api/types';
import type { Raster } from '../core/raster';
import { parseTimestampText, timestampToEpoch } from '../core/time';
import type { WeatherSample } from '../sites/weather-samples';
import { prepareWeather, type PreparedWeather } from './load';
import type { WeatherFrame } from './run';
import { weatherScenarioSchema } from './schema';

/** What the caller sets: weather.run's params less which site and sample, and where results travel. */
export type SiteWeatherParams = Pick<Params<'weather.run'>, 'start' | 'end' | 'points'>;

export interface SiteWeatherOptions {
  /** Write fields.zarr (the caller may stream frames instead). */
  fields: boolean;
}

export function siteWeather(site: SiteSummary, dem: Raster, sample: WeatherSample, params: SiteWeatherParams, options: SiteWeatherOptions): Promise<PreparedWeather> {
  const m = sample.manifest;
  const name = `${site.name}: ${m.name}`;
  const fail = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `${name}: ${field}: ${problem}`, { field });
  const epoch = (text: string, field: string) => {
    const parsed = parseTimestampText(text);
    if (!parsed) throw fail(field, `"${text}" is not an ISO 8601 time`);
    return timestampToEpoch(parsed, 'UTC');
  };
  const first = epoch(m.times.start, 'sample.times.start');
  const last = epoch(m.times.end, 'sample.times.end');
  const start = params.start ?? m.times.start;
  const end = params.end ?? m.times.end;
  const t0 = epoch(start, 'start');
  const t1 = epoch(end, 'end');
  const span = `${m.times.start} to ${m.times.end}`;
  if (t0 < first || t0 > last) throw fail('start', `${start} is outside the sample's ${span}`);
  if (t1 < first || t1 > last) throw fail('end', `${end} is outside the sample's ${span}`);
  if (t1 < t0) throw fail('end', `${end} is before start ${start}`);

  const variables = Object.fromEntries(Object.entries(m.variables).map(([key, v]) => [key, { file: v.file, units: v.units }]));
  const scenario = weatherScenarioSchema.parse({
    name,
    site: { dem: `site:${site.id}` },
    source: { type: 'grid', reference_elevation_m: m.reference_elevation_m, ...(m.fill_gaps_s ? { fill_gaps_s: m.fill_gaps_s } : {}), ...variables },
    times: { start, end, interval_s: m.times.interval_s },
    output: { points: params.points ?? [], fields: options.fields },
  });
  return prepareWeather(scenario, dem, { file: `site:${site.id}`, name, base: sample.dir });
}

/** weather.run's synthetic scenario (its `scenario` param). */
export type SiteSyntheticScenario = NonNullable<Params<'weather.run'>['scenario']>;

/**
 * A synthetic scenario over a sample site (weather.run with `scenario`): the
 * weather scenario file it stands for, a synthetic source with the scenario's
 * times, prepared with the same checks as `terra weather`. Errors name the
 * weather.run field (scenario.start, scenario.rain_cell.track, ...).
 */
export function siteSyntheticWeather(
  site: SiteSummary,
  dem: Raster,
  spec: SiteSyntheticScenario,
  params: Pick<SiteWeatherParams, 'points'>,
  options: SiteWeatherOptions,
): Promise<PreparedWeather> {
  const { name: given, start, end, interval_s, ...source } = spec;
  const name = `${site.name}: ${given ?? 'synthetic weather'}`;
  const fail = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `${name}: ${field}: ${problem}`, { field });
  const epoch = (text: string, field: string) => {
    const parsed = parseTimestampText(text);
    if (!parsed) throw fail(field, `"${text}" is not an ISO 8601 time`);
    return timestampToEpoch(parsed, 'UTC');
  };
  const t0 = epoch(start, 'scenario.start');
  const t1 = epoch(end, 'scenario.end');
  if (t1 < t0) throw fail('scenario.end', `${end} is before scenario.start ${start}`);
  const frames = Math.floor((t1 - t0) / (interval_s * 1000) + 1e-9) + 1;
  if (frames > WEATHER_RUN_MAX_FRAMES) throw fail('scenario.interval_s', `gives ${frames} frames, over the limit of ${WEATHER_RUN_MAX_FRAMES}; use a longer interval`);

  const scenario = weatherScenarioSchema.parse({
    name,
    site: { dem: `site:${site.id}` },
    source: { type: 'synthetic', ...source },
    times: { start, end, interval_s },
    output: { points: params.points ?? [], fields: options.fields },
  });
  return prepareWeather(scenario, dem, { file: `site:${site.id}`, name, base: '.', sourceField: 'scenario' });
}

/**
 * Each point's series, recorded from the run's frames at the point's cell:
 * what the frames carry (32-bit), times in epoch seconds as the streamed frames.
 */
export function pointRecorder(prepared: PreparedWeather): { series: WeatherPointSeries[]; record(frame: WeatherFrame): void } {
  const { nx } = prepared.georef;
  const requested = new Set(prepared.scenario.output.points.map((p) => p.name));
  const points = prepared.points.filter((p) => requested.has(p.name));
  const rains = prepared.outputs.includes('precipitation');
  const series = points.map(
    (p): WeatherPointSeries => ({
      name: p.name,
      x: p.x,
      y: p.y,
      col: p.cell % nx,
      row: Math.floor(p.cell / nx),
      time_s: [],
      temperature_c: [],
      pressure_pa: [],
      u_m_s: [],
      v_m_s: [],
      wind_speed_m_s: [],
      ...(rains ? { precipitation_mm_h: [] } : {}),
    }),
  );
  const at = (field: Float32Array | undefined, cell: number) => (field ? field[cell]! : NaN);
  const record = ({ time, fields }: WeatherFrame) =>
    points.forEach(({ cell }, i) => {
      const s = series[i]!;
      const u = at(fields.u, cell);
      const v = at(fields.v, cell);
      s.time_s.push(time / 1000);
      s.temperature_c.push(at(fields.temperature, cell));
      s.pressure_pa.push(at(fields.pressure, cell));
      s.u_m_s.push(u);
      s.v_m_s.push(v);
      s.wind_speed_m_s.push(Math.hypot(u, v));
      s.precipitation_mm_h?.push(at(fields.precipitation, cell));
    });
  return { series, record };
}
