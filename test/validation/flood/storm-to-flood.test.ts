// A storm cell driving the flood solver on real terrain (the Jacksboro DEM,
// 403 x 344 cells of 74 x 93 m): the rain volume that falls equals the
// cell's analytic volume (peak * pi * R^2 per second while it is wholly over
// the DEM), and rain in = storage + outflow to 1e-6, with walls (fv) and with
// open edges the water leaves through (inertial).
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load';
import { runScenario } from '../../../src/scenario/run';

const JACKSBORO = resolve(__dirname, '../../../assets/sites/jacksboro/jacksboro_fault_dem.npz');
const dir = mkdtempSync(join(tmpdir(), 'terra-storm-flood-'));
copyFileSync(JACKSBORO, join(dir, 'dem.npz'));

// The DEM's georeference (EPSG:4326): north-west corner and cell size in degrees and metres.
const X0 = -84.41375;
const Y0 = 36.73291666666667;
const DEG = 0.0008333333333333334;
const DX_M = 74.40117106308874;
const DY_M = 92.66256686127743;
/** A track point `east` and `south` metres from the north-west corner. */
const at = (t_s: number, east: number, south: number) => ({ t_s, x: X0 + (east / DX_M) * DEG, y: Y0 - (south / DY_M) * DEG });

function scenario(name: string, extra: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name,
      terrain: { dem: 'dem.npz' },
      friction: { manning: 0.05 },
      duration_s: 1800,
      output: { interval_s: 600, fields: false },
      ...extra,
    }),
  );
  return path;
}

describe('storm cell to flood', () => {
  it('stores exactly the analytic volume of a cell crossing a walled DEM (fv)', async () => {
    // 14 km west to east, 16 km from the north edge, R = 1.5 km: at least 5.3 R from every edge
    const prepared = await loadScenario(
      scenario('walled', {
        rain: { cell: { track: [at(0, 8000, 16000), at(1800, 22000, 16000)], radius_m: 1500, peak_mm_h: 60 } },
        solver: { scheme: 'fv', threads: 2 },
      }),
    );
    const summary = await runScenario(prepared, join(dir, 'walled'));
    expect(summary.status).toBe('completed');
    const analytic = (60 / 3.6e6) * Math.PI * 1500 ** 2 * 1800;
    expect(Math.abs(summary.volume_in_m3 - analytic) / analytic).toBeLessThan(1e-6);
    expect(summary.volume_out_m3).toBe(0);
    expect(Math.abs(summary.volume_final_m3 - summary.volume_in_m3) / summary.volume_in_m3).toBeLessThan(1e-6);
    expect(summary.max_depth_m).toBeGreaterThan(0.1);
  }, 120_000);

  it('balances rain in against storage plus outflow when the cell leaves over open edges (inertial)', async () => {
    const open = { type: 'open' };
    const prepared = await loadScenario(
      scenario('open', {
        rain: { cell: { track: [at(0, 15000, 25000), at(1200, 33000, 25000)], radius_m: 2500, peak_mm_h: 80 } },
        boundaries: { west: open, east: open, north: open, south: open },
        duration_s: 3600,
        solver: { scheme: 'inertial', threads: 2 },
      }),
    );
    const summary = await runScenario(prepared, join(dir, 'open'));
    expect(summary.status).toBe('completed');
    expect(summary.volume_out_m3).toBeGreaterThan(1e-3 * summary.volume_in_m3);
    const balance = summary.volume_in_m3 - (summary.volume_final_m3 + summary.volume_out_m3);
    expect(Math.abs(balance) / summary.volume_in_m3).toBeLessThan(1e-6);
    // less than the whole cell's volume: part of it fell east of the DEM
    expect(summary.volume_in_m3).toBeLessThan((80 / 3.6e6) * Math.PI * 2500 ** 2 * 1200);
  }, 120_000);

  it('refuses a cell that never comes near the DEM, naming the field', async () => {
    const far = scenario('far', { rain: { cell: { track: [at(0, 80000, 16000), at(600, 90000, 16000)], radius_m: 1000, peak_mm_h: 50 } } });
    await expect(loadScenario(far)).rejects.toThrow(/far.json: rain.cell.track: the cell never comes within 3 radii \(3 km\) of the DEM/);
    const backwards = scenario('backwards', { rain: { cell: { track: [at(600, 8000, 16000), at(0, 9000, 16000)], radius_m: 1000, peak_mm_h: 50 } } });
    await expect(loadScenario(backwards)).rejects.toThrow(/rain.cell.track.1.t_s: times must increase/);
    const tooStrong = scenario('strong', { rain: { cell: { track: [at(0, 8000, 16000), at(600, 9000, 16000)], radius_m: 1000, peak_mm_h: 5000 } } });
    await expect(loadScenario(tooStrong)).rejects.toThrow(/rain.cell.peak_mm_h: at most 1000 mm\/h/);
  });
});
