// Reads the real sample DEMs (assets/, copied from ../shared/data) and checks known values.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readGeoTiff } from '../../../src/io/geotiff';
import { readNpzDem } from '../../../src/io/npz-dem';
import { readDem } from '../../../src/io/read-dem';
import { rasterStats } from '../../../src/core/raster';
import { SiteRegistry } from '../../../src/sites/registry';
import { TerraError } from '../../../src/api/errors';

const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));
const assets = fileURLToPath(new URL('../../../assets/sites', import.meta.url));

describe('sample-site DEM readers on real data', () => {
  it('reads the Olinda GeoTIFF with its UTM georeference', async () => {
    const dem = await readGeoTiff(shared('terrain/olinda_dem_utm25s.tif'));
    expect([dem.georef.nx, dem.georef.ny]).toEqual([111, 111]);
    expect(dem.georef.x0).toBeCloseTo(288776.25, 2);
    expect(dem.georef.y0).toBeCloseTo(9120760.75, 2);
    expect(dem.georef.dx).toBeCloseTo(89.994, 3);
    expect(dem.georef.crs).toBe('UTM zone 25S');
    expect(dem.georef.dxMetres).toBeCloseTo(89.994, 3);
    const stats = rasterStats(dem.data);
    expect(stats.min).toBe(-1);
    expect(stats.max).toBe(88);
    expect(stats.nodataFraction).toBe(0);
  });

  it('reads the Jacksboro .npz with row 0 north and metric cell sizes', async () => {
    const dem = await readNpzDem(shared('terrain/jacksboro_fault_dem.npz'), 'elevation');
    expect([dem.georef.nx, dem.georef.ny]).toEqual([403, 344]);
    expect(dem.georef.crs).toBe('EPSG:4326');
    expect(dem.georef.x0).toBeCloseTo(-84.41375, 6);
    expect(dem.georef.y0).toBeCloseTo(36.73291666666667, 9);
    // 3 arc-seconds at 36.6 N: ~74.4 m east-west, ~92.7 m north-south.
    expect(dem.georef.dxMetres).toBeGreaterThan(73.5);
    expect(dem.georef.dxMetres).toBeLessThan(75.5);
    expect(dem.georef.dyMetres).toBeCloseTo(92.66, 1);
    const stats = rasterStats(dem.data);
    expect(stats.min).toBe(236);
    expect(stats.max).toBe(1076);
  });

  it('reads the Salish Sea topobathy .npz: Mercator-spaced latitudes, 0-360 longitudes, land and sea floor', async () => {
    const dem = await readNpzDem(shared('terrain/topobathy.npz'), 'topo');
    expect([dem.georef.nx, dem.georef.ny]).toEqual([120, 91]);
    expect(dem.georef.crs).toBe('EPSG:3857');
    // numpy: latitude 48.01637 .. 49.98418, longitude 234.0167 .. 237.9834 (= -125.9833 .. -122.0166), centres.
    const R = 6378137;
    const lonEdge = ((234.0167 - 360 - (237.9834 - 234.0167) / 119 / 2) * Math.PI * R) / 180;
    expect(dem.georef.x0).toBeCloseTo(lonEdge, -1);
    const mercY = (lat: number) => R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    const dy = (mercY(49.98418) - mercY(48.01637)) / 90;
    expect(dem.georef.dy).toBeCloseTo(dy, 0);
    expect(dem.georef.y0).toBeCloseTo(mercY(49.98418) + dy / 2, -1);
    // True cell size at 49 N: ~2.43 km.
    expect(dem.georef.dxMetres).toBeGreaterThan(2400);
    expect(dem.georef.dxMetres).toBeLessThan(2460);
    const stats = rasterStats(dem.data);
    expect([stats.min, stats.max]).toEqual([-1437, 2205]);
    // numpy topo[0, 0] = -1405 (south-west), topo[-1, -1] = 1015 (north-east), topo[0, -1] = 99: rows flipped north first.
    expect(dem.data[90 * 120]).toBe(-1405);
    expect(dem.data[119]).toBe(1015);
    expect(dem.data[90 * 120 + 119]).toBe(99);
  });

  it('lists the built-in sites with licences and opens each', async () => {
    const registry = new SiteRegistry(assets);
    const sites = await registry.list();
    expect(sites.map((s) => s.id)).toEqual(['jacksboro', 'olinda', 'salish-sea']);
    for (const s of sites) {
      expect(s.licence.length).toBeGreaterThan(3);
      const dem = await registry.readDem(s.id);
      expect(dem.data.length).toBe(dem.georef.nx * dem.georef.ny);
    }
    await expect(registry.readDem('atlantis')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses bad paths and formats with typed errors naming the file', async () => {
    await expect(readDem('relative.tif')).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(readDem('/nonexistent/dem.tif')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const csv = shared('weather/seattle-weather.csv');
    await expect(readDem(csv)).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('seattle-weather.csv') });
    // A NetCDF file renamed .tif: wrong magic bytes.
    const err = await readGeoTiffFrom(shared('rain/florence_stageiv_hourly.nc'));
    expect(err).toBeInstanceOf(TerraError);
    expect(err.message).toMatch(/not a TIFF file/);
  });
});

async function readGeoTiffFrom(path: string): Promise<TerraError> {
  try {
    await readGeoTiff(path);
  } catch (e) {
    return e as TerraError;
  }
  throw new Error('expected a failure');
}
