// `importFiles` and the `terra import` / `terra inspect` commands on the real data files.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { TerraError } from '../../../src/api/errors';
import { rasterStats } from '../../../src/core/raster';
import { importFiles, type ImportProgress } from '../../../src/data/import';
import { readManifest } from '../../../src/data/project-manifest';
import { parseSidecar } from '../../../src/data/sidecar';
import { readGeoTiff } from '../../../src/io/geotiff';
import { readStationCsv } from '../../../src/io/station-csv';

const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));
const terra = fileURLToPath(new URL('../../../bin/terra.js', import.meta.url));
const run = promisify(execFile);

async function rejection<T>(p: Promise<unknown>): Promise<T> {
  try {
    await p;
  } catch (e) {
    return e as T;
  }
  throw new Error('expected a rejection');
}

describe('importing real data into a project', () => {
  const project = mkdtempSync(join(tmpdir(), 'terra-import-'));

  it('Trinidad (NetCDF, feet, geographic) becomes a 90 m UTM GeoTIFF in metres with a sidecar and manifest entry', async () => {
    const stages: ImportProgress['stage'][] = [];
    const { datasets, manifest } = await importFiles([shared('terrain/trinidad_colorado_3arcsec_feet.nc')], project, {
      cellSize: 90,
      onProgress: (p) => stages.push(p.stage),
    });
    expect(stages[0]).toBe('read');
    expect(stages.at(-1)).toBe('done');
    const d = datasets[0]!;
    expect(d.entry).toMatchObject({ id: 'trinidad_colorado_3arcsec_feet', kind: 'raster', file: 'data/trinidad_colorado_3arcsec_feet.tif', sidecar: 'data/trinidad_colorado_3arcsec_feet.json' });
    const tif = await readGeoTiff(d.dataPath);
    expect(tif.georef).toMatchObject({ crs: 'EPSG:32613', dx: 90, dy: 90, nx: 1979, ny: 1240 });
    const s = rasterStats(tif.data);
    expect(s.min).toBeGreaterThanOrEqual(4457.52 * 0.3048 - 0.01);
    expect(s.max).toBeLessThanOrEqual(14176.16 * 0.3048 + 0.01);
    const sidecar = parseSidecar(readFileSync(d.sidecarPath, 'utf8'), 'x.json');
    expect(sidecar.variables[0]!.units).toBe('m');
    expect(sidecar.variables[0]!.stats.min).toBeCloseTo(s.min, 3);
    expect(sidecar.variables[0]!.normalisation!.mean).toBeCloseTo(s.mean, 3);
    expect(sidecar.provenance.sources[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sidecar.provenance.steps.map((x) => x.op)).toEqual(['read', 'convert-units', 'reproject', 'detect-spikes']);
    expect(sidecar.provenance.steps[1]).toMatchObject({ from: 'ft', to: 'm', scale: 0.3048 });
    expect(manifest.data.map((e) => e.id)).toContain('trinidad_colorado_3arcsec_feet');
    // No temporary files left behind.
    expect(readdirSync(join(project, 'data')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('Florence rain (curvilinear, 23 h) becomes a Zarr field series in mm on UTM 18N', async () => {
    const { datasets } = await importFiles([shared('rain/florence_stageiv_hourly.nc')], project);
    const d = datasets[0]!;
    expect(d.sidecar).toMatchObject({ kind: 'field-series', format: 'zarr', time: { start: '2018-09-13T19:00:00Z', end: '2018-09-14T17:00:00Z', steps: 23 } });
    expect(d.sidecar.grid!.crs).toBe('EPSG:32618');
    expect(d.sidecar.variables[0]!.units).toBe('mm');
    const root = zarr.root(new FileSystemStore(d.dataPath));
    const arr = await zarr.open(root.resolve('Total_precipitation_surface_1_Hour_Accumulation'), { kind: 'array' });
    expect(arr.shape).toEqual([23, d.sidecar.grid!.ny, d.sidecar.grid!.nx]);
    const time = await zarr.get(await zarr.open(root.resolve('time'), { kind: 'array' }));
    expect((time.data as Float64Array)[22]).toBe(22 * 3600);
    expect(d.sidecar.variables[0]!.stats.max!).toBeLessThanOrEqual(163.75);
  });

  it('storm temperatures need units; given K they are stored in degC with frame 17 rebuilt in time', async () => {
    const err = await rejection<TerraError>(importFiles([shared('weather/storm_jan1996/Tstorm.cdf')], project));
    expect(err).toBeInstanceOf(TerraError);
    expect(err.message).toMatch(/Tstorm.cdf: "t" has no units/);
    expect(err.details).toMatchObject({ file: 'Tstorm.cdf', field: 't', problem: 'units' });
    const { datasets } = await importFiles([shared('weather/storm_jan1996/Tstorm.cdf')], project, { units: { t: 'K' } });
    const v = datasets[0]!.sidecar.variables[0]!;
    expect(v.units).toBe('degC');
    expect(v.stats.min!).toBeGreaterThan(234.08 - 273.15 - 1);
    expect(v.cleaning.gapsFilled).toBeGreaterThan(500);
    expect(datasets[0]!.sidecar.grid!.crs).toMatch(/^\+proj=laea/);
  });

  it('Irish wind in knots with station coordinates becomes m/s with locations in the sidecar', async () => {
    const { datasets } = await importFiles([shared('weather/wind_ireland.csv'), shared('weather/wind_ireland_loc.csv')], project, { units: { '*': 'kn' } });
    expect(datasets).toHaveLength(1);
    const d = datasets[0]!;
    const val = d.sidecar.variables.find((v) => v.name === 'VAL')!;
    expect(val.units).toBe('m/s');
    expect(val.stats.mean!).toBeCloseTo(5.477, 2);
    expect(val.location).toMatchObject({ name: 'Valentia', code: 'VAL' });
    const back = await readStationCsv(d.dataPath);
    expect(back.variables[1]!).toMatchObject({ name: 'VAL', units: 'm/s' });
    expect(back.variables[1]!.values[0]).toBeCloseTo(14.96 * (1852 / 3600), 12);
  });

  it('re-importing replaces the entry; the manifest lists each data set once', async () => {
    await importFiles([shared('terrain/olinda_dem_utm25s.tif')], project);
    await importFiles([shared('terrain/olinda_dem_utm25s.tif')], project, { cellSize: 180 });
    const m = await readManifest(project);
    expect(m.data.filter((e) => e.id === 'olinda_dem_utm25s')).toHaveLength(1);
    const tif = await readGeoTiff(join(project, 'data', 'olinda_dem_utm25s.tif'));
    expect(tif.georef).toMatchObject({ dx: 180, crs: 'EPSG:32725', nx: 55 });
  });

  it('a cancelled import writes nothing and leaves the manifest as it was', async () => {
    const before = readFileSync(join(project, 'terra-project.json'), 'utf8');
    const controller = new AbortController();
    const err = await rejection<TerraError>(
      importFiles([shared('terrain/jacksboro_fault_dem.npz')], project, {
        signal: controller.signal,
        onProgress: (p) => p.stage === 'regrid' && controller.abort(),
      }),
    );
    expect(err).toMatchObject({ code: 'CANCELLED' });
    expect(readFileSync(join(project, 'terra-project.json'), 'utf8')).toBe(before);
    expect(existsSync(join(project, 'data', 'jacksboro_fault_dem.tif'))).toBe(false);
  });

  it('bad requests are specific errors', async () => {
    await expect(importFiles([], project)).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(importFiles([shared('weather/wind_ireland_loc.csv')], project)).rejects.toThrow(/needs the station series CSV imported with it/);
    await expect(importFiles([shared('terrain/olinda_dem_utm25s.tif')], project, { crs: 'EPSG:4326' })).rejects.toThrow(/geographic; a project grid needs a metric CRS/);
    await expect(importFiles([shared('terrain/volcano.json')], project, { crs: 'EPSG:32613' })).rejects.toThrow(/volcano.json: the grid has no CRS/);
  });
});

describe('terra inspect and terra import (CLI)', () => {
  it('inspect prints format, grid, CRS, units, range, nodata and warnings for Trinidad', async () => {
    const { stdout } = await run(process.execPath, [terra, 'inspect', shared('terrain/trinidad_colorado_3arcsec_feet.nc')]);
    expect(stdout).toMatch(/format +NetCDF-3 \(classic format, variable data\(lat, lon\)\), 11\.0 MiB/);
    expect(stdout).toMatch(/grid +2401 x 1201 cells \(2\.88 M\)/);
    expect(stdout).toMatch(/cell size +0\.000833333 x 0\.000833333 deg \(~73\.51 x 92\.66 m on the ground\)/);
    expect(stdout).toMatch(/CRS +EPSG:4326 - WGS 84/);
    expect(stdout).toMatch(/units +ft \(from the file name\); imported as m/);
    expect(stdout).toMatch(/range +4457\.52 \.\. 14176\.2/);
    expect(stdout).toMatch(/= 1358\.65 \.\. 4320\.89 m/);
    expect(stdout).toMatch(/nodata +0\.00 %/);
    expect(stdout).toMatch(/"ft" taken from the file name/);
  });

  it('inspect --json and errors with exit code 1', async () => {
    const { stdout } = await run(process.execPath, [terra, 'inspect', '--json', shared('weather/seattle-weather.csv'), '--units', 'mm,temp_max=degC']);
    const r = JSON.parse(stdout);
    expect(r.columns.map((c: { name: string; units: string }) => [c.name, c.units])).toEqual([
      ['precipitation', 'mm'],
      ['temp_max', 'degC'],
      ['temp_min', 'mm'],
      ['wind', 'mm'],
    ]);
    const fail = await rejection<{ code: number; stderr: string }>(run(process.execPath, [terra, 'inspect', shared('README.md')]));
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/terra: INVALID_DATA: README.md:3: no time column/);
  });

  it('import writes data, sidecar and manifest; progress goes to stderr', async () => {
    const project = mkdtempSync(join(tmpdir(), 'terra-cli-'));
    const { stdout, stderr } = await run(process.execPath, [terra, 'import', shared('terrain/topobathy.npz'), '--project', project, '--cell-size', '2500']);
    expect(stdout).toMatch(/topobathy: raster, \d+ x \d+ cells of 2500 m, EPSG:32610/);
    expect(stderr).toMatch(/\[1\/1\] topobathy\.npz: read 0%/);
    expect(stderr).toMatch(/done 100%/);
    const m = JSON.parse(readFileSync(join(project, 'terra-project.json'), 'utf8'));
    expect(m.data[0]).toMatchObject({ id: 'topobathy', file: 'data/topobathy.tif' });
    const bad = await rejection<{ code: number; stderr: string }>(run(process.execPath, [terra, 'import', shared('weather/seattle-weather.csv'), '--project', project]));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/seattle-weather.csv: "precipitation" has no units/);
  });
});
