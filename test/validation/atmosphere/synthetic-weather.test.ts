// Synthetic weather scenarios: a cold front and a moving rain cell, checked
// against hand-computed values. The front's profile at a point (base state far
// ahead, base + dT far behind, half-way when the line arrives at
// crossing + distance / speed, the trough's depth on the line); the same
// through a whole run on flat ground at the reference elevation (where the
// downscaling changes nothing) with the wind veering from before to after; a
// uniform wind left unchanged by the mass-consistent solve; a front over the
// real Jacksboro DEM made divergence-free; the rain a cell drops over the
// grid and frames against peak * pi * R^2 * T; and `terra weather` on a file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import { describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { makeGeoref } from '../../../src/core/georef';
import type { Raster } from '../../../src/core/raster';
import { writeGeoTiff } from '../../../src/io/geotiff-write';
import { loadWeatherScenario, prepareWeather } from '../../../src/weather/load';
import { runWeather, type WeatherFrame } from '../../../src/weather/run';
import { weatherScenarioSchema } from '../../../src/weather/schema';
import { airAcross, behindShare, distanceAhead, windFrom, type AirState, type Front } from '../../../src/weather/synthetic/front';
import { JACKSBORO, writeScenario } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'terra-synthetic-'));
const TC = Date.UTC(2024, 2, 10, 12); // the front crosses the site centre at 2024-03-10T12:00Z

/** 60 x 50 cells of 500 m in UTM 17N, centred on the zone's central meridian (grid north = true north), flat at `z` m. */
function flatSite(z = 0): Raster {
  const georef = makeGeoref({ nx: 60, ny: 50, x0: 485_000, y0: 4_012_500, dx: 500, dy: 500, crs: 'EPSG:32617' });
  return { georef, data: new Float32Array(60 * 50).fill(z), units: 'm' };
}

const BASE = { temperature_c: 14, pressure_pa: 101_500, relative_humidity: 0.6, wind_speed_m_s: 6, wind_from_deg: 200 };
const FRONT = {
  towards_deg: 90,
  speed_m_s: 12.5,
  crossing_time: '2024-03-10T12:00Z',
  width_m: 2000,
  temperature_change_k: -8,
  wind_after: { speed_m_s: 11, from_deg: 300 },
  pressure_trough_pa: 300,
  humidity_band: { relative_humidity: 0.97, width_m: 3000 },
};

async function runFlat(source: Record<string, unknown>, times: unknown, points: { name: string; x: number; y: number }[] = [], z = 0) {
  const scenario = weatherScenarioSchema.parse({ name: 'flat', site: { dem: 'flat.tif' }, source: { type: 'synthetic', ...source }, times, output: { points } });
  const prepared = await prepareWeather(scenario, flatSite(z), { file: 'flat.json', name: 'flat.json', base: dir });
  const frames: WeatherFrame[] = [];
  const out = mkdtempSync(join(dir, 'run-'));
  const summary = await runWeather(prepared, out, { onFrame: (f) => frames.push({ time: f.time, fields: { ...f.fields } }) });
  return { prepared, frames, summary, out };
}

/** Bearing (deg) the wind blows from, from grid components (grid north = true north here). */
const fromBearing = (u: number, v: number) => ((Math.atan2(-u, -v) * 180) / Math.PI + 360) % 360;

describe('front profile at a point', () => {
  const base: AirState = { temperatureK: 287.15, pressurePa: 101_500, relativeHumidity: 0.6, ...windFrom(6, 200) };
  const after = windFrom(11, 300);
  const front: Front = {
    speed: 12.5,
    crossingMs: TC,
    width: 2000,
    temperatureChange: -8,
    eastAfter: after.east,
    northAfter: after.north,
    relativeHumidityAfter: 0.6,
    troughDepth: 300,
  };
  // A point 7750 m downstream of the centre: the line reaches it 7750 / 12.5 = 620 s after crossing the centre.
  const along = 7750;
  const at = (dtS: number) => airAcross(base, front, distanceAhead(front, along, TC + dtS * 1000));

  it('is the base state far ahead and base + dT far behind (to 1e-9), half-way at crossing + distance / speed', () => {
    const ahead = at(-3 * 3600); // line 135 km + 7.75 km away: 71 widths
    const behind = at(3 * 3600);
    expect(Math.abs(ahead.temperatureK - 287.15)).toBeLessThan(1e-9);
    expect(Math.abs(behind.temperatureK - (287.15 - 8))).toBeLessThan(1e-9);
    expect(Math.abs(ahead.pressurePa - 101_500)).toBeLessThan(1e-9);
    const mid = at(620);
    expect(distanceAhead(front, along, TC + 620_000)).toBe(0);
    expect(Math.abs(mid.temperatureK - (287.15 - 4))).toBeLessThan(1e-9);
    // Half a width either side of the line: 1/2 (1 -+ tanh 1) of the change, 80 s before and after.
    expect(at(620 - 80).temperatureK - 287.15).toBeCloseTo(-8 * 0.5 * (1 - Math.tanh(1)), 12);
    expect(at(620 + 80).temperatureK - 287.15).toBeCloseTo(-8 * 0.5 * (1 + Math.tanh(1)), 12);
    expect(behindShare(0, 2000)).toBe(0.5);
  });

  it('has a trough of the stated depth on the line and veers the wind from 200 to 300 deg', () => {
    expect(Math.abs(at(620).pressurePa - (101_500 - 300))).toBeLessThan(1e-9);
    // 500 m ahead (40 s before): 300 sech^2(0.5) = 236.2 Pa; 7.5 km ahead: 300 sech^2(7.5) = 3.7e-4 Pa.
    expect(101_500 - at(620 - 40).pressurePa).toBeCloseTo(300 / Math.cosh(0.5) ** 2, 9);
    expect(101_500 - at(620 - 600).pressurePa).toBeCloseTo(3.67e-4, 6);
    const [a, b] = [at(-3 * 3600), at(3 * 3600)];
    expect(fromBearing(a.east, a.north)).toBeCloseTo(200, 9);
    expect(Math.hypot(a.east, a.north)).toBeCloseTo(6, 12);
    expect(fromBearing(b.east, b.north)).toBeCloseTo(300, 9);
    expect(Math.hypot(b.east, b.north)).toBeCloseTo(11, 12);
  });
});

describe('a cold front over flat ground at the reference elevation', () => {
  // P: cell (col 45, row 34), centre (507750, 3995250): 7750 m east of the site centre, so (moving east at 12.5 m/s) the line reaches it at 12:10:20Z.
  const P = { name: 'P', x: 507_750, y: 3_995_250 };
  const Q = { name: 'Q', x: 507_750, y: 4_010_250 }; // 15 km north of P, on the same north-south line
  const times = ['2024-03-10T09:00Z', '2024-03-10T12:10:20Z', '2024-03-10T15:00Z'];

  it('moves the temperature from base to base + dT, half-way at P when distance / speed says, the trough and moist band on the line', async () => {
    const { frames, summary, prepared, out } = await runFlat({ base: BASE, front: FRONT }, times, [P, Q]);
    expect(summary.status).toBe('completed');
    expect(summary.source).toBe('synthetic');
    expect(summary.variables).toEqual(['temperature', 'pressure', 'relative_humidity', 'cloud_fraction', 'u', 'v', 'wind_speed']);
    const [p, q] = prepared.points.map((pt) => pt.cell);
    expect(p).toBe(34 * 60 + 45);
    const [before, mid, after] = frames;
    // Fields are 32-bit: within 1e-4 K of the 64-bit values (the front's own are checked to 1e-9 above).
    expect(before!.fields.temperature!.every((t) => Math.abs(t - 14) < 1e-4)).toBe(true);
    expect(after!.fields.temperature!.every((t) => Math.abs(t - 6) < 1e-4)).toBe(true);
    expect(mid!.fields.temperature![p!]).toBeCloseTo(10, 4);
    expect(mid!.fields.temperature![q!]).toBeCloseTo(10, 4);
    expect(mid!.fields.pressure![p!]).toBeCloseTo(101_500 - 300, 1);
    expect(before!.fields.pressure!.every((x) => x === 101_500)).toBe(true);
    // The moist band: 0.97 on the line (saturation ratio above the critical 0.8: cloud/fog), 0.6 far from it.
    expect(mid!.fields.relative_humidity![p!]).toBeCloseTo(0.97, 5);
    expect(mid!.fields.cloud_fraction![p!]).toBeCloseTo(1 - Math.sqrt(0.03 / 0.2), 4);
    expect(before!.fields.cloud_fraction!.every((c) => c === 0)).toBe(true);
    // West of the line (behind it) is colder at the mid frame, east of it warmer.
    expect(mid!.fields.temperature![34 * 60 + 30]).toBeCloseTo(6, 3); // 7.5 km behind
    expect(mid!.fields.temperature![34 * 60 + 59]).toBeCloseTo(14, 3); // 7 km ahead

    // Before and after, the line is 100+ km off the site: a uniform wind, which the mass-consistent solve leaves as it is.
    expect(fromBearing(before!.fields.u![p!]!, before!.fields.v![p!]!)).toBeCloseTo(200, 4);
    expect(fromBearing(after!.fields.u![p!]!, after!.fields.v![p!]!)).toBeCloseTo(300, 4);
    expect(after!.fields.wind_speed![p!]).toBeCloseTo(11, 5);
    expect(summary.wind!.solves.map((s) => s.iterations)).toEqual([0, expect.any(Number), 0]);
    expect(summary.wind!.solves[1]!.max_divergence_m_s).toBeLessThan(1e-6);

    const rows = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time,point,temperature_degC,pressure_Pa,relative_humidity,cloud_fraction,u_m_s,v_m_s,wind_speed_m_s');
    const [time, name, tC] = rows[3]!.split(',');
    expect([time, name]).toEqual(['2024-03-10T12:10:20Z', 'P']);
    expect(Number(tC)).toBeCloseTo(10, 4);
  });

  it('leaves a uniform wind without a front exactly as given: the solve has nothing to remove', async () => {
    const { frames, summary } = await runFlat({ base: BASE }, ['2024-03-10T12:00Z'], [], 250);
    const w = windFrom(6, 200);
    const u = frames[0]!.fields.u!;
    const v = frames[0]!.fields.v!;
    expect(summary.wind!.solves[0]!.iterations).toBe(0);
    expect(u.every((x) => x === Math.fround(w.east))).toBe(true);
    expect(v.every((x) => x === Math.fround(w.north))).toBe(true);
    // 250 m above the reference: 6.5 K/km cooler everywhere.
    expect(frames[0]!.fields.temperature![0]).toBeCloseTo(14 - 0.0065 * 250, 4);
  });
});

describe('a front over the Jacksboro DEM (403 x 344 cells, 236-1076 m)', () => {
  it('is downscaled to the terrain and its wind made divergence-free (max |div(H u)| < 1e-6 m/s)', { timeout: 120_000 }, async () => {
    // Moving south-east (135 deg), the line crosses the site centre at 12:00Z.
    const file = writeScenario(dir, 'jacksboro-front.json', {
      name: 'jacksboro cold front',
      site: { dem: JACKSBORO },
      source: { type: 'synthetic', base: BASE, front: { ...FRONT, towards_deg: 135, width_m: 5000, humidity_band: { relative_humidity: 0.9, width_m: 8000 } } },
      times: { start: '2024-03-10T11:30Z', end: '2024-03-10T12:30Z', interval_s: 1800 },
    });
    const prepared = await loadWeatherScenario(file);
    const summary = await runWeather(prepared, join(dir, 'jacksboro-out'), {
      onFrame: ({ time, fields }) => {
        if (time !== TC) return;
        // A cell far behind the line (north-west corner, ~22 km behind): base + dT, down 6.5 K/km to the cell.
        const z = prepared.dem[0]!;
        expect(fields.temperature![0]).toBeCloseTo(14 - 8 - 0.0065 * z, 3);
        // The moist band on the heights: cloud somewhere along the line.
        expect(fields.cloud_fraction!.some((c) => c > 0.5)).toBe(true);
      },
    });
    console.log(`[synthetic] Jacksboro front: ${summary.wind!.solves.map((s) => `${s.iterations} it, div ${s.initial_max_divergence_m_s.toExponential(1)} -> ${s.max_divergence_m_s.toExponential(1)} m/s`).join('; ')}`);
    expect(summary.frames_written).toBe(3);
    for (const s of summary.wind!.solves) {
      expect(s.converged).toBe(true);
      expect(s.initial_max_divergence_m_s).toBeGreaterThan(0.5);
      expect(s.max_divergence_m_s).toBeLessThan(1e-6);
    }
  });
});

describe('a moving rain cell', () => {
  // R = 1500 m, 72 mm/h, from 600 s to 3000 s after the start, its centre at least 4 R from every edge.
  const cell = {
    track: [
      { t_s: 600, x: 491_000, y: 3_996_000 },
      { t_s: 3000, x: 509_000, y: 4_004_000 },
    ],
    radius_m: 1500,
    peak_mm_h: 72,
  };

  it('drops peak * pi * R^2 * T over the grid and frames (within 1e-5), and writes precipitation everywhere', async () => {
    const { frames, summary, prepared, out } = await runFlat(
      { base: BASE, rain_cell: cell },
      { start: '2024-03-10T12:00Z', end: '2024-03-10T12:50Z', interval_s: 60 },
      [{ name: 'start', x: 491_000 + 250, y: 3_996_000 - 250 }],
    );
    expect(summary.variables.at(-1)).toBe('precipitation');
    expect(frames).toHaveLength(51);
    // Left Riemann sum over the run's intervals: frames at 600..2940 s rain 60 s each, 40 x 60 s = the 2400 s the cell lasts.
    const area = 500 * 500;
    let volume = 0;
    for (const f of frames.slice(0, -1)) for (const r of f.fields.precipitation!) volume += (r / 3.6e6) * area * 60;
    const expected = (72 / 3.6e6) * Math.PI * 1500 ** 2 * 2400;
    console.log(`[synthetic] rain cell: ${volume.toFixed(3)} m3 over the frames, analytic ${expected.toFixed(3)} m3`);
    expect(Math.abs(volume - expected) / expected).toBeLessThan(1e-5);
    expect(frames[9]!.fields.precipitation!.every((r) => r === 0)).toBe(true); // 540 s: not yet
    // At 600 s the centre is at the corner of four cells, each 250 m x 250 m off it: 72 exp(-(250 sqrt 2 / 1500)^2).
    const p = prepared.points[0]!.cell;
    expect(frames[10]!.fields.precipitation![p]).toBeCloseTo(72 * Math.exp(-(((250 * Math.SQRT2) / 1500) ** 2)), 4);

    const rows = readFileSync(join(out, 'points.csv'), 'utf8').trim().split('\n');
    expect(rows[0]!.endsWith(',wind_speed_m_s,precipitation_mm_h')).toBe(true);
    expect(Number(rows[11]!.split(',').at(-1))).toBeCloseTo(frames[10]!.fields.precipitation![p]!, 4);
    const root = zarr.root(new FileSystemStore(join(out, 'fields.zarr')));
    const arr = await zarr.open(root.resolve('precipitation'), { kind: 'array' });
    expect(arr.shape).toEqual([51, 50, 60]);
    expect(arr.attrs.units).toBe('mm h-1');
  });
});

describe('terra weather on a synthetic scenario file', () => {
  it('runs it and writes precipitation with the other fields', { timeout: 60_000 }, async () => {
    const site = flatSite(120);
    await writeGeoTiff(join(dir, 'flat.tif'), site);
    const file = writeScenario(dir, 'cli.json', {
      name: 'cli front and cell',
      site: { dem: 'flat.tif' },
      source: { type: 'synthetic', base: BASE, front: FRONT, rain_cell: { track: [{ t_s: 0, x: 495_000, y: 4_000_000 }, { t_s: 1800, x: 505_000, y: 4_000_000 }], radius_m: 2000, peak_mm_h: 30 } },
      times: { start: '2024-03-10T11:45Z', end: '2024-03-10T12:15Z', interval_s: 900 },
    });
    const out = join(dir, 'cli-out');
    const run = spawnSync(process.execPath, [new URL('../../../bin/terra.js', import.meta.url).pathname, 'weather', file, '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/cold front moving towards 90 deg at 12\.5 m\/s/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'completed', source: 'synthetic', frames_written: 3 });
    expect(summary.variables).toEqual(['temperature', 'pressure', 'relative_humidity', 'cloud_fraction', 'u', 'v', 'wind_speed', 'precipitation']);
  });
});
