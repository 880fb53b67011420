// data.inspect and data.import as engine jobs: through the Engine boundary (params
// validated, progress streamed, cancel honoured) on the real files in ../shared/data.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import type { JobProgress } from '../../../src/api/protocol';
import { readManifest } from '../../../src/data/project-manifest';
import { readGeoTiff } from '../../../src/io/geotiff';
import { inProcessClient } from './in-process-client';

const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));
const OLINDA = shared('terrain/olinda_dem_utm25s.tif');
const JACKSBORO = shared('terrain/jacksboro_fault_dem.npz');
const SEATTLE = shared('weather/seattle-weather.csv');
const FLORENCE = shared('rain/florence_stageiv_hourly.nc');

/** An in-process transport: the same Engine boundary (validation, jobs, cancel), without a process hop. */

async function rejection(p: Promise<unknown>): Promise<TerraError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TerraError);
    return e as TerraError;
  }
  throw new Error('expected a rejection');
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'terra-data-job-'));

describe('data.inspect', () => {
  it('reports the Olinda GeoTIFF: size, cell size, CRS, extent, range in source and project units, nodata share', async () => {
    const client = inProcessClient();
    const progress: JobProgress[] = [];
    const r = await client.call('data.inspect', { path: OLINDA, as: 'terrain' }, { onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ file: 'olinda_dem_utm25s.tif', path: OLINDA, format: 'GeoTIFF', kind: 'grid', variable: 'band1' });
    expect(r.grid).toMatchObject({ kind: 'regular', nx: 111, ny: 111, cells: 12321, crs: 'UTM zone 25S' });
    expect(r.grid!.crsTitle).toMatch(/UTM zone 25S/);
    expect(r.grid!.dx).toBeCloseTo(89.9941, 3);
    expect(r.grid!.extent!.xmin).toBeCloseTo(288776.25, 1);
    expect(r.stats).toMatchObject({ min: -1, max: 88, nodata: 0, count: 12321 });
    expect(r.projectRange).toEqual({ min: -1, max: 88, units: 'm' });
    expect(r.units).toEqual({ units: 'm', source: 'assumed', importAs: 'm' });
    expect(r.nodataFraction).toBe(0);
    expect(r.spikeCandidates).toBe(8);
    expect(r.warnings).toEqual([]);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]!.message).toContain('olinda_dem_utm25s.tif');
    expect(progress.at(-1)!.fraction).toBe(1);
    client.close();
  });

  it('gives the range in project units for feet (Trinidad NetCDF) and stays JSON-safe', async () => {
    const client = inProcessClient();
    const r = await client.call('data.inspect', { path: shared('terrain/trinidad_colorado_3arcsec_feet.nc') });
    expect(r.units).toMatchObject({ units: 'ft', importAs: 'm' });
    expect(r.projectRange!.units).toBe('m');
    expect(r.projectRange!.min!).toBeCloseTo(r.stats!.min! * 0.3048, 3);
    expect(r.projectRange!.max!).toBeCloseTo(r.stats!.max! * 0.3048, 3);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    client.close();
  });

  it('inspects a station CSV as data, and refuses it as terrain with a specific error', async () => {
    const client = inProcessClient();
    const r = await client.call('data.inspect', { path: SEATTLE });
    expect(r.kind).toBe('station-series');
    expect(r.columns!.map((c) => c.name)).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
    expect(r.time).toMatchObject({ steps: 1461, stepSeconds: 86400 });

    const err = await rejection(client.call('data.inspect', { path: SEATTLE, as: 'terrain' }));
    expect(err.code).toBe('INVALID_DATA');
    expect(err.message).toMatch(/^seattle-weather\.csv: a station time series CSV, not a terrain grid/);
    expect(err.details).toMatchObject({ file: SEATTLE, field: 'format', problem: 'not a grid' });

    const rain = await rejection(client.call('data.inspect', { path: FLORENCE, as: 'terrain' }));
    expect(rain.message).toMatch(/florence_stageiv_hourly\.nc: ".+" has 23 time steps; terrain is a single grid/);
    client.close();
  });

  it('bad paths: relative (refused at the boundary), missing, a folder', async () => {
    const client = inProcessClient();
    const relative = await rejection(client.call('data.inspect', { path: 'data/dem.tif' }));
    expect(relative.code).toBe('INVALID_PARAMS');
    expect(relative.message).toContain('absolute path');
    const missing = await rejection(client.call('data.inspect', { path: '/nonexistent/dem.tif' }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'dem.tif: no such file (/nonexistent/dem.tif)' });
    const folder = await rejection(client.call('data.inspect', { path: tmpdir() }));
    expect(folder.message).toMatch(/is a folder, not a file/);
    client.close();
  });
});

describe('data.import', () => {
  it('imports Olinda as terrain: progress with file steps, a GeoTIFF terrain.open can show, a loadable manifest', async () => {
    const client = inProcessClient();
    const project = join(tempDir(), 'my project');
    const progress: JobProgress[] = [];
    const result = await client.call(
      'data.import',
      { paths: [OLINDA], projectDir: project, as: 'terrain', options: { cellSize: 90 } },
      { onProgress: (p) => progress.push(p) },
    );
    expect(result.projectDir).toBe(project);
    expect(result.manifestPath).toBe(join(project, 'terra-project.json'));
    expect(result.datasets).toHaveLength(1);
    const d = result.datasets[0]!;
    expect(d).toMatchObject({ id: 'olinda_dem_utm25s', kind: 'raster', terrain: true, file: 'data/olinda_dem_utm25s.tif', source: OLINDA });
    expect(d.grid).toMatchObject({ dx: 90, dy: 90 });
    expect(d.variables[0]).toMatchObject({ units: 'm' });
    expect(result.terrainPath).toBe(d.dataPath);
    expect(existsSync(d.sidecarPath)).toBe(true);

    // Progress: monotonic, ends at 1, carries file i/n and the stage.
    const fractions = progress.map((p) => p.fraction!);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    const steps = progress.filter((p) => p.step).map((p) => p.step!);
    expect(steps.map((s) => s.stage)).toEqual(expect.arrayContaining(['read', 'regrid', 'write', 'done']));
    expect(steps.every((s) => s.item === 'olinda_dem_utm25s.tif' && s.index === 0 && s.total === 1)).toBe(true);
    expect(progress.some((p) => p.message === 'File 1 of 1: olinda_dem_utm25s.tif, regridding')).toBe(true);

    const manifest = await readManifest(project);
    expect(manifest.data.map((e) => e.id)).toEqual(['olinda_dem_utm25s']);

    // What terrain.open makes of the written GeoTIFF.
    const terrain = await client.call('terrain.open', { path: result.terrainPath! });
    expect(terrain.georef).toMatchObject({ dx: 90, dy: 90 });
    expect(terrain.stats.min).toBeGreaterThanOrEqual(-1.01);
    expect(terrain.stats.max).toBeLessThanOrEqual(88.01);
    expect((await readGeoTiff(result.terrainPath!)).georef.nx).toBe(terrain.georef.nx);
    client.close();
  });

  it('a rain series imported as data is not terrain', async () => {
    const client = inProcessClient();
    const result = await client.call('data.import', { paths: [FLORENCE], projectDir: tempDir() });
    expect(result.datasets[0]).toMatchObject({ kind: 'field-series', terrain: false, time: { steps: 23 } });
    expect(result.terrainPath).toBeNull();
    client.close();
  });

  it('cancel: the call ends CANCELLED, the manifest is byte-for-byte as before and still loads', async () => {
    const client = inProcessClient();
    const project = tempDir();
    await client.call('data.import', { paths: [OLINDA], projectDir: project });
    const manifestPath = join(project, 'terra-project.json');
    const before = readFileSync(manifestPath, 'utf8');
    const controller = new AbortController();
    const seen: JobProgress[] = [];
    const err = await rejection(
      client.call(
        'data.import',
        { paths: [OLINDA, JACKSBORO], projectDir: project, options: { cellSize: 60 } },
        {
          signal: controller.signal,
          onProgress: (p) => {
            seen.push(p);
            if (p.step?.index === 1 && p.step.stage === 'convert') controller.abort();
          },
        },
      ),
    );
    expect(err.code).toBe('CANCELLED');
    expect(seen.some((p) => p.step?.index === 1)).toBe(true);
    expect(readFileSync(manifestPath, 'utf8')).toBe(before);
    const manifest = await readManifest(project);
    expect(manifest.data.map((e) => e.id)).toEqual(['olinda_dem_utm25s']);
    expect(existsSync(join(project, 'data', 'jacksboro_fault_dem.tif'))).toBe(false);
    expect(readdirSync(project).concat(readdirSync(join(project, 'data'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The engine is free for the next job.
    expect((await client.call('data.inspect', { path: OLINDA })).grid!.nx).toBe(111);
    client.close();
  });

  it('a cancel up to the manifest write is honoured; one after it is ignored and the result reports what was written', async () => {
    const client = inProcessClient();
    const project = tempDir();
    // Cancelled when the last file is done, just before the manifest: nothing listed.
    const early = new AbortController();
    const err = await rejection(
      client.call('data.import', { paths: [OLINDA], projectDir: project }, { signal: early.signal, onProgress: (p) => p.step?.stage === 'done' && early.abort() }),
    );
    expect(err.code).toBe('CANCELLED');
    expect(existsSync(join(project, 'terra-project.json'))).toBe(false);
    // Cancelled after the manifest was written (on the last progress message): the import stands, and says so.
    const late = new AbortController();
    const result = await client.call(
      'data.import',
      { paths: [OLINDA], projectDir: project },
      { signal: late.signal, onProgress: (p) => p.fraction === 1 && !p.step && late.abort() },
    );
    expect(late.signal.aborted).toBe(true);
    expect(result.datasets.map((d) => d.id)).toEqual(['olinda_dem_utm25s']);
    expect((await readManifest(project)).data.map((e) => e.id)).toEqual(['olinda_dem_utm25s']);
    client.close();
  });

  it('refuses, before writing anything: non-terrain as terrain, a file as project folder, a broken manifest, bad options', async () => {
    const client = inProcessClient();
    const dir = tempDir();
    const project = join(dir, 'p');
    const csv = await rejection(client.call('data.import', { paths: [OLINDA, SEATTLE], projectDir: project, as: 'terrain' }));
    expect(csv.message).toMatch(/seattle-weather\.csv: a station time series CSV, not a terrain grid/);
    expect(existsSync(project)).toBe(false);

    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const notDir = await rejection(client.call('data.import', { paths: [OLINDA], projectDir: file }));
    expect(notDir).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'projectDir' } });
    expect(notDir.message).toContain('is a file, not a folder');

    const broken = join(dir, 'broken');
    await client.call('data.import', { paths: [OLINDA], projectDir: broken });
    writeFileSync(join(broken, 'terra-project.json'), '{ "format": "terra-project", ');
    const bad = await rejection(client.call('data.import', { paths: [JACKSBORO], projectDir: broken }));
    expect(bad.code).toBe('INVALID_DATA');
    expect(bad.message).toMatch(/terra-project\.json: not JSON/);
    expect(existsSync(join(broken, 'data', 'jacksboro_fault_dem.tif'))).toBe(false);

    for (const params of [
      { paths: [], projectDir: project },
      { paths: ['dem.tif'], projectDir: project },
      { paths: [OLINDA], projectDir: 'relative/project' },
      { paths: [OLINDA], projectDir: project, options: { cellSize: -5 } },
      { paths: [OLINDA], projectDir: project, options: { method: 'cubic' } },
    ]) {
      const e = await rejection(client.call('data.import', params as never));
      expect(e.code, JSON.stringify(params)).toBe('INVALID_PARAMS');
    }
    expect(existsSync(project)).toBe(false);
    client.close();
  });

  it('engine.info names a default project folder', async () => {
    const client = inProcessClient();
    const info = await client.call('engine.info', {});
    expect(info.defaultProjectDir).toMatch(/Terra Twin[\\/]Untitled project$/);
    client.close();
  });
});
