// flood.run with point inflows and edge types: a triangular hydrograph adds exactly its volume (steps
// end on its knots however coarse the outputs), walls keep every drop, open edges let water leave;
// inflows outside the site, duplicate names and times out of order are refused naming the field.
import { describe, expect, it } from 'vitest';
import { TerraError, type Params } from '../../../src/api';
import { inProcessClient } from '../engine/in-process-client';

/** Olinda: 111 x 111 cells of 90 m from (288776, 9110771) to (298766, 9120761). */
const CENTRE = { x: 293_771, y: 9_115_766 };
const triangle = [
  { t_s: 60, discharge_m3_s: 0 },
  { t_s: 360, discharge_m3_s: 20 },
  { t_s: 660, discharge_m3_s: 0 },
];
const TRIANGLE_M3 = (600 * 20) / 2;
const RAIN = { intensity_mm_per_h: 1e-3, duration_s: 60 };
const walls = { west: 'wall', east: 'wall', north: 'wall', south: 'wall' } as const;

function run(extra: Partial<Params<'flood.run'>>) {
  return inProcessClient().call('flood.run', { site: 'olinda', rain: RAIN, duration_s: 900, output_interval_s: 450, frames: false, ...extra });
}

async function rejection(p: Promise<unknown>): Promise<TerraError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TerraError);
  return err as TerraError;
}

describe('flood.run inflows and edges', () => {
  it('adds a hydrograph\'s exact volume; walls keep it all', { timeout: 120_000 }, async () => {
    const { summary } = await run({ boundaries: walls, inflows: [{ name: 'culvert', ...CENTRE, series: triangle }] });
    const rain = (RAIN.intensity_mm_per_h / 3.6e6) * RAIN.duration_s * summary.cells * summary.dx_m * summary.dy_m;
    const inflow = summary.volume_in_m3 - summary.volume_clipped_m3 - rain;
    console.log(`[inflow] in ${summary.volume_in_m3.toFixed(6)} m3 = rain ${rain.toFixed(6)} + inflow ${inflow.toFixed(6)} (triangle ${TRIANGLE_M3}) + clipped ${summary.volume_clipped_m3}; ${summary.steps} steps`);
    expect(inflow / TRIANGLE_M3 - 1).toBeLessThan(1e-9);
    expect(inflow / TRIANGLE_M3 - 1).toBeGreaterThan(-1e-9);
    expect(summary.volume_out_m3).toBe(0);
    expect(summary.mass_error_rel).toBeLessThan(1e-9);
  });

  it('lets water leave through open edges, and only those', { timeout: 120_000 }, async () => {
    // A heavy storm over the whole coast: runoff reaches every edge.
    const storm = { rain: { intensity_mm_per_h: 200, duration_s: 300 }, scheme: 'inertial' as const };
    const [all, west, none] = await Promise.all([run(storm), run({ ...storm, boundaries: { ...walls, west: 'open' } }), run({ ...storm, boundaries: walls })]);
    const out = [all, west, none].map((r) => r.summary.volume_out_m3);
    console.log(`[edges] out through all edges ${out[0]!.toFixed(1)} m3, the west one only ${out[1]!.toFixed(1)} m3, none ${out[2]} m3`);
    expect(out[2]).toBe(0);
    expect(out[1]).toBeGreaterThan(0);
    expect(out[0]).toBeGreaterThan(out[1]!);
    for (const r of [all, west, none]) expect(r.summary.mass_error_rel).toBeLessThan(1e-9);
  });

  it('refuses an inflow outside the site, a duplicate name and times out of order, naming the field', async () => {
    const outside = await rejection(run({ inflows: [{ name: 'far', x: 0, y: 0, series: triangle }] }));
    expect(outside.details?.field).toBe('inflows.0');
    expect(outside.message).toMatch(/outside the grid/);
    const twice = await rejection(run({ inflows: [{ name: 'a', ...CENTRE, series: triangle }, { name: 'a', ...CENTRE, series: triangle }] }));
    expect(twice.details?.field).toBe('inflows.1.name');
    const order = await rejection(run({ inflows: [{ name: 'a', ...CENTRE, series: [triangle[1]!, triangle[0]!] }] }));
    expect(order.message).toMatch(/inflows\.0\.series: times must increase/);
    const edge = await rejection(run({ boundaries: { west: 'stage' as 'open' } }));
    expect(edge.message).toMatch(/boundaries\.west/);
  });
});
