// NetCDF-3 reader on the real files in ../shared/data. Expected values were
// computed independently with scipy.io.netcdf_file (numpy), e.g.:
//   d = netcdf_file('trinidad_colorado_3arcsec_feet.nc').variables['data'].data
//   d.min(), d.max(), d[0, 0], d[600, 1200]   (file row 0 is the SOUTH row: lat ascends)
// Our rows run north first, so file row r is our row (ny - 1 - r).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TerraError } from '../../../src/api/errors';
import { rasterStats } from '../../../src/core/raster';
import { formatIsoUtc } from '../../../src/core/time';
import { convertArray } from '../../../src/core/units';
import { parseNetcdfGrid, parseNetcdfHeader, readNcText, readNcValues, readNetcdfGrid, unitsFromFileName } from '../../../src/io/netcdf';
import { MAX_GRID_CELLS } from '../../../src/io/limits';

const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));
const TRINIDAD = shared('terrain/trinidad_colorado_3arcsec_feet.nc');
const FLORENCE = shared('rain/florence_stageiv_hourly.nc');
const storm = (v: string) => shared(`weather/storm_jan1996/${v}storm.cdf`);

function regular(g: Awaited<ReturnType<typeof readNetcdfGrid>>) {
  if (g.geometry.kind !== 'regular') throw new Error('expected a regular grid');
  return g.geometry.georef;
}

describe('NetCDF-3 on the Trinidad DEM (2401 x 1201, feet, 1D lat/lon)', async () => {
  const g = await readNetcdfGrid(TRINIDAD);
  const at = (row: number, col: number) => g.frames[0]![row * g.nx + col]!;

  it('finds the gridded variable, its size and no time axis', () => {
    expect(g.variable).toBe('data');
    expect(g.dims).toEqual(['lat', 'lon']);
    expect([g.nx, g.ny]).toEqual([2401, 1201]);
    expect(g.frames).toHaveLength(1);
    expect(g.times).toBeNull();
    expect(g.format).toBe('classic');
  });

  it('takes feet from the file name (the variable has no units attribute) and says so', () => {
    expect(g.units).toBe('ft');
    expect(g.unitsSource).toBe('file name');
    expect(g.warnings.join('\n')).toMatch(/no units attribute; "ft" taken from the file name/);
  });

  it('georeferences the 3 arc-second grid from the cell-centre coordinates', () => {
    const r = regular(g);
    const step = 1 / 1200;
    expect(r.crs).toBe('EPSG:4326');
    expect(r.dx).toBeCloseTo(step, 10);
    expect(r.dy).toBeCloseTo(step, 10);
    // Centres run -106 .. -104 and 37 .. 38: edges half a cell beyond.
    expect(r.x0).toBeCloseTo(-106 - step / 2, 8);
    expect(r.y0).toBeCloseTo(38 + step / 2, 7);
    // 3" at 37.5 N: ~73.5 m east-west, ~92.7 m north-south.
    expect(r.dxMetres).toBeCloseTo(73.51, 1);
    expect(r.dyMetres).toBeCloseTo(92.66, 1);
  });

  it('has the min, max, mean and cells scipy reads (rows flipped to north first)', () => {
    const s = rasterStats(g.frames[0]!);
    expect(s.min).toBe(4457.52001953125);
    expect(s.max).toBe(14176.16015625);
    expect(s.mean).toBeCloseTo(7342.649089677648, 6);
    expect(s.nodataFraction).toBe(0);
    expect(at(1200, 0)).toBe(8042.56005859375); // file [0, 0]: south-west
    expect(at(1200, 2400)).toBe(6133.60009765625); // file [0, 2400]
    expect(at(0, 0)).toBe(7517.759765625); // file [1200, 0]: north-west
    expect(at(0, 2400)).toBe(4490.31982421875); // file [1200, 2400]
    expect(at(600, 1200)).toBe(7160.23974609375); // file [600, 1200]
    expect(at(1077, 2000)).toBe(6261.52001953125); // file [123, 2000]
  });

  it('converted to metres, matches the elevation range the file itself stores in metres', () => {
    const bytes = new Uint8Array(readFileSync(TRINIDAD));
    const h = parseNetcdfHeader(bytes, 'trinidad.nc');
    // minmax_elevW/E: [min, max] in metres of the west and east tiles.
    const w = readNcValues(bytes, h, 'minmax_elevW');
    const e = readNcValues(bytes, h, 'minmax_elevE');
    const m = rasterStats(convertArray(g.frames[0]!, 'ft', 'm'));
    expect(Math.abs(m.min - Math.min(w[0]!, e[0]!))).toBeLessThan(1);
    expect(Math.abs(m.max - Math.max(w[1]!, e[1]!))).toBeLessThan(2);
  });
});

describe('NetCDF-3 on Stage IV rain for Hurricane Florence (2D lat/lon, 23 hours)', async () => {
  const g = await readNetcdfGrid(FLORENCE);

  it('reads 23 frames of 87 x 118 with the CF time axis', () => {
    expect(g.variable).toBe('Total_precipitation_surface_1_Hour_Accumulation');
    expect([g.nx, g.ny, g.frames.length, g.timeSteps]).toEqual([87, 118, 23, 23]);
    expect(g.units).toBe('kg m^-2');
    expect(g.unitsSource).toBe('attribute');
    expect(g.standardName).toBe('precipitation_amount');
    // "Hour since 2001-12-31T23:00:00Z", values 146396 .. 146418.
    expect(formatIsoUtc(g.times![0]!)).toBe('2018-09-13T19:00:00Z');
    expect(formatIsoUtc(g.times![22]!)).toBe('2018-09-14T17:00:00Z');
    expect(g.times![1]! - g.times![0]!).toBe(3_600_000);
  });

  it('keeps 2D coordinates as a curvilinear grid, north row first', () => {
    expect(g.geometry.kind).toBe('curvilinear');
    if (g.geometry.kind !== 'curvilinear') return;
    const { lat, lon, nx } = g.geometry.coords;
    // file [117, 0] is now row 0; file [0, 86] is now the last row.
    expect(lat[0]).toBeCloseTo(37.6193, 4);
    expect(lon[0]).toBeCloseTo(-78.35603, 4);
    expect(lat[117 * nx + 86]).toBeCloseTo(32.441307, 5);
    expect(lon[117 * nx + 86]).toBeCloseTo(-77.336342, 5);
  });

  it('has the values scipy reads', () => {
    const at = (t: number, fileRow: number, col: number) => g.frames[t]![(117 - fileRow) * 87 + col]!;
    let max = -Infinity;
    let min = Infinity;
    for (const f of g.frames) {
      const s = rasterStats(f);
      max = Math.max(max, s.max);
      min = Math.min(min, s.min);
    }
    expect([min, max]).toEqual([0, 163.75]);
    expect(rasterStats(g.frames[0]!).max).toBe(65.25);
    expect(at(11, 37, 65)).toBe(163.75);
    expect(at(0, 60, 30)).toBe(1.3799999952316284);
    expect(at(22, 90, 50)).toBe(0.75);
    expect(at(5, 10, 70)).toBe(1.25);
    const sum0 = g.frames[0]!.reduce((a, b) => a + b, 0);
    expect(sum0).toBeCloseTo(24687.599796280265, 2);
  });

  it('reads only the frames asked for', () => {
    const bytes = new Uint8Array(readFileSync(FLORENCE));
    const two = parseNetcdfGrid(bytes, 'florence.nc', { frames: [11, 22] });
    expect(two.frames).toHaveLength(2);
    expect(two.frames[0]).toEqual(g.frames[11]);
    expect(Array.from(two.times!)).toEqual([g.times![11], g.times![22]]);
    expect(() => parseNetcdfGrid(bytes, 'florence.nc', { frames: [23] })).toThrow(/frame 23 out of range 0-22/);
  });
});

describe('NetCDF-3 on the January 1996 blizzard (P, T, U, V: 64 six-hourly steps, 36 x 33)', () => {
  // scipy: masked min/max, number of -9999 fills, and cells [t, fileRow, col].
  const expected = {
    P: { v: 'p', min: 96040.25, max: 104415.3125, fills: 14336, cells: [102385.5, 101757.875, 100924.625, 100761.75], empty: [] as number[] },
    T: { v: 't', min: 234.0843048095703, max: 307.78662109375, fills: 15300, cells: [271.65167236328125, 290.3242492675781, 261.11920166015625, 274.51739501953125], empty: [17] },
    U: { v: 'u', min: -22.018218994140625, max: 24.307477951049805, fills: 14336, cells: [-2.889617919921875, 2.3499298095703125, 12.466944694519043, 11.247697830200195], empty: [] },
    V: { v: 'v', min: -20.850830078125, max: Math.fround(30.390335), fills: 16264, cells: [3.102736473083496, -4.139617919921875, 8.203594207763672, 0.6769399642944336], empty: [17, 37] },
  };
  const picks: Array<[number, number, number]> = [
    [0, 32, 0],
    [5, 10, 10],
    [63, 32, 35],
    [30, 20, 20],
  ];

  for (const [name, e] of Object.entries(expected)) {
    it(`${name}storm.cdf: grid, time axis, fills as NaN, values`, async () => {
      const g = await readNetcdfGrid(storm(name));
      expect(g.variable).toBe(e.v);
      expect([g.nx, g.ny, g.frames.length]).toEqual([36, 33, 64]);
      const r = regular(g);
      // lat 20..60 step 1.25, lon -140..-52.5 step 2.5 (centres).
      expect(r).toMatchObject({ x0: -141.25, y0: 60.625, dx: 2.5, dy: 1.25, crs: 'EPSG:4326' });
      // No units on "timestep": hours since the text variable reftime "1996 01 05 00:00".
      expect(formatIsoUtc(g.times![0]!)).toBe('1996-01-05T00:00:00Z');
      expect(formatIsoUtc(g.times![63]!)).toBe('1996-01-20T18:00:00Z');
      expect(g.warnings.join('\n')).toMatch(/assumed hours since reftime "1996 01 05 00:00"/);
      expect(g.units).toBe('');
      let nan = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const f of g.frames) {
        for (const v of f) {
          if (Number.isNaN(v)) nan++;
          else {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
      expect(nan).toBe(e.fills);
      expect([min, max]).toEqual([e.min, e.max]);
      picks.forEach(([t, fileRow, col], k) => expect(g.frames[t]![(32 - fileRow) * 36 + col]).toBe(e.cells[k]));
      const empty = g.frames.map((f, k) => (f.every(Number.isNaN) ? k : -1)).filter((k) => k >= 0);
      expect(empty).toEqual(e.empty);
      if (e.empty.length) expect(g.warnings.join('\n')).toMatch(new RegExp(`${e.empty.join(', ')} of "${e.v}" (holds|hold) no data`));
    });
  }

  it('reads the reference time text and honours explicit time units', () => {
    const bytes = new Uint8Array(readFileSync(storm('P')));
    const h = parseNetcdfHeader(bytes, 'Pstorm.cdf');
    expect(readNcText(bytes, h, 'reftime')).toBe('1996 01 05 00:00');
    const g = parseNetcdfGrid(bytes, 'Pstorm.cdf', { timeUnits: 'minutes since 2000-01-01T00:00:00Z', units: 'Pa' });
    expect(formatIsoUtc(g.times![1]!)).toBe('2000-01-01T00:06:00Z');
    expect(g.units).toBe('Pa');
    expect(g.unitsSource).toBe('option');
  });
});

describe('NetCDF-3 bad input: specific TerraErrors', () => {
  const bytes = new Uint8Array(readFileSync(storm('P')));
  const failure = (b: Uint8Array, opts = {}) => {
    try {
      parseNetcdfGrid(b, 'bad.nc', opts);
    } catch (e) {
      return e as TerraError;
    }
    throw new Error('expected a failure');
  };

  it('wrong magic bytes, HDF5 and CDF-5', () => {
    expect(failure(new TextEncoder().encode('GIF89a....')).message).toMatch(/bad.nc: not a NetCDF file \(bad magic bytes\)/);
    expect(failure(Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])).message).toMatch(/NetCDF-4\/HDF5 is not supported/);
    expect(failure(Uint8Array.from([0x43, 0x44, 0x46, 5, 0, 0, 0, 0])).message).toMatch(/CDF-5/);
    expect(failure(Uint8Array.from([0x43, 0x44])).details).toMatchObject({ file: 'bad.nc', field: 'header' });
  });

  it('a truncated real file names the variable whose bytes are missing', () => {
    const e = failure(bytes.subarray(0, 200_000));
    expect(e).toBeInstanceOf(TerraError);
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toMatch(/truncated: variable "p" needs bytes up to \d+ but the file has 200000/);
    expect(e.details).toMatchObject({ file: 'bad.nc', field: 'p' });
    expect(failure(bytes.subarray(0, 100)).message).toMatch(/corrupt or truncated header/);
  });

  it('an unknown variable or a non-grid variable', () => {
    expect(failure(bytes, { variable: 'q' }).message).toMatch(/no variable "q" \(gridded ones: p\)/);
    expect(failure(bytes, { variable: 'lat' }).message).toMatch(/"lat" is not a grid/);
  });

  it('dimensions needing more memory than allowed are refused before allocating', () => {
    // A hand-made classic header: dims y = 100000, x = 100000, one float variable (10^10 cells).
    const e = failure(tinyHeader(100_000, 100_000));
    expect(e.message).toMatch(/exceeds the limit of \d+ cells/);
    expect(e.details).toMatchObject({ field: 'dimensions' });
    expect(100_000 * 100_000).toBeGreaterThan(MAX_GRID_CELLS);
  });

  it('an all-fill grid is an error, not an empty raster', () => {
    const b = tinyHeader(2, 3, true);
    const e = failure(b);
    expect(e.message).toMatch(/holds no data \(every cell is fill\/missing\)/);
    expect(e.details).toMatchObject({ field: 'z', problem: 'all nodata' });
  });

  it('units from file names', () => {
    expect(unitsFromFileName('trinidad_colorado_3arcsec_feet.nc')).toBe('ft');
    expect(unitsFromFileName('dem-ft.nc')).toBe('ft');
    expect(unitsFromFileName('dem_m.nc')).toBe('m');
    expect(unitsFromFileName('florence.nc')).toBeUndefined();
  });
});

/**
 * A minimal NetCDF classic file: dimensions y, x; one float variable z(y, x)
 * with _FillValue -1; data all fill when `allFill` (else 0..n-1). Only written
 * when the grid is small; a large one gets a header whose data would be past the end.
 */
function tinyHeader(ny: number, nx: number, allFill = false): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  const name = (s: string) => {
    u32(s.length);
    for (const ch of s) parts.push(ch.charCodeAt(0));
    while (parts.length % 4) parts.push(0);
  };
  parts.push(0x43, 0x44, 0x46, 1);
  u32(0); // numrecs
  u32(10); // NC_DIMENSION
  u32(2);
  name('y');
  u32(ny);
  name('x');
  u32(nx);
  u32(0); // no global attributes
  u32(0);
  u32(11); // NC_VARIABLE
  u32(1);
  name('z');
  u32(2);
  u32(0);
  u32(1);
  u32(12); // NC_ATTRIBUTE
  u32(1);
  name('_FillValue');
  u32(5); // float
  u32(1);
  parts.push(0xbf, 0x80, 0, 0); // -1.0f
  u32(5); // float
  u32(Math.min(0xffffffff, nx * ny * 4));
  const offsetAt = parts.length;
  u32(0);
  const begin = parts.length;
  parts[offsetAt] = (begin >>> 24) & 255;
  parts[offsetAt + 1] = (begin >>> 16) & 255;
  parts[offsetAt + 2] = (begin >>> 8) & 255;
  parts[offsetAt + 3] = begin & 255;
  if (nx * ny <= 1e6) {
    for (let i = 0; i < nx * ny; i++) {
      if (allFill) parts.push(0xbf, 0x80, 0, 0);
      else {
        const dv = new DataView(new ArrayBuffer(4));
        dv.setFloat32(0, i);
        parts.push(...new Uint8Array(dv.buffer));
      }
    }
  }
  return Uint8Array.from(parts);
}
