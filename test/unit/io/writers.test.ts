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
import { interpolator, parseSeries } from '../../../src/io/csv-series';
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
