// Writers read back identically (bit-exact float32), and the series parser reports lines.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { readEsriAscii, writeEsriAscii, parseEsriAscii } from '../../../src/io/esri-ascii';
import { writeGeoTiff } from '../../../src/io/geotiff-write';
import { readGeoTiff } from '../../../src/io/geotiff';
import { ZarrFieldWriter } from '../../../src/io/zarr-fields';
import { formatSeries, interpolator, parseSeries } from '../../../src/io/csv-series';
import { makeGeoref } from '../../../src/core/georef';
import { formatSidecar, parseSidecar, SIDECAR_SCHEMA, type Sidecar } from '../../../src/data/sidecar';
import { addDataEntries, readManifest } from '../../../src/data/project-manifest';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Raster } from '../../../src/core/raster';

const dir = mkdtempSync(join(tmpdir(), 'terra-io-'));

function sampleRaster(): Raster {
  const nx = 7;
  const ny = 5;
  const data = Float32Array.from({ length: nx * ny }, (_, i) => Math.fround(Math.sin(i) * 100 + 0.123456789));
  data[3] = NaN;
  return {
    data,
    units: 'm',
    georef: { nx, ny, x0: 288776.25, y0: 9120760.75, dx: 90, dy: 90, crs: 'EPSG:32725', dxMetres: 90, dyMetres: 90 },
  };
}

describe('raster writers round-trip', () => {
  it('ESRI ASCII', async () => {
    const r = sampleRaster();
    const path = join(dir, 'r.asc');
    await writeEsriAscii(path, r);
    const back = await readEsriAscii(path);
    expect(back.georef).toMatchObject({ nx: 7, ny: 5, x0: r.georef.x0, y0: r.georef.y0, dx: 90, dy: 90 });
    expect(Array.from(back.data)).toEqual(Array.from(r.data));
  });

  it('GeoTIFF', async () => {
    const r = sampleRaster();
    const path = join(dir, 'r.tif');
    await writeGeoTiff(path, r);
    const back = await readGeoTiff(path);
    expect(back.georef).toMatchObject({ nx: 7, ny: 5, x0: r.georef.x0, y0: r.georef.y0, dx: 90, dy: 90, crs: 'EPSG:32725' });
    expect(Array.from(back.data)).toEqual(Array.from(r.data));
  });

  it('Zarr v3 field series, trimmed to the frames written', async () => {
    const path = join(dir, 'fields.zarr');
    const grid = { nx: 3, ny: 2, x: Float64Array.from([0.5, 1.5, 2.5]), y: Float64Array.from([1.5, 0.5]), crs: 'unknown' };
    const w = await ZarrFieldWriter.create(path, grid, [{ name: 'depth', units: 'm', longName: 'water depth' }], 5);
    await w.append(0, { depth: Float32Array.from([0, 1, 2, 3, 4, 5]) });
    await w.append(0.5, { depth: Float32Array.from([6, 7, 8, 9, 10, 11.25]) });
    await w.finish();
    const root = zarr.root(new FileSystemStore(path));
    const depth = await zarr.open(root.resolve('depth'), { kind: 'array' });
    expect(depth.shape).toEqual([2, 2, 3]);
    const frame = await zarr.get(depth, [1, null, null]);
    expect(Array.from(frame.data as Float32Array)).toEqual([6, 7, 8, 9, 10, 11.25]);
    const time = await zarr.get(await zarr.open(root.resolve('time'), { kind: 'array' }));
    expect(Array.from(time.data as Float64Array)).toEqual([0, 0.5]);
    const meta = JSON.parse(readFileSync(join(path, 'depth', 'zarr.json'), 'utf8'));
    expect(meta.dimension_names).toEqual(['time', 'y', 'x']);
  });
});

describe('ESRI ASCII errors name file and line', () => {
  it.each([
    ['ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3', /expected 4 values.*found 3/],
    ['ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3 x', /bad.asc:7: "x" is not a number/],
    ['ncols 2\nnrows 2\nxllcorner 0\ncellsize 1\n1 2\n3 4', /missing header "yllcorner"/],
    ['ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize -1\n1 2\n3 4', /cell size must be positive/],
    ['ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\nbanana 1\n1 2\n3 4', /bad.asc:5: unknown header key "banana"/],
    ['ncols 99999\nnrows 99999\nxllcorner 0\nyllcorner 0\ncellsize 1\n1', /exceeds the limit/],
  ])('%#', (text, message) => {
    expect(() => parseEsriAscii(text, 'bad.asc')).toThrow(message);
  });
});

describe('time series CSV', () => {
  it('parses and interpolates linearly, holding the ends', () => {
    const s = parseSeries('time_s,stage_m\n0,1\n10,3\n20,2\n', 'wave.csv', 'stage_m');
    const f = interpolator(s);
    expect([f(-5), f(0), f(5), f(10), f(15), f(25)]).toEqual([1, 1, 2, 3, 2.5, 2]);
  });

  it.each([
    ['stage_m\n0', /header with two columns/],
    ['time_s,stage_m\n0,1\n0,2', /wave.csv:3: time 0 does not increase/],
    ['time_s,stage_m\n0,1\n1,abc', /wave.csv:3: value "abc" is not a number/],
    ['time_s,stage_m\n', /no data rows/],
    ['time_s,depth\n0,1', /should be "stage_m"/],
  ])('%#: rejects with a line number', (text, message) => {
    expect(() => parseSeries(text, 'wave.csv', 'stage_m')).toThrow(message);
  });
});

describe('more writers round-trip', () => {
  it('GeoTIFF keeps geographic, Web Mercator and UTM CRSs with their georeference', async () => {
    for (const crs of ['EPSG:4326', 'EPSG:3857', 'EPSG:32613']) {
      const r = sampleRaster();
      const geo = crs === 'EPSG:4326' ? { x0: -106, y0: 38, dx: 1 / 1200, dy: 1 / 1200 } : { x0: 411000, y0: 4206300, dx: 90, dy: 90 };
      r.georef = makeGeoref({ nx: 7, ny: 5, crs, ...geo });
      const path = join(dir, `crs-${crs.replace(':', '')}.tif`);
      await writeGeoTiff(path, r);
      const back = await readGeoTiff(path);
      expect(back.georef.crs).toBe(crs);
      expect(back.georef.x0).toBe(r.georef.x0);
      expect(back.georef.y0).toBe(r.georef.y0);
      expect(back.georef.dx).toBe(r.georef.dx);
      expect(Array.from(back.data)).toEqual(Array.from(r.data));
    }
  });

  it('scenario series CSV', () => {
    const s = { valueName: 'stage_m', t: Float64Array.from([0, 0.05, 0.1, 22.5]), v: Float64Array.from([0, 0.1 + 0.2, -1e-7, 13.37]) };
    const back = parseSeries(formatSeries(s), 'wave.csv', 'stage_m');
    expect(Array.from(back.t)).toEqual(Array.from(s.t));
    expect(Array.from(back.v)).toEqual(Array.from(s.v));
  });

  it('data set sidecar JSON (schema-checked both ways)', () => {
    const sidecar: Sidecar = {
      schema: SIDECAR_SCHEMA,
      id: 'dem',
      name: 'dem',
      kind: 'raster',
      file: 'dem.tif',
      format: 'geotiff',
      grid: { crs: 'EPSG:32613', nx: 2, ny: 2, x0: 0, y0: 180, dx: 90, dy: 90 },
      variables: [
        {
          name: 'data',
          units: 'm',
          stats: { count: 3, nodata: 1, min: 1, max: 3.25, mean: 2.1, std: 0.9, median: 2, mad: 1 },
          normalisation: { method: 'z-score', mean: 2.1, std: 0.9 },
          cleaning: { spikesDetected: 0, spikesRemoved: 0, gapsFilled: 0, nodataLeft: 1 },
        },
      ],
      provenance: { sources: [{ path: '/x/dem.nc', bytes: 10, sha256: 'a'.repeat(64), format: 'netcdf' }], steps: [{ op: 'read', extra: 1 }], createdAt: '2024-01-01T00:00:00.000Z', tool: { name: 'terra-twin', version: '0.1.0' } },
      warnings: ['w'],
    };
    expect(parseSidecar(formatSidecar(sidecar), 'dem.json')).toEqual(sidecar);
    expect(() => parseSidecar('{"schema": "terra-twin/dataset@1"}', 'dem.json')).toThrow(/dem.json: id: /);
    expect(() => parseSidecar('{', 'dem.json')).toThrow(/dem.json: not JSON/);
  });

  it('project manifest: entries added and replaced, foreign keys kept', async () => {
    const project = join(dir, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'terra-project.json'), JSON.stringify({ format: 'terra-project', version: 1, name: 'p', createdAt: 'c', updatedAt: 'u', scenarios: ['s1'] }));
    const entry = { id: 'dem', name: 'dem', kind: 'raster' as const, file: 'data/dem.tif', sidecar: 'data/dem.json', source: '/x', importedAt: 't' };
    await addDataEntries(project, [entry]);
    await addDataEntries(project, [{ ...entry, name: 'dem again' }, { ...entry, id: 'rain' }]);
    const m = await readManifest(project);
    expect(m.data.map((e) => [e.id, e.name])).toEqual([
      ['dem', 'dem again'],
      ['rain', 'dem'],
    ]);
    expect((m as Record<string, unknown>).scenarios).toEqual(['s1']);
    await writeFile(join(project, 'terra-project.json'), '{"format": "other"}');
    await expect(readManifest(project)).rejects.toThrow(/terra-project.json: format: /);
  });
});
