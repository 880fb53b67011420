// Gridded rain from the real Stage IV file (Hurricane Florence, 2018): regridded
// onto a DEM in UTM 17N at Wilmington NC during landfall, checked against the source cells
// around each DEM cell, and conserved through a run; grids that do not cover
// the DEM or the run are refused before computing.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import proj4 from 'proj4';
import { TerraError } from '../../../src/api/errors';
import { makeGeoref } from '../../../src/core/georef';
import { writeGeoTiff } from '../../../src/io/geotiff-write';
import { readDataset, type GridDataset } from '../../../src/io/open';
import { loadScenario } from '../../../src/scenario/load';
import { loadRainGrid } from '../../../src/scenario/rain-grid';
import { runScenario } from '../../../src/scenario/run';

const STAGE_IV = resolve(__dirname, '../../../../shared/data/rain/florence_stageiv_hourly.nc');
const JACKSBORO = resolve(__dirname, '../../../assets/sites/jacksboro/jacksboro_fault_dem.npz');
const UTM17 = '+proj=utm +zone=17 +datum=WGS84 +units=m +no_defs';
const dir = mkdtempSync(join(tmpdir(), 'terra-rain-grid-'));
// 40 x 30 cells of 100 m with its north-west corner at Wilmington, NC (34.2 N, 77.95 W).
const dem = makeGeoref({ nx: 40, ny: 30, x0: 781000, y0: 3788500, dx: 100, dy: 100, crs: 'EPSG:32617' });
// The two hours of landfall: 47 and 34 mm at Wilmington.
const LANDFALL = '2018-09-14T10:00:00Z';
const fail = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `${field}: ${problem}`, { field });

let source: GridDataset;

function scenario(file: string, rain: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    JSON.stringify({
      name: 'florence',
      terrain: { dem: 'flat.tif' },
      friction: { manning: 0.05 },
      rain: { grid: 'stageiv.nc', start: LANDFALL, ...rain },
      duration_s: 7200,
      output: { interval_s: 3600, fields: false },
      solver: { scheme: 'fv', cfl: 0.9, threads: 1 },
      ...extra,
    }),
  );
  return path;
}

beforeAll(async () => {
  copyFileSync(STAGE_IV, join(dir, 'stageiv.nc'));
  await writeGeoTiff(join(dir, 'flat.tif'), { georef: dem, data: new Float32Array(dem.nx * dem.ny).fill(10), units: 'm' });
  copyFileSync(JACKSBORO, join(dir, 'jacksboro.npz'));
  source = (await readDataset(STAGE_IV)) as GridDataset;
});

describe('gridded rain over a DEM', () => {
  it('gives each DEM cell a rate between the accumulations of the source cells around it, constant over each hour', async () => {
    const { rain } = await loadRainGrid(join(dir, 'stageiv.nc'), { start: LANDFALL }, dem, 7200, fail);
    if (source.geometry.kind !== 'curvilinear') throw new Error('Stage IV should be curvilinear');
    const { lon, lat } = source.geometry.coords;
    const out = new Float64Array(dem.nx * dem.ny);
    let checked = 0;
    for (const [hour, frame] of [[0, 16], [1, 17]] as const) {
      const early = Float64Array.from(rain(hour * 3600 + 60, out));
      const late = rain(hour * 3600 + 3540, out);
      expect(Array.from(late)).toEqual(Array.from(early));
      for (let k = 0; k < out.length; k += 37) {
        const [lo, la] = proj4(UTM17, 'EPSG:4326', [dem.x0 + ((k % dem.nx) + 0.5) * dem.dx, dem.y0 - (Math.floor(k / dem.nx) + 0.5) * dem.dy]);
        // the 6 source centres nearest to the cell (their triangle is among them)
        const near = Array.from(lon.keys())
          .map((i) => ({ i, d: Math.hypot((lon[i]! - lo) * Math.cos((la * Math.PI) / 180), lat[i]! - la) }))
          .sort((a, b) => a.d - b.d)
          .slice(0, 6)
          .map(({ i }) => source.frames[frame]![i]!);
        const mmPerHour = early[k]! * 3.6e6; // m/s -> mm/h; each frame is a 1 h accumulation in mm
        expect(mmPerHour).toBeGreaterThanOrEqual(Math.min(...near) - 1e-4);
        expect(mmPerHour).toBeLessThanOrEqual(Math.max(...near) + 1e-4);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(Math.min(...out) * 3.6e6).toBeGreaterThan(10); // over 10 mm/h everywhere in the second hour
  });

  it('runs a walled flat basin whose stored water equals the file\'s rain to 1e-9', async () => {
    const prepared = await loadScenario(scenario('basin.json', {}));
    const summary = await runScenario(prepared, join(dir, 'out'));
    expect(summary.status).toBe('completed');
    const { rain } = await loadRainGrid(join(dir, 'stageiv.nc'), { start: LANDFALL }, dem, 7200, fail);
    const area = dem.dx * dem.dy;
    let expected = 0;
    const field = new Float64Array(dem.nx * dem.ny);
    for (const t of [1800, 5400]) for (const r of rain(t, field)) expected += r * 3600 * area;
    expect(expected / (area * dem.nx * dem.ny)).toBeGreaterThan(0.06); // > 60 mm in two hours
    expect(Math.abs(summary.volume_in_m3 - expected) / expected).toBeLessThan(1e-9);
    expect(Math.abs(summary.volume_final_m3 - expected) / expected).toBeLessThan(1e-9);
    expect(summary.mass_error_rel).toBeLessThan(1e-9);
  });

  it('runs the same basin on the GPU backend with the same rain volume (f32 state)', async () => {
    const cpu = await runScenario(await loadScenario(scenario('basin.json', {})), join(dir, 'out-cpu'));
    const gpu = await runScenario(await loadScenario(scenario('basin-gpu.json', {}, { solver: { scheme: 'fv', backend: 'gpu' } })), join(dir, 'out-gpu'));
    expect(gpu.backend).toBe('gpu');
    expect(Math.abs(gpu.volume_in_m3 - cpu.volume_in_m3) / cpu.volume_in_m3).toBeLessThan(1e-9);
    expect(Math.abs(gpu.volume_final_m3 - cpu.volume_final_m3) / cpu.volume_final_m3).toBeLessThan(1e-5);
  });

  it('starts the run at a given time', async () => {
    const later = await loadRainGrid(join(dir, 'stageiv.nc'), { start: '2018-09-13T19:00:00Z' }, dem, 3600, fail);
    const byDefault = await loadRainGrid(join(dir, 'stageiv.nc'), {}, dem, 7200, fail);
    const a = Float64Array.from(later.rain(10, new Float64Array(dem.nx * dem.ny)));
    const b = byDefault.rain(3610, new Float64Array(dem.nx * dem.ny));
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('gridded rain refused before computing', () => {
  it.each([
    [{}, { terrain: { dem: 'jacksboro.npz' } }, /rain.grid: stageiv.nc does not cover the DEM: 138632 of 138632 cells/],
    [{ start: undefined }, { duration_s: 30 * 3600 }, /rain.grid: stageiv.nc covers 2018-09-13T18:00:00Z to 2018-09-14T17:00:00Z but the run needs .* \(108000 s\)/],
    [{ start: '2018-09-14T17:30:00Z' }, {}, /rain.grid: .* but the run needs 2018-09-14T17:30:00Z/],
    [{ start: 'tomorrow' }, {}, /rain.start: "tomorrow" is not an ISO 8601 time/],
    [{ units: 'degC', variable: 'Total_precipitation_surface_1_Hour_Accumulation' }, {}, /rain.grid: .*not a rain depth/],
    [{ variable: 'nope' }, {}, /rain.grid: .*nope/],
  ])('%# refuses %j %j', async (rain, extra, message) => {
    await expect(loadScenario(scenario('bad.json', rain, extra))).rejects.toThrow(message);
  });
});
