// Grid operations on real grids: reprojection of the Trinidad DEM to UTM,
// resampling and clipping of the Olinda DEM, curvilinear regridding of the
// Florence rain grid, axis fitting of the topobathy latitudes. Exactness is
// checked with fields whose interpolants are known (planes), values against
// direct samples of the source.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { TerraError } from '../../../src/api/errors';
import { fitAxis, georefFromAxes, flipGrid, mercatorY } from '../../../src/core/axis';
import { resolveCrs, transformBetween } from '../../../src/core/crs';
import { curvilinearMapping, curvilinearTargetGrid } from '../../../src/core/curvilinear';
import { cellCentreX, cellCentreY, extentOf, makeGeoref } from '../../../src/core/georef';
import { convertRasterUnits, rasterStats, type Raster } from '../../../src/core/raster';
import { reproject, reprojectedGrid, warp } from '../../../src/core/reproject';
import { clip, resample } from '../../../src/core/resample';
import { sampleBilinear, sampleNearest } from '../../../src/core/sample';
import { readGeoTiff } from '../../../src/io/geotiff';
import { readNetcdfGrid } from '../../../src/io/netcdf';
import { readNpz } from '../../../src/io/npz';

const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));

async function trinidadMetres(): Promise<Raster> {
  const g = await readNetcdfGrid(shared('terrain/trinidad_colorado_3arcsec_feet.nc'));
  if (g.geometry.kind !== 'regular') throw new Error('regular expected');
  return convertRasterUnits({ data: g.frames[0]!, units: g.units, georef: g.geometry.georef }, 'm');
}

describe('sampling kernels', () => {
  const data = Float32Array.from([0, 1, 2, 10, 11, 12]); // 3 x 2: v = c + 10 r
  it('bilinear reproduces a plane; nearest picks the cell', () => {
    expect(sampleBilinear(data, 3, 2, 0.25, 0.5)).toBeCloseTo(5.25, 6);
    expect(sampleBilinear(data, 3, 2, 1.5, 0)).toBeCloseTo(1.5, 6);
    expect(sampleNearest(data, 3, 2, 1.6, 0.4)).toBe(2);
    expect(Number.isNaN(sampleNearest(data, 3, 2, -0.6, 0))).toBe(true);
    expect(Number.isNaN(sampleBilinear(data, 3, 2, 2.6, 0))).toBe(true);
  });
  it('bilinear renormalises over valid neighbours, nodata when the nearest is nodata', () => {
    const holes = Float32Array.from([0, NaN, 2, 10, 11, 12]);
    expect(sampleBilinear(holes, 3, 2, 0.4, 0.5)).toBeCloseTo((0 * 0.3 + 10 * 0.3 + 11 * 0.2) / 0.8, 5);
    expect(Number.isNaN(sampleBilinear(holes, 3, 2, 1, 0.2))).toBe(true);
  });
});

describe('reprojection of the real Trinidad DEM to UTM 13N at 90 m', async () => {
  const src = await trinidadMetres();
  const out = reproject(src, { cellSize: 90 });
  const g = out.georef;

  it('chooses the UTM zone of the centre and covers the footprint on whole 90 m cells', () => {
    expect(g.crs).toBe('EPSG:32613');
    expect([g.dx, g.dy, g.dxMetres]).toEqual([90, 90, 90]);
    expect(g.x0 % 90).toBe(0);
    expect(g.y0 % 90).toBe(0);
    // Corners of the lat/lon box in UTM 13N (independent Kruger series): (-106, 37) -> x 411022.7, (-104, 38) -> x 587798.4.
    const e = extentOf(g);
    expect(e.xmin).toBeLessThanOrEqual(411022.68 - 0.5 * 73.5);
    expect(e.xmin).toBeGreaterThan(411022.68 - 400);
    expect(e.xmax).toBeGreaterThanOrEqual(587798.42);
    expect(e.ymax).toBeGreaterThanOrEqual(4206286.76);
    expect([g.nx, g.ny]).toEqual([1979, 1240]);
  });

  it('keeps the elevation range (ft converted to m) and leaves only the rotated corners empty', () => {
    const s = rasterStats(out.data);
    expect(s.min).toBeGreaterThanOrEqual(4457.52 * 0.3048 - 0.01);
    expect(s.max).toBeLessThanOrEqual(14176.16 * 0.3048 + 0.01);
    expect(s.max).toBeGreaterThan(4250);
    expect(s.nodataFraction).toBeGreaterThan(0.005);
    expect(s.nodataFraction).toBeLessThan(0.06);
  });

  it('each cell holds the source sampled at its centre (checked on 2000 cells against exact proj4 + bilinear)', () => {
    const toGeo = transformBetween(resolveCrs(g.crs), resolveCrs('EPSG:4326'));
    const sg = src.georef;
    let worst = 0;
    let checked = 0;
    for (let k = 0; k < 2000; k++) {
      const r = (k * 7919) % g.ny;
      const c = (k * 104729) % g.nx;
      const [lon, lat] = toGeo.forward(cellCentreX(g, c), cellCentreY(g, r));
      const expected = sampleBilinear(src.data, sg.nx, sg.ny, (lon - sg.x0) / sg.dx - 0.5, (sg.y0 - lat) / sg.dy - 0.5);
      const got = out.data[r * g.nx + c]!;
      if (Number.isNaN(expected)) {
        expect(Number.isNaN(got)).toBe(true);
        continue;
      }
      // The lattice approximation moves sample points by < 0.02 source cells.
      worst = Math.max(worst, Math.abs(got - expected));
      checked++;
    }
    expect(checked).toBeGreaterThan(1800);
    expect(worst).toBeLessThan(3);
  });

  it('the approximate transformer matches exact per-cell projection on a clipped window', () => {
    const small = clip(src, { xmin: -105.3, xmax: -105.0, ymin: 37.2, ymax: 37.4 });
    const target = reprojectedGrid(small.georef, 'utm', 90);
    const approx = warp(small, target, 'bilinear', 0.02);
    const exact = warp(small, target, 'bilinear', 0);
    let worst = 0;
    for (let i = 0; i < exact.data.length; i++) if (!Number.isNaN(exact.data[i]!)) worst = Math.max(worst, Math.abs(exact.data[i]! - approx.data[i]!));
    expect(worst).toBeLessThan(1);
  });

  it('refuses target grids over the cell limit and unknown CRSs', () => {
    expect(() => reproject(src, { cellSize: 0.5 })).toThrow(/exceeds the limit/);
    expect(() => reproject(src, { crs: 'EPSG:99999' })).toThrow(TerraError);
    expect(() => reproject({ ...src, georef: { ...src.georef, crs: 'unknown' } })).toThrow(/no CRS/);
  });
});

describe('resampling and clipping the real Olinda DEM (UTM 25S, 90 m)', async () => {
  const dem = await readGeoTiff(shared('terrain/olinda_dem_utm25s.tif'));
  const g = dem.georef;

  it('nearest at twice the cell size picks every other cell; bilinear averages the 2 x 2 block', () => {
    const near = resample(dem, g.dx * 2, g.dy * 2, 'nearest');
    expect([near.georef.nx, near.georef.ny]).toEqual([56, 56]);
    expect([near.georef.x0, near.georef.y0]).toEqual([g.x0, g.y0]);
    const bil = resample(dem, g.dx * 2, g.dy * 2, 'bilinear');
    for (const [r, c] of [
      [3, 4],
      [20, 30],
      [50, 10],
    ] as const) {
      const i = 2 * r * g.nx + 2 * c;
      // Target centre (c + 0.5) * 2dx falls on source index 2c + 0.5: nearest rounds up, bilinear averages 4 cells.
      expect(near.data[r * 56 + c]).toBe(dem.data[i + g.nx + 1]);
      const mean4 = (dem.data[i]! + dem.data[i + 1]! + dem.data[i + g.nx]! + dem.data[i + g.nx + 1]!) / 4;
      expect(bil.data[r * 56 + c]).toBeCloseTo(mean4, 4);
    }
  });

  it('bilinear upsampling reproduces a plane exactly', () => {
    const plane = { ...dem, data: Float32Array.from({ length: g.nx * g.ny }, (_, i) => (i % g.nx) * 2 + Math.floor(i / g.nx) * 3) };
    const fine = resample(plane, g.dx / 3, g.dy / 3, 'bilinear');
    const f = fine.georef;
    for (let r = 5; r < f.ny - 5; r += 37) {
      for (let c = 5; c < f.nx - 5; c += 41) {
        const sc = ((c + 0.5) * f.dx) / g.dx - 0.5;
        const sr = ((r + 0.5) * f.dy) / g.dy - 0.5;
        expect(fine.data[r * f.nx + c]).toBeCloseTo(sc * 2 + sr * 3, 3);
      }
    }
  });

  it('clips to whole cells overlapping an extent', () => {
    const e = extentOf(g);
    const part = clip(dem, { xmin: e.xmin + 1000, xmax: e.xmin + 2000, ymin: e.ymax - 3000, ymax: e.ymax - 1000 });
    const c0 = Math.floor(1000 / g.dx);
    const r0 = Math.floor(1000 / g.dy);
    expect(part.georef.x0).toBeCloseTo(g.x0 + c0 * g.dx, 6);
    expect(part.georef.y0).toBeCloseTo(g.y0 - r0 * g.dy, 6);
    expect(part.georef.nx).toBe(Math.ceil(2000 / g.dx) - c0);
    expect(part.data[0]).toBe(dem.data[r0 * g.nx + c0]);
    expect(() => clip(dem, { xmin: 0, xmax: 1, ymin: 0, ymax: 1 })).toThrow(/does not overlap/);
    expect(() => clip(dem, { xmin: 1, xmax: 0, ymin: 0, ymax: 1 })).toThrow(/xmax > xmin/);
    expect(() => resample(dem, -5)).toThrow(/cell size must be positive/);
  });
});

describe('curvilinear regridding of the real Florence grid (2D lat/lon)', async () => {
  const g = await readNetcdfGrid(shared('rain/florence_stageiv_hourly.nc'));
  if (g.geometry.kind !== 'curvilinear') throw new Error('curvilinear expected');
  const coords = g.geometry.coords;
  const target = curvilinearTargetGrid(coords);
  const mapping = curvilinearMapping(coords, target);

  it('targets UTM 18N at about the source spacing (~4 km)', () => {
    expect(target.crs).toBe('EPSG:32618');
    expect(target.dx).toBeGreaterThan(3900);
    expect(target.dx).toBeLessThan(4200);
  });

  it('linear interpolation on the triangles reproduces a field linear in the target coordinates', () => {
    const t = transformBetween(resolveCrs('EPSG:4326'), resolveCrs(target.crs));
    const field = Float32Array.from({ length: coords.nx * coords.ny }, (_, i) => {
      const [x, y] = t.forward(coords.lon[i]!, coords.lat[i]!);
      return (x - target.x0) / 1000 + (target.y0 - y) / 2000;
    });
    const out = mapping.apply(field);
    let valid = 0;
    for (let r = 0; r < target.ny; r++) {
      for (let c = 0; c < target.nx; c++) {
        const v = out[r * target.nx + c]!;
        if (Number.isNaN(v)) continue;
        valid++;
        expect(v).toBeCloseTo((cellCentreX(target, c) - target.x0) / 1000 + (target.y0 - cellCentreY(target, r)) / 2000, 1);
      }
    }
    // The polar-stereographic source grid is turned ~27 degrees in UTM 18N (central meridian
    // 105 W vs 75 W): its hull covers about half of its bounding box.
    expect(valid / out.length).toBeGreaterThan(0.45);
  });

  it('rain totals and maxima survive regridding within interpolation limits', () => {
    const out = mapping.apply(g.frames[11]!);
    const s = rasterStats(out);
    expect(s.max).toBeLessThanOrEqual(163.75);
    expect(s.max).toBeGreaterThan(100);
    expect(s.min).toBeGreaterThanOrEqual(0);
  });
});

describe('coordinate axes', async () => {
  const npz = await readNpz(shared('terrain/topobathy.npz'));
  const lat = npz.get('latitude')!.data;

  it('recognises the topobathy latitudes as Mercator-spaced, not regular in degrees', () => {
    expect(fitAxis(lat).kind).toBe('irregular');
    const f = fitAxis(lat, true);
    expect(f.kind).toBe('mercator');
    expect(f.step).toBeCloseTo((mercatorY(49.98418) - mercatorY(48.01637)) / 90, 0);
  });

  it('a regular axis gives edges half a cell beyond the centres; reversed axes flip', () => {
    const fit = georefFromAxes([10.5, 11.5, 12.5], [2.5, 1.5], 'EPSG:4326', true)!;
    expect(fit.georef).toMatchObject({ x0: 10, y0: 3, dx: 1, dy: 1 });
    expect([fit.flipX, fit.flipY]).toEqual([false, false]);
    const rev = georefFromAxes([12.5, 11.5, 10.5], [1.5, 2.5], 'EPSG:4326', true)!;
    expect([rev.flipX, rev.flipY]).toEqual([true, true]);
    const d = Float32Array.from([1, 2, 3, 4, 5, 6]);
    flipGrid(d, 3, 2, true, true);
    expect(Array.from(d)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(georefFromAxes([0, 1, 5], [0, 1], 'EPSG:4326', true)).toBeUndefined();
  });

  it('Web Mercator georeferences carry ground cell sizes', () => {
    const g = makeGeoref({ nx: 10, ny: 10, x0: 0, y0: mercatorY(49) + 5 * 3000, dx: 3000, dy: 3000, crs: 'EPSG:3857' });
    expect(g.dxMetres).toBeCloseTo(3000 * Math.cos((49 * Math.PI) / 180), 0);
  });
});
