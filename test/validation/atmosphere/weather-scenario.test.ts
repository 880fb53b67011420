// Weather scenarios end to end on real data: the January 1996 blizzard
// (NetCDF, 2.5 x 1.25 degree grid) over the Jacksboro DEM, checked against a
// bilinear interpolation of the source cells done here by hand, downscaled
// and made mass-consistent; the Irish wind stations kriged onto a grid over
// Ireland; and Ctrl-C on `terra weather` leaving valid partial outputs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { readDataset, type GridDataset } from '../../../src/io/open';
import { loadWeatherScenario, type PreparedWeather } from '../../../src/weather/load';
import { runWeather } from '../../../src/weather/run';
import type { StationSource } from '../../../src/weather/station-source';
import { irelandSite, JACKSBORO, STORM, STORM_SOURCE, WEATHER, writeScenario } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'terra-weather-'));
const T0 = Date.UTC(1996, 0, 6, 0);
const HOUR = 3600e3;

/** Bilinear interpolation of a storm frame at (lon, lat), by hand: centres at -140 + 2.5 i E, 60 - 1.25 j N. */
function stormAt(d: GridDataset, frame: number, lon: number, lat: number): number {
  const fc = (lon + 140) / 2.5;
  const fr = (60 - lat) / 1.25;
  const c = Math.floor(fc);
  const r = Math.floor(fr);
  const tx = fc - c;
  const ty = fr - r;
  const v = (rr: number, cc: number) => d.frames[frame]![rr * 36 + cc]!;
  return (1 - ty) * ((1 - tx) * v(r, c) + tx * v(r, c + 1)) + ty * ((1 - tx) * v(r + 1, c) + tx * v(r + 1, c + 1));
}

describe('the 1996 blizzard over Jacksboro', () => {
  let prepared: PreparedWeather;
  let temperature: GridDataset;
  const frameOf = (t: number) => Math.round((t - Date.UTC(1996, 0, 5)) / (6 * HOUR));

  beforeAll(async () => {
    prepared = await loadWeatherScenario(
      writeScenario(dir, 'storm.json', {
        name: 'blizzard',
        site: { dem: JACKSBORO },
        source: STORM_SOURCE,
        times: { start: '1996-01-06T00:00Z', end: '1996-01-06T06:00Z', interval_s: 10800 },
        downscaling: { relative_humidity: 0.85 },
        output: { points: [{ name: 'summit', x: -84.2, y: 36.6 }] },
      }),
    );
    temperature = (await readDataset(`${STORM}Tstorm.cdf`)) as GridDataset;
  });

  it('regrids the source onto the site as a bilinear interpolation of the surrounding cells, linear in time', () => {
    const g = prepared.georef;
    for (const t of [T0, T0 + 6 * HOUR]) {
      const field = prepared.source.fieldsAt(t).temperature!;
      for (const k of [0, 12345, 70000, g.nx * g.ny - 1]) {
        const lon = g.x0 + ((k % g.nx) + 0.5) * g.dx;
        const lat = g.y0 - (Math.floor(k / g.nx) + 0.5) * g.dy;
        expect(field[k]).toBeCloseTo(stormAt(temperature, frameOf(t), lon, lat), 3);
      }
    }
    const mid = prepared.source.fieldsAt(T0 + 3 * HOUR).temperature![5000]!;
    const [a, b] = [T0, T0 + 6 * HOUR].map((t) => prepared.source.fieldsAt(t).temperature![5000]!);
    expect(mid).toBeCloseTo((a! + b!) / 2, 4);
  });

  it('writes downscaled fields, a mass-consistent wind and the point series', async () => {
    const out = join(dir, 'storm-out');
    const summary = await runWeather(prepared, out);
    expect(summary.status).toBe('completed');
    expect(summary.frames_written).toBe(3);
    expect(summary.variables).toEqual(['temperature', 'pressure', 'relative_humidity', 'cloud_fraction', 'u', 'v', 'wind_speed']);
    for (const s of summary.wind!.solves) {
      expect(s.converged).toBe(true);
      expect(s.max_divergence_m_s).toBeLessThan(1e-6);
      expect(s.initial_max_divergence_m_s).toBeGreaterThan(0.5);
    }
    console.log(`[weather] blizzard: ${summary.wind!.solves.map((s) => `${s.iterations} it, div ${s.max_divergence_m_s.toExponential(1)} m/s`).join('; ')}`);

    // The point's temperature: the source, bilinear at the site cell, 6.5 K/km down to the cell's elevation.
    const rows = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time,point,temperature_degC,pressure_Pa,relative_humidity,cloud_fraction,u_m_s,v_m_s,wind_speed_m_s');
    expect(rows).toHaveLength(4);
    const g = prepared.georef;
    const cell = prepared.points[0]!.cell;
    const lon = g.x0 + ((cell % g.nx) + 0.5) * g.dx;
    const lat = g.y0 - (Math.floor(cell / g.nx) + 0.5) * g.dy;
    const z = prepared.dem[cell]!;
    const [time, name, tC, pPa, rh, cloud] = rows[3]!.split(',');
    expect([time, name]).toEqual(['1996-01-06T06:00:00Z', 'summit']);
    expect(Number(tC)).toBeCloseTo(stormAt(temperature, frameOf(T0 + 6 * HOUR), lon, lat) - 0.0065 * z - 273.15, 3);
    expect(Number(pPa)).toBeLessThan(101000); // 600+ m above sea level
    expect(Number(rh)).toBeGreaterThan(0.85); // cooler than sea level: closer to saturation
    expect(Number(cloud)).toBeGreaterThan(0);

    const root = zarr.root(new FileSystemStore(join(out, 'fields.zarr')));
    const arr = await zarr.open(root.resolve('wind_speed'), { kind: 'array' });
    expect(arr.shape).toEqual([3, g.ny, g.nx]);
    const frame = await zarr.get(arr, [2, null, null]);
    expect((frame.data as Float32Array).every((v) => v > 0 && v < 60)).toBe(true);
    const times = await zarr.get(await zarr.open(root.resolve('time'), { kind: 'array' }));
    expect(Array.from(times.data as Float64Array)).toEqual([0, 10800, 21600]);
  });

  it('stops on Ctrl-C and leaves valid outputs with the frames finished', async () => {
    const scenario = writeScenario(dir, 'long.json', {
      name: 'blizzard-long',
      site: { dem: JACKSBORO },
      source: { ...STORM_SOURCE, temperature: undefined, pressure: undefined },
      times: { start: '1996-01-09T12:00Z', end: '1996-01-14T00:00Z', interval_s: 10800 },
      output: { points: [{ name: 'summit', x: -84.2, y: 36.6 }] },
    });
    const out = join(dir, 'long-out');
    const child = spawn(process.execPath, [new URL('../../../bin/terra.js', import.meta.url).pathname, 'weather', scenario, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && /\n {2}10%/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(interrupted).toBe(true);
    expect(code, stderr).toBe(130);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('cancelled');
    expect(summary.frames_planned).toBe(37);
    expect(summary.frames_written).toBeGreaterThanOrEqual(3);
    expect(summary.frames_written).toBeLessThan(37);
    const root = zarr.root(new FileSystemStore(join(out, 'fields.zarr')));
    expect((await zarr.open(root.resolve('u'), { kind: 'array' })).shape[0]).toBe(summary.frames_written);
    const times = await zarr.get(await zarr.open(root.resolve('time'), { kind: 'array' }));
    expect(times.shape).toEqual([summary.frames_written]);
    expect(readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + summary.frames_written);
  });
});

describe('the Irish wind stations kriged over Ireland', () => {
  it('interpolates onto the grid, honours the stations and reports the cross-validation', async () => {
    await irelandSite(dir);
    const prepared = await loadWeatherScenario(
      writeScenario(dir, 'ireland.json', {
        name: 'ireland',
        site: { dem: 'ireland.tif' },
        source: { type: 'stations', locations: `${WEATHER}wind_ireland_loc.csv`, series: [{ variable: 'wind_speed', file: `${WEATHER}wind_ireland.csv`, units: 'kn' }] },
        times: { start: '1961-01-01', end: '1961-01-10', interval_s: 86400 },
      }),
    );
    const cv = (prepared.source as StationSource).crossValidation.wind_speed!;
    console.log(
      `[weather] Ireland: ${cv.method.method} leave-one-out RMSE ${cv.method.rmse.toFixed(3)} m/s (bias ${cv.method.bias.toFixed(3)}) vs station mean ${cv.baseline.rmse.toFixed(3)} m/s`,
    );
    expect(cv.method.rmse).toBeLessThan(0.9 * cv.baseline.rmse);
    const out = join(dir, 'ireland-out');
    const summary = await runWeather(prepared, out);
    expect(summary.frames_written).toBe(10);
    expect(summary.variables).toEqual(['wind_speed']);
    expect(summary.cross_validation!.wind_speed!.method.rmse).toBe(cv.method.rmse);
    // Each station's cell (5 km) carries about the station's own value: kriging is exact at a station
    // and the field varies by ~1 m/s per 100 km.
    const rows = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(10 * 12);
    const observed = readFileSync(`${WEATHER}wind_ireland.csv`, 'utf8').split('\n');
    const header = observed[0]!.split(',');
    for (const row of rows.slice(0, 12)) {
      const [, station, speed] = row.split(',');
      const knots = Number(observed[1]!.split(',')[header.indexOf(station!)]);
      expect(Math.abs(Number(speed) - knots * (1852 / 3600))).toBeLessThan(0.3);
    }
  });
});
