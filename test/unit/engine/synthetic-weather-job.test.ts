// One rain for weather and flood: weather.run with a synthetic `scenario`
// (a cold front and a rain cell over Jacksboro) streams precipitation with the
// other fields; flood.run takes the same kind of cell (track times in seconds
// from the run's start) and reports the volume it drops, checked against
// peak * pi * R^2 * T. Bad input is refused before computing, naming the field.
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import type { Params } from '../../../src/api/methods';
import type { FieldFrame } from '../../../src/api/protocol';
import { inProcessClient } from './in-process-client';


async function rejection(p: Promise<unknown>): Promise<TerraError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TerraError);
  return err as TerraError;
}

type Scenario = NonNullable<Params<'weather.run'>['scenario']>;
// Jacksboro spans -84.414..-84.078 E, 36.446..36.733 N; the cell crosses its middle west to east.
const SCENARIO = {
  name: 'cold front and storm',
  start: '2024-03-10T12:00Z',
  end: '2024-03-10T13:00Z',
  interval_s: 1800,
  base: { temperature_c: 14, pressure_pa: 101_500, relative_humidity: 0.6, wind_speed_m_s: 6, wind_from_deg: 200 },
  front: {
    towards_deg: 135,
    speed_m_s: 12,
    crossing_time: '2024-03-10T12:30Z',
    width_m: 5000,
    temperature_change_k: -8,
    wind_after: { speed_m_s: 11, from_deg: 300 },
    pressure_trough_pa: 300,
    humidity_band: { relative_humidity: 0.95, width_m: 8000 },
  },
  rain_cell: { track: [{ t_s: 0, x: -84.3, y: 36.6 }, { t_s: 3600, x: -84.2, y: 36.58 }], radius_m: 3000, peak_mm_h: 40 },
} satisfies Scenario;

describe('weather.run with a synthetic scenario', () => {
  it('streams every field and precipitation; the point series carry precipitation', { timeout: 120_000 }, async () => {
    const frames: FieldFrame[] = [];
    const result = await inProcessClient().call(
      'weather.run',
      { site: 'jacksboro', scenario: SCENARIO, points: [{ name: 'cell start', x: -84.3, y: 36.6 }] },
      { onProgress: (p) => p.frame && frames.push(p.frame) },
    );
    expect(result.summary.status).toBe('completed');
    expect(result.summary.variables).toEqual(['temperature', 'pressure', 'relative_humidity', 'cloud_fraction', 'u', 'v', 'wind_speed', 'precipitation']);
    expect(result.summary.wind).toMatchObject({ converged: true });
    expect(result.summary.wind!.max_divergence_m_s).toBeLessThan(1e-6);
    const t0 = Date.UTC(2024, 2, 10, 12) / 1000;
    expect(frames.map((f) => f.time)).toEqual([t0, t0 + 1800, t0 + 3600]);
    expect(Object.keys(frames[0]!.fields).sort()).toEqual(['cloud_fraction', 'precipitation', 'pressure', 'relative_humidity', 'temperature', 'u', 'v']);
    const [point] = result.points;
    const cell = point!.row * 403 + point!.col;
    expect(point!.precipitation_mm_h).toEqual(frames.map((f) => f.fields.precipitation![cell]));
    // At the start the cell is centred within half a cell (37 m x 46 m) of the point: close to its 40 mm/h peak.
    expect(point!.precipitation_mm_h![0]).toBeGreaterThan(40 * Math.exp(-((50 / 3000) ** 2)) - 1e-3);
    expect(point!.precipitation_mm_h![2]).toBeLessThan(1); // the cell has moved 9 km east
  });

  it('refuses bad input before computing, naming the field', async () => {
    const client = inProcessClient();
    const run = (params: Record<string, unknown>) => rejection(client.call('weather.run', { site: 'jacksboro', ...params } as Params<'weather.run'>));
    const both = await run({ sample: 'storm-jan1996', scenario: SCENARIO });
    expect(both.code).toBe('INVALID_PARAMS');
    expect(both.message).toMatch(/scenario: give a sample or a scenario, not both/);
    expect((await run({ start: '2024-03-10T12:00Z', scenario: SCENARIO })).message).toMatch(/start: a scenario has its own times: set scenario\.start/);
    expect((await run({ scenario: { ...SCENARIO, front: { ...SCENARIO.front, speed_m_s: 0 } } })).message).toMatch(/scenario\.front\.speed_m_s: a positive speed/);
    const backwards = { ...SCENARIO.rain_cell, track: [...SCENARIO.rain_cell.track].reverse() };
    expect((await run({ scenario: { ...SCENARIO, rain_cell: backwards } })).message).toMatch(/scenario\.rain_cell\.track\.1\.t_s: times must increase \(0 after 3600\)/);
    const far = { ...SCENARIO.rain_cell, track: [{ t_s: 0, x: -80, y: 36.6 }, { t_s: 3600, x: -79, y: 36.6 }] };
    expect((await run({ scenario: { ...SCENARIO, rain_cell: far } })).message).toMatch(/scenario\.rain_cell\.track: the cell never comes within 3 radii/);
    expect((await run({ scenario: { ...SCENARIO, interval_s: 10 } })).message).toMatch(/scenario\.interval_s: gives 361 frames, over the limit of 200/);
    expect((await run({ scenario: { ...SCENARIO, end: '2024-03-10T11:00Z' } })).message).toMatch(/scenario\.end: .* is before scenario\.start/);
  });
});

describe('flood.run with a moving rain cell', () => {
  // Olinda: 111 x 111 cells of 90 m from (288776, 9110771) to (298766, 9120761); the cell stays 4 radii inside it.
  const cell = { track: [{ t_s: 60, x: 292_300, y: 9_115_766 }, { t_s: 600, x: 295_200, y: 9_115_766 }], radius_m: 800, peak_mm_h: 60 };
  // Outputs every 300 s: on the dry coast before the cell arrives a step may run to the next output, but it
  // ends on the rain's start (60 s) and end (600 s) too (forcing breaks), so the volume stays exact.
  const params = { site: 'olinda', rain: { cell }, duration_s: 900, output_interval_s: 300 };

  it('drops peak * pi * R^2 * T, what volume_in reports', { timeout: 120_000 }, async () => {
    const frames: FieldFrame[] = [];
    const result = await inProcessClient().call('flood.run', params, { onProgress: (p) => p.frame && frames.push(p.frame) });
    expect(result.summary.status).toBe('completed');
    expect(result.summary.name).toBe('Olinda coast, Brazil: rain cell 60 mm/h, radius 800 m, 60-600 s');
    const analytic = (60 / 3.6e6) * Math.PI * 800 ** 2 * 540;
    const rel = (result.summary.volume_in_m3 - analytic) / analytic;
    const meanStep = result.summary.duration_s / result.summary.steps;
    console.log(`[flood] cell rain: volume_in ${result.summary.volume_in_m3.toFixed(2)} m3, analytic ${analytic.toFixed(2)} m3 (relative ${rel.toExponential(2)}), ${result.summary.steps} steps (mean ${meanStep.toFixed(2)} s)`);
    // The solver takes each step's rain at its midpoint, so the volume is exact while the cell lies wholly over the
    // grid (4.4+ radii from the edges: erfc(4.4)/2 ~ 1e-9 lost) and steps end on its start and end.
    expect(Math.abs(rel)).toBeLessThan(1e-6);
    expect(result.summary.mass_error_rel).toBeLessThan(1e-9);
    expect(frames.map((f) => f.time)).toEqual([0, 300, 600, 900]);
    // The cell's track: water under its middle at 300 s (x 293,589 m), none near the corners.
    const depth = frames[1]!.fields.depth!;
    expect(depth[55 * 111 + 53]!).toBeGreaterThan(1e-3);
    expect(depth[0]).toBeLessThan(1e-12); // 7+ km (9 radii) from the track
  });

  it('refuses a cell that rains after the run, or never near the site, naming the field', async () => {
    const client = inProcessClient();
    const late = { ...cell, track: cell.track.map((p) => ({ ...p, t_s: p.t_s + 1000 })) };
    expect((await rejection(client.call('flood.run', { ...params, rain: { cell: late } }))).message).toMatch(/rain\.cell\.track: the cell rains from 1060 s to 1600 s, after the run ends \(900 s\)/);
    const far = { ...cell, track: cell.track.map((p) => ({ ...p, x: p.x + 50_000 })) };
    expect((await rejection(client.call('flood.run', { ...params, rain: { cell: far } }))).message).toMatch(/rain\.cell\.track: the cell never comes within 3 radii \(2\.4 km\) of the DEM/);
    const neither = await rejection(client.call('flood.run', { ...params, rain: { cell, intensity_mm_per_h: 10, duration_s: 60 } } as never));
    expect(neither.message).toMatch(/rain: either \{intensity_mm_per_h, duration_s\} \(uniform rain\) or \{cell/);
  });
});
