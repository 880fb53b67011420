/**
 * A synthetic weather source: a uniform base state at the reference
 * elevation, optionally a front passing over the site (front.ts) and a moving
 * rain cell (../rain-cell.ts), evaluated on the site grid at any instant.
 * The run downscales these fields to the terrain like any other source's.
 *
 * Distances are metres in the grid's flat local frame (dxMetres, dyMetres per
 * cell), as the rain cell and the flood solver use, also on geographic grids.
 * Bearings are from true north and turned to grid north like gridded winds.
 * Rain-cell track times are seconds from the first output time, the same
 * timeline as a flood.run.
 */
import type { z } from 'zod';
import { TerraError } from '../../api/errors';
import type { syntheticWeatherSpec } from '../../api/methods';
import type { Georeference } from '../../api/types';
import { formatIsoUtc, parseTimestampText, timestampToEpoch } from '../../core/time';
import { KELVIN } from '../../physics/atmosphere/constants';
import { convergenceAngle, toGridAxes } from '../grid-north';
import { rainCellField, rainCellProblems } from '../rain-cell';
import type { SourceFields, SourceVariable, WeatherSource } from '../source';
import { airAcross, distanceAhead, windFrom, type AirState, type Front } from './front';

export type SyntheticWeather = z.infer<typeof syntheticWeatherSpec>;

/**
 * Checks the spec against the site and the times, before any computation:
 * the front's crossing time, the rain cell's track (increasing times, passing
 * near the site, raining during the run). Errors name the field under
 * `field` ("source" in a scenario file, "scenario" in weather.run).
 */
export function loadSyntheticSource(spec: SyntheticWeather, site: Georeference, times: Float64Array, field = 'source'): WeatherSource {
  const fail = (f: string, problem: string) => new TerraError('INVALID_PARAMS', `${field}.${f}: ${problem}`, { field: `${field}.${f}` });
  const start = times[0]!;
  const end = times[times.length - 1]!;
  const b = spec.base;
  const wind0 = windFrom(b.wind_speed_m_s, b.wind_from_deg);
  const base: AirState = { temperatureK: b.temperature_c + KELVIN, pressurePa: b.pressure_pa, relativeHumidity: b.relative_humidity, ...wind0 };
  const referenceElevation = spec.reference_elevation_m ?? 0;
  const description = [
    `synthetic base state at ${referenceElevation} m: ${b.temperature_c} degC, ${b.pressure_pa} Pa, relative humidity ${b.relative_humidity}, wind ${b.wind_speed_m_s} m/s from ${b.wind_from_deg} deg`,
  ];
  const warnings: string[] = [];
  const angle = convergenceAngle(site);

  let front: Front | undefined;
  let along: Float64Array | undefined;
  if (spec.front) {
    const f = spec.front;
    const parsed = parseTimestampText(f.crossing_time);
    if (!parsed) throw fail('front.crossing_time', `"${f.crossing_time}" is not an ISO 8601 time (e.g. 2024-03-10T12:00Z)`);
    const after = windFrom(f.wind_after.speed_m_s, f.wind_after.from_deg);
    front = {
      speed: f.speed_m_s,
      crossingMs: timestampToEpoch(parsed, 'UTC'),
      width: f.width_m,
      temperatureChange: f.temperature_change_k,
      eastAfter: after.east,
      northAfter: after.north,
      relativeHumidityAfter: f.relative_humidity_after ?? b.relative_humidity,
      troughDepth: f.pressure_trough_pa ?? 0,
      band: f.humidity_band && { relativeHumidity: f.humidity_band.relative_humidity, width: f.humidity_band.width_m },
    };
    along = alongMotion(site, ((f.towards_deg * Math.PI) / 180) + angle);
    const kind = f.temperature_change_k < 0 ? 'cold' : f.temperature_change_k > 0 ? 'warm' : 'isothermal';
    description.push(
      `${kind} front moving towards ${f.towards_deg} deg at ${f.speed_m_s} m/s, crossing the site centre at ${formatIsoUtc(front.crossingMs)}: ` +
        `${f.temperature_change_k} K over ${f.width_m} m, wind after ${f.wind_after.speed_m_s} m/s from ${f.wind_after.from_deg} deg, trough ${front.troughDepth} Pa`,
    );
    // A line that stays off the site is a valid but probably unintended scenario.
    let lo = Infinity;
    let hi = -Infinity;
    for (const a of along) [lo, hi] = [Math.min(lo, a), Math.max(hi, a)];
    const s0 = distanceAhead(front, 0, start);
    const s1 = distanceAhead(front, 0, end);
    if (s1 > hi + f.width_m || s0 < lo - f.width_m) {
      warnings.push(`the front's line stays off the site from ${formatIsoUtc(start)} to ${formatIsoUtc(end)} (it crosses the centre at ${formatIsoUtc(front.crossingMs)})`);
    }
  }

  let rain: ((t: number, out: Float64Array) => Float64Array) | undefined;
  if (spec.rain_cell) {
    const cell = spec.rain_cell;
    const problem = rainCellProblems(cell, site)[0];
    if (problem) throw fail(`rain_cell.${problem.field}`, problem.problem);
    const first = cell.track[0]!.t_s;
    const last = cell.track[cell.track.length - 1]!.t_s;
    const span = (end - start) / 1000;
    if (first > span) throw fail('rain_cell.track', `the cell rains from ${first} s to ${last} s after the start, but the run ends at ${span} s: no rain would fall during it`);
    rain = rainCellField(cell, site);
    description.push(`rain cell: ${cell.peak_mm_h} mm/h peak, radius ${cell.radius_m} m, from ${first} s to ${last} s after ${formatIsoUtc(start)}`);
  }

  const n = site.nx * site.ny;
  const rainScratch = new Float64Array(n);
  const variables: SourceVariable[] = ['temperature', 'pressure', 'relativeHumidity', 'u', 'v'];
  if (rain) variables.push('precipitation');
  return {
    kind: 'synthetic',
    referenceElevation,
    variables,
    description,
    warnings,
    points: [],
    fieldsAt(t) {
      const temperature = new Float32Array(n);
      const pressure = new Float32Array(n);
      const relativeHumidity = new Float32Array(n);
      const u = new Float32Array(n);
      const v = new Float32Array(n);
      for (let k = 0; k < n; k++) {
        const air = front && along ? airAcross(base, front, distanceAhead(front, along[k]!, t)) : base;
        temperature[k] = air.temperatureK;
        pressure[k] = air.pressurePa;
        relativeHumidity[k] = air.relativeHumidity;
        u[k] = air.east;
        v[k] = air.north;
      }
      toGridAxes(u, v, angle);
      const out: SourceFields = { temperature, pressure, relativeHumidity, u, v };
      if (rain) out.precipitation = Float32Array.from(rain((t - start) / 1000, rainScratch), (r) => r * 3.6e6); // m/s -> mm/h
      return out;
    },
  };
}

/** Each cell centre's distance (m) from the grid's centre along the grid bearing `bearing` (radians clockwise from grid north). */
function alongMotion(g: Georeference, bearing: number): Float64Array {
  const kx = g.dxMetres / g.dx;
  const ky = g.dyMetres / g.dy;
  const ex = Math.sin(bearing);
  const ey = Math.cos(bearing);
  const cx = g.x0 + (g.nx * g.dx) / 2;
  const cy = g.y0 - (g.ny * g.dy) / 2;
  const out = new Float64Array(g.nx * g.ny);
  for (let j = 0; j < g.ny; j++) {
    const dy = (g.y0 - (j + 0.5) * g.dy - cy) * ky * ey;
    for (let i = 0; i < g.nx; i++) out[j * g.nx + i] = (g.x0 + (i + 0.5) * g.dx - cx) * kx * ex + dy;
  }
  return out;
}
