// CRS resolution and transforms. Expected UTM coordinates come from an
// independent implementation of the Kruger series (Karney 2011) in Python,
// not from proj4: e.g. (-105, 37.5) in zone 13N -> (500000.0000, 4150341.3418).
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { metricCrsFor, resolveCrs, transformBetween, utmZoneFor } from '../../../src/core/crs';

const geo = resolveCrs('EPSG:4326');

describe('CRS resolution', () => {
  it('knows geographic, Web Mercator and UTM codes offline', () => {
    expect(resolveCrs('EPSG:4326')).toMatchObject({ geographic: true, webMercator: false });
    expect(resolveCrs('epsg:3857')).toMatchObject({ id: 'EPSG:3857', webMercator: true, geographic: false });
    expect(resolveCrs('EPSG:32613').title).toBe('WGS 84 / UTM zone 13N');
    expect(resolveCrs('EPSG:32725').title).toBe('WGS 84 / UTM zone 25S');
    expect(resolveCrs('EPSG:31985').title).toBe('SIRGAS 2000 / UTM zone 25S');
    expect(resolveCrs('EPSG:26913').title).toBe('NAD83 / UTM zone 13N');
    expect(resolveCrs('EPSG:25832').title).toBe('ETRS89 / UTM zone 32N');
    expect(resolveCrs('UTM zone 25S').proj4).toMatch(/\+zone=25 \+south/);
    expect(resolveCrs('+proj=laea +lat_0=40 +lon_0=-96 +datum=WGS84 +units=m').geographic).toBe(false);
  });

  it('unknown CRSs are TerraErrors naming the field', () => {
    for (const bad of ['EPSG:99999', 'EPSG:2193', 'Lambert somewhere', 'UTM zone 61N', 'unknown', '+proj=nonsense']) {
      let err: unknown;
      try {
        resolveCrs(bad, { file: 'dem.tif' });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(TerraError);
      expect((err as TerraError).details).toMatchObject({ file: 'dem.tif', field: 'crs', problem: 'crs' });
    }
  });

  it('chooses UTM zones from longitude and hemisphere, and equal-area for wide grids', () => {
    expect(utmZoneFor(-105, 37.5)).toBe('EPSG:32613');
    expect(utmZoneFor(-34.85, -8)).toBe('EPSG:32725');
    expect(utmZoneFor(179.9, 10)).toBe('EPSG:32660');
    expect(utmZoneFor(180.1, 10)).toBe('EPSG:32601');
    expect(metricCrsFor(-106, -104, 37, 38)).toBe('EPSG:32613');
    expect(metricCrsFor(-140, -52.5, 20, 60)).toBe('+proj=laea +lat_0=40 +lon_0=-96.25 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs');
  });
});

describe('transforms agree with an independent Kruger-series implementation', () => {
  const cases: Array<[string, number, number, number, number]> = [
    ['EPSG:32613', -105, 37.5, 500000.0, 4150341.3418],
    ['EPSG:32613', -106, 37, 411022.6756, 4095339.6912],
    ['EPSG:32613', -104, 38, 587798.4178, 4206286.7581],
    ['EPSG:32725', -34.85, -8, 296097.2136, 9115243.8898],
    ['EPSG:32610', -123.1, 49.3, 492729.7776, 5460811.0385],
  ];
  for (const [crs, lon, lat, x, y] of cases) {
    it(`${crs} (${lon}, ${lat})`, () => {
      const t = transformBetween(geo, resolveCrs(crs));
      const [ex, ny] = t.forward(lon, lat);
      expect(Math.abs(ex - x)).toBeLessThan(0.001);
      expect(Math.abs(ny - y)).toBeLessThan(0.001);
      const [lon2, lat2] = t.inverse(ex, ny);
      expect(Math.abs(lon2 - lon)).toBeLessThan(1e-9);
      expect(Math.abs(lat2 - lat)).toBeLessThan(1e-9);
    });
  }

  it('Web Mercator is R * lon and R * ln(tan(pi/4 + lat/2)) on the sphere', () => {
    const t = transformBetween(geo, resolveCrs('EPSG:3857'));
    const [x, y] = t.forward(-126, 49);
    const R = 6378137;
    expect(x).toBeCloseTo((R * -126 * Math.PI) / 180, 6);
    expect(y).toBeCloseTo(R * Math.log(Math.tan(Math.PI / 4 + (49 * Math.PI) / 360)), 6);
  });
});
