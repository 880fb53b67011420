// Every file in ../shared/data is recognised by its bytes and read into the right kind of data set.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerraError } from '../../../src/api/errors';
import { rasterStats } from '../../../src/core/raster';
import { readInputBytes } from '../../../src/io/files';
import { detectFormat, readDataset } from '../../../src/io/open';
import { readDem } from '../../../src/io/read-dem';
import { parseGridJson } from '../../../src/io/grid-json';
import { formatEsriAscii } from '../../../src/io/esri-ascii';
import { parseGeoTiff } from '../../../src/io/geotiff';
import { parseNpy } from '../../../src/io/npy';
import { MAX_GRID_CELLS } from '../../../src/io/limits';

const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));

const FILES: Array<[string, string, string]> = [
  ['terrain/olinda_dem_utm25s.tif', 'geotiff', 'grid'],
  ['terrain/jacksboro_fault_dem.npz', 'npz', 'grid'],
  ['terrain/topobathy.npz', 'npz', 'grid'],
  ['terrain/volcano.json', 'grid-json', 'grid'],
  ['terrain/trinidad_colorado_3arcsec_feet.nc', 'netcdf', 'grid'],
  ['rain/florence_stageiv_hourly.nc', 'netcdf', 'grid'],
  ['weather/storm_jan1996/Pstorm.cdf', 'netcdf', 'grid'],
  ['weather/storm_jan1996/Tstorm.cdf', 'netcdf', 'grid'],
  ['weather/storm_jan1996/Ustorm.cdf', 'netcdf', 'grid'],
  ['weather/storm_jan1996/Vstorm.cdf', 'netcdf', 'grid'],
  ['weather/seattle-weather.csv', 'station-csv', 'station-series'],
  ['weather/wind_ireland.csv', 'station-csv', 'station-series'],
  ['weather/wind_ireland_loc.csv', 'station-locations', 'station-locations'],
];

describe('format detection and reading of every shared data file', () => {
  for (const [path, format, kind] of FILES) {
    it(path, async () => {
      const bytes = await readInputBytes(shared(path));
      expect(detectFormat(bytes, path)).toBe(format);
      const d = await readDataset(shared(path));
      expect(d.kind).toBe(kind);
      expect(d.bytes).toBe(bytes.length);
    });
  }

  it('the vega volcano grid: 87 x 61, 94-195, no georeference (a warning says so)', async () => {
    const d = await readDataset(shared('terrain/volcano.json'));
    if (d.kind !== 'grid' || d.geometry.kind !== 'regular') throw new Error('grid expected');
    expect([d.geometry.georef.nx, d.geometry.georef.ny]).toEqual([87, 61]);
    const s = rasterStats(d.frames[0]!);
    expect([s.min, s.max]).toEqual([94, 195]);
    expect(d.frames[0]!.slice(0, 5)).toEqual(Float32Array.from([103, 104, 104, 105, 105]));
    expect(d.geometry.georef.crs).toBe('unknown');
    expect(d.warnings.join('\n')).toMatch(/no georeference/);
  });

  it('readDem opens every terrain format in metres (Trinidad converted from feet)', async () => {
    const trinidad = await readDem(shared('terrain/trinidad_colorado_3arcsec_feet.nc'));
    expect(trinidad.units).toBe('m');
    expect(rasterStats(trinidad.data).max).toBeCloseTo(14176.16015625 * 0.3048, 3);
    const volcano = await readDem(shared('terrain/volcano.json'));
    expect(volcano.georef.nx).toBe(87);
    await expect(readDem(shared('rain/florence_stageiv_hourly.nc'))).rejects.toThrow(/23 time steps; a DEM has one/);
    await expect(readDem(shared('weather/storm_jan1996/Pstorm.cdf'))).rejects.toThrow(/64 time steps/);
  });
});

describe('wrong content, wrong magic bytes, odd files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'terra-formats-'));
  const write = (name: string, content: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('a CSV named .tif or .nc says which format it failed to be', async () => {
    await expect(readDataset(write('fake.tif', 'date,x\n2020-01-01,1\n'))).rejects.toThrow(/fake.tif: not a TIFF file \(bad magic bytes\)/);
    await expect(readDataset(write('fake.nc', 'date,x\n2020-01-01,1\n'))).rejects.toThrow(/fake.nc: not a NetCDF file \(bad magic bytes\)/);
    await expect(readDataset(write('fake.npz', 'hello'))).rejects.toThrow(/not an .npz archive \(bad magic bytes\)/);
    await expect(readDataset(write('blob.bin', Uint8Array.from([0, 1, 2, 3, 255])))).rejects.toThrow(/unrecognised format/);
  });

  it('an ESRI ASCII grid takes its CRS from a .prj beside it (real Jacksboro DEM written as .asc)', async () => {
    const dem = await readDem(shared('terrain/jacksboro_fault_dem.npz'));
    const asc = write('jacksboro.asc', formatEsriAscii(dem));
    const local = await readDataset(asc);
    expect(local.kind === 'grid' && local.geometry.kind === 'regular' && local.geometry.georef.crs).toBe('unknown');
    write('jacksboro.prj', 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]]');
    const d = await readDataset(asc);
    if (d.kind !== 'grid' || d.geometry.kind !== 'regular') throw new Error('grid expected');
    expect(d.geometry.georef.crs).toBe('EPSG:4326');
    expect(d.geometry.georef.x0).toBeCloseTo(dem.georef.x0, 9);
    expect(Array.from(d.frames[0]!)).toEqual(Array.from(dem.data));
  });

  it('missing files and folders are typed errors', async () => {
    await expect(readDataset(join(dir, 'nope.nc'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readDataset(dir)).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringMatching(/is a folder/) });
  });

  it('an all-nodata ESRI grid and a bad JSON grid are refused', async () => {
    const asc = 'ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\nNODATA_value -9999\n-9999 -9999\n-9999 -9999\n';
    const e = await readDataset(write('empty.asc', asc)).catch((x: unknown) => x as TerraError);
    expect(e).toBeInstanceOf(TerraError);
    expect((e as TerraError).details).toMatchObject({ problem: 'all nodata' });
    expect(() => parseGridJson('{"width": 2, "height": 2, "values": [1, 2, 3]}', 'v.json')).toThrow(/v.json: values: has 3 entries, expected 2 x 2 = 4/);
    expect(() => parseGridJson('{"width": 2, "height": 2, "values": [1, 2, 3, "x"]}', 'v.json')).toThrow(/entry 3/);
    expect(() => parseGridJson('[1]', 'v.json')).toThrow(/expected an object/);
  });
});

describe('sizes and truncation are checked before allocating', () => {
  it('a truncated real GeoTIFF', async () => {
    const olinda = await readInputBytes(shared('terrain/olinda_dem_utm25s.tif'));
    await expect(parseGeoTiff(olinda.subarray(0, 30_000), 'olinda.tif')).rejects.toThrow(/olinda.tif: truncated: 111 x 111 uncompressed pixels/);
  });

  it('an .npy header declaring 10^10 elements', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }";
    const padded = header.padEnd(118, ' ') + '\n';
    const bytes = new Uint8Array(10 + padded.length);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 255, padded.length >> 8]);
    bytes.set(new TextEncoder().encode(padded), 10);
    expect(() => parseNpy(bytes, 'big.npy', MAX_GRID_CELLS)).toThrow(/big.npy: array of 10000000000 elements exceeds the limit/);
  });

  it('an ESRI ASCII header declaring a grid over the cell limit', () => {
    const asc = 'ncols 100000\nnrows 100000\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2 3\n';
    return expect(readDataset(writeTmp('huge.asc', asc))).rejects.toMatchObject({ code: 'INVALID_DATA', details: { field: 'dimensions' } });
  });
});

function writeTmp(name: string, content: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'terra-size-')), name);
  writeFileSync(p, content);
  return p;
}
