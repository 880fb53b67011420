// Synthetic weather scenario files refused before any computation, each with
// an error naming the scenario field: a front that does not move, a rain
// cell whose track goes back in time, never comes near the site or rains
// only after the run, a crossing time that is not a time, and humidity given
// twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { loadWeatherScenario } from '../../../src/weather/load';
import { JACKSBORO, writeScenario } from '../../validation/atmosphere/helpers';

const dir = mkdtempSync(join(tmpdir(), 'terra-synthetic-bad-'));
const BASE = { temperature_c: 14, pressure_pa: 101_500, relative_humidity: 0.6, wind_speed_m_s: 6, wind_from_deg: 200 };
const FRONT = {
  towards_deg: 135,
  speed_m_s: 12,
  crossing_time: '2024-03-10T12:00Z',
  width_m: 5000,
  temperature_change_k: -8,
  wind_after: { speed_m_s: 11, from_deg: 300 },
};
// Jacksboro is in longitude/latitude: the track is too.
const CELL = { track: [{ t_s: 0, x: -84.3, y: 36.45 }, { t_s: 3600, x: -84.1, y: 36.5 }], radius_m: 3000, peak_mm_h: 40 };
const TIMES = { start: '2024-03-10T11:00Z', end: '2024-03-10T13:00Z', interval_s: 3600 };

async function refused(source: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const path = writeScenario(dir, 'bad.json', { name: 'bad', site: { dem: JACKSBORO }, source: { type: 'synthetic', base: BASE, ...source }, times: TIMES, ...extra });
  const err = await loadWeatherScenario(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TerraError);
  expect((err as TerraError).code).toBe('INVALID_PARAMS');
  return (err as Error).message;
}

describe('synthetic weather scenarios refused', () => {
  it('accepts the good one', async () => {
    const prepared = await loadWeatherScenario(writeScenario(dir, 'good.json', { name: 'good', site: { dem: JACKSBORO }, source: { type: 'synthetic', base: BASE, front: FRONT, rain_cell: CELL }, times: TIMES }));
    expect(prepared.outputs).toEqual(['temperature', 'pressure', 'relative_humidity', 'cloud_fraction', 'u', 'v', 'wind_speed', 'precipitation']);
    expect(prepared.source.warnings).toEqual([]);
  });

  it.each([
    ['a front with zero speed', { front: { ...FRONT, speed_m_s: 0 } }, /^bad\.json: source\.front\.speed_m_s: a positive speed \(m\/s\): a front that does not move never passes/],
    ['a track whose times decrease', { rain_cell: { ...CELL, track: [CELL.track[1], CELL.track[0]] } }, /^bad\.json: source\.rain_cell\.track\.1\.t_s: times must increase \(0 after 3600\)/],
    [
      'a cell that never nears the site',
      { rain_cell: { ...CELL, track: [{ t_s: 0, x: -90, y: 30 }, { t_s: 3600, x: -89, y: 30 }] } },
      /^bad\.json: source\.rain_cell\.track: the cell never comes within 3 radii \(9 km\) of the DEM/,
    ],
    [
      'a cell that rains only after the run',
      { rain_cell: { ...CELL, track: [{ ...CELL.track[0], t_s: 9000 }, { ...CELL.track[1], t_s: 12000 }] } },
      /^bad\.json: source\.rain_cell\.track: the cell rains from 9000 s to 12000 s after the start, but the run ends at 7200 s/,
    ],
    ['a crossing time that is not a time', { front: { ...FRONT, crossing_time: 'noon' } }, /^bad\.json: source\.front\.crossing_time: /],
    ['a wind from 400 deg', { base: { ...BASE, wind_from_deg: 400 } }, /^bad\.json: source\.base\.wind_from_deg: a bearing in degrees/],
    ['an unknown field', { front: { ...FRONT, speed: 3 } }, /^bad\.json: source\.front: /],
  ])('%s', async (_what, source, message) => {
    expect(await refused(source)).toMatch(message);
  });

  it('refuses humidity given twice (the synthetic source has its own)', async () => {
    expect(await refused({}, { downscaling: { relative_humidity: 0.8 } })).toMatch(/downscaling\.relative_humidity: the source has relative humidity already/);
  });

  it('warns of a front whose line stays off the site during the run', async () => {
    const path = writeScenario(dir, 'late.json', { name: 'late', site: { dem: JACKSBORO }, source: { type: 'synthetic', base: BASE, front: { ...FRONT, crossing_time: '2024-03-11T12:00Z' } }, times: TIMES });
    const prepared = await loadWeatherScenario(path);
    expect(prepared.source.warnings).toEqual([`the front's line stays off the site from 2024-03-10T11:00:00Z to 2024-03-10T13:00:00Z (it crosses the centre at 2024-03-11T12:00:00Z)`]);
  });
});
