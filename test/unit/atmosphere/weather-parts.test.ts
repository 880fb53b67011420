// Small parts of the weather scenario: time brackets, unit checks, grid
// north, and the shared covering-grid mapping.
import { describe, expect, it } from 'vitest';
import { makeGeoref } from '../../../src/core/georef';
import { coveringMapping } from '../../../src/core/grid-mapping';
import { convergenceAngle, toGridAxes } from '../../../src/weather/grid-north';
import { bracket } from '../../../src/weather/time-bracket';
import { toSi } from '../../../src/weather/variable-units';

describe('time brackets', () => {
  const times = Float64Array.of(0, 100, 300);
  it('finds the frames around an instant, exact frames alone', () => {
    expect(bracket(times, 100)).toEqual({ i0: 1, i1: 1, w: 0 });
    expect(bracket(times, 150)).toEqual({ i0: 1, i1: 2, w: 0.25 });
    expect(bracket(times, 0)).toEqual({ i0: 0, i1: 0, w: 0 });
    expect(bracket(times, 301)).toMatch(/is outside 1970-01-01T00:00:00Z to 1970-01-01T00:00:00.300Z/);
  });
});

describe('units of weather variables', () => {
  it('converts to SI', () => {
    expect(toSi('temperature', '', 'degC', 'f.nc', 'source.temperature')).toMatchObject({ scale: 1, offset: 273.15 });
    expect(toSi('wind_speed', 'kn', undefined, 'f.csv', 'source.series.0').scale).toBeCloseTo(1852 / 3600, 12);
    expect(toSi('relative_humidity', '%', '%', 'f.nc', 'x').scale).toBe(0.01);
  });

  it.each([
    ['temperature', '', undefined, /x: f: no units for temperature; give x\.units \(K, degC, degF\)/],
    ['temperature', 'K', 'degC', /inconsistent units: the file says K, x\.units says degC/],
    ['pressure', 'm/s', undefined, /pressure in "m\/s" \(in the file\) is not a pressure/],
    ['u', '', 'furlongs', /unknown units "furlongs"/],
  ])('refuses %s with file units "%s" and scenario units %s', (variable, file, given, message) => {
    expect(() => toSi(variable, file, given, 'f', 'x')).toThrow(message);
  });
});

describe('grid north', () => {
  it('is true north on a longitude/latitude grid and turned by the meridian convergence on UTM', () => {
    expect(convergenceAngle(makeGeoref({ nx: 10, ny: 10, x0: -84.4, y0: 36.7, dx: 0.01, dy: 0.01, crs: 'EPSG:4326' }))).toBe(0);
    // Jacksboro (84.25 W, 36.59 N) in UTM 17N, 3.25 degrees west of the central meridian: meridians lean
    // towards it going north, so true north lies clockwise of grid north by ~3.25 * sin(36.59 deg) = 1.94 deg.
    const utm = makeGeoref({ nx: 100, ny: 100, x0: 204500, y0: 4058000, dx: 100, dy: 100, crs: 'EPSG:32617' });
    const gamma = (convergenceAngle(utm) * 180) / Math.PI;
    expect(gamma).toBeGreaterThan(1.9);
    expect(gamma).toBeLessThan(2.0);
    // A wind from the west keeps its speed and gains a grid-north component of sin(-gamma).
    const u = Float32Array.of(10);
    const v = Float32Array.of(0);
    toGridAxes(u, v, convergenceAngle(utm));
    expect(Math.hypot(u[0]!, v[0]!)).toBeCloseTo(10, 5);
    expect(v[0]!).toBeCloseTo(-10 * Math.sin(convergenceAngle(utm)), 5);
  });
});

describe('covering mapping', () => {
  const source = { kind: 'regular', spacing: 'regular', georef: makeGeoref({ nx: 4, ny: 4, x0: 0, y0: 400, dx: 100, dy: 100, crs: 'EPSG:32633' }) } as const;

  it('interpolates bilinearly inside the source', () => {
    const target = makeGeoref({ nx: 2, ny: 1, x0: 100, y0: 250, dx: 100, dy: 100, crs: 'EPSG:32633' });
    const map = coveringMapping(source, target, 'src.nc');
    // Source values = column index; target centres at x = 150, 250: columns 1.0 and 2.0 (centres at 50 + 100 c).
    const frame = Float32Array.from({ length: 16 }, (_, k) => k % 4);
    expect(Array.from(map(frame))).toEqual([1, 2]);
  });

  it('refuses a target reaching beyond the source, and a source without coordinates', () => {
    const target = makeGeoref({ nx: 3, ny: 1, x0: 300, y0: 250, dx: 100, dy: 100, crs: 'EPSG:32633' });
    expect(() => coveringMapping(source, target, 'src.nc', 'the DEM')).toThrow(/src\.nc does not cover the DEM: 2 of 3 cells lie outside it \(first at row 0, column 1; DEM x 300\.0000\.\.600\.0000/);
    expect(() => coveringMapping({ ...source, spacing: 'index' }, target, 'src.nc')).toThrow(/src\.nc: the grid has no coordinates/);
  });
});
