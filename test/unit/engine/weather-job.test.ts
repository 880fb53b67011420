// weather.run as an engine job on the real January 1996 storm: the sample's fields over a sample
// site, streamed frame by frame as typed arrays; lost frames filled in time; a grid that does not
// cover the site refused; cancel stops it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraError } from '../../../src/api/errors';
import type { FieldFrame } from '../../../src/api/protocol';
import { inProcessClient } from './in-process-client';

const HOUR = 3600;
/** 1996-01-09T00:00Z in epoch seconds: frame 16 of the storm; frame 17 (06Z) is lost in Tstorm.cdf and Vstorm.cdf. */
const T16 = Date.UTC(1996, 0, 9) / 1000;

async function rejection(p: Promise<unknown>): Promise<TerraError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TerraError);
  return err as TerraError;
}

describe('weather.list', () => {
  it('lists the January 1996 storm with its span and variables', async () => {
    const list = await inProcessClient().call('weather.list', {});
    expect(list.map((s) => s.id)).toEqual(['storm-jan1996']);
    expect(list[0]).toMatchObject({ start: '1996-01-05T00:00Z', end: '1996-01-20T18:00Z', interval_s: 21600, variables: ['temperature', 'pressure', 'u', 'v'] });
  });
});

describe('weather.run job', () => {
  it('streams temperature, pressure, u and v on the site grid at each 6-hourly time; point series are the frame values', { timeout: 60_000 }, async () => {
    const client = inProcessClient();
    const frames: FieldFrame[] = [];
    const fractions: number[] = [];
    const result = await client.call(
      'weather.run',
      { site: 'jacksboro', start: '1996-01-09T00:00Z', end: '1996-01-09T12:00Z', points: [{ name: 'ridge', x: -84.2, y: 36.6 }] },
      { onProgress: (p) => (p.frame ? frames.push(p.frame) : p.fraction !== null && fractions.push(p.fraction)) },
    );
    expect(result.summary.status).toBe('completed');
    expect(frames.map((f) => f.time)).toEqual([T16, T16 + 6 * HOUR, T16 + 12 * HOUR]);
    for (const f of frames) {
      expect(Object.keys(f.fields).sort()).toEqual(['pressure', 'temperature', 'u', 'v']);
      for (const a of Object.values(f.fields)) {
        expect(a).toBeInstanceOf(Float32Array);
        expect(a.length).toBe(403 * 344);
      }
    }
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);

    // Frame 17 was lost in the files and filled halfway between 16 and 18; the lapse rate is linear, so the downscaled field is too.
    const [a, b, c] = frames.map((f) => f.fields.temperature!);
    for (const k of [0, 5000, 70000, 138631]) expect(b![k]).toBeCloseTo((a![k]! + c![k]!) / 2, 3);
    // Downscaled: the colder the higher (one frame's spread is mostly the 840 m of relief x 6.5 K/km).
    const t = a!;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of t) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect(hi - lo).toBeGreaterThan(4);
    expect(hi - lo).toBeLessThan(12);
    // Pressure in Pa at 236-1076 m above sea level.
    for (const p of frames[0]!.fields.pressure!) {
      expect(p).toBeLessThan(101000);
      expect(p).toBeGreaterThan(85000);
    }

    expect(result.summary.wind).toMatchObject({ converged: true, lid_depth_m: 1000 });
    expect(result.summary.wind!.max_divergence_m_s).toBeLessThan(1e-6);
    expect(result.summary.warnings.join('\n')).toMatch(/Tstorm\.cdf: \d+ missing values filled linearly in time/);

    const [point] = result.points;
    expect(point!.time_s).toEqual(frames.map((f) => f.time));
    const cell = point!.row * 403 + point!.col;
    expect(point!.temperature_c).toEqual(frames.map((f) => f.fields.temperature![cell]));
    expect(point!.pressure_pa).toEqual(frames.map((f) => f.fields.pressure![cell]));
    expect(point!.wind_speed_m_s).toEqual(frames.map((f) => Math.hypot(f.fields.u![cell]!, f.fields.v![cell]!)));
    const csv = readFileSync(join(result.runDir, 'points.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(result.summary.outputs).toEqual(['points.csv', 'summary.json']);
  });

  it('refuses a site the storm grid does not cover (Olinda, Brazil), naming the problem', async () => {
    const err = await rejection(inProcessClient().call('weather.run', { site: 'olinda', end: '1996-01-05T06:00Z' }));
    console.log(`[weather] Olinda: ${err.code}: ${err.message}`);
    expect(err.code).toBe('INVALID_DATA');
    expect(err.message).toMatch(/Olinda.*January 1996 blizzard.*source\.temperature: Tstorm\.cdf.*does not cover the site DEM/);
  });

  it('refuses times outside the sample and an end before the start', async () => {
    const client = inProcessClient();
    const outside = await rejection(client.call('weather.run', { site: 'jacksboro', start: '1997-01-01T00:00Z' }));
    expect(outside.message).toMatch(/start: 1997-01-01T00:00Z is outside the sample's 1996-01-05T00:00Z to 1996-01-20T18:00Z/);
    const reversed = await rejection(client.call('weather.run', { site: 'jacksboro', start: '1996-01-08T00:00Z', end: '1996-01-07T00:00Z' }));
    expect(reversed.message).toMatch(/end: .* is before start/);
    const bad = await rejection(client.call('weather.run', { site: 'jacksboro', start: 'yesterday' }));
    expect(bad.code).toBe('INVALID_PARAMS');
    expect(bad.message).toMatch(/ISO 8601/);
  });

  it('cancels between or inside frames: the call ends with CANCELLED', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const frames: FieldFrame[] = [];
    const err = await rejection(
      inProcessClient().call('weather.run', { site: 'jacksboro' }, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.frame) frames.push(p.frame);
          if (frames.length === 2) controller.abort();
        },
      }),
    );
    expect(err.code).toBe('CANCELLED');
    expect(frames.length).toBe(2);
  });
});
