// Statistics, spike detection, gap filling and z-scores on the real data sets.
// Reference statistics come from numpy (np.median, np.abs(d - m) median, d.std()).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readGeoTiff } from '../../../src/io/geotiff';
import { readNetcdfGrid } from '../../../src/io/netcdf';
import { readNpzDem } from '../../../src/io/npz-dem';
import { readStationCsv } from '../../../src/io/station-csv';
import { medianInPlace, summaryStats } from '../../../src/data/stats';
import { countOnes, rasterSpikes, robustScale, seriesSpikes } from '../../../src/data/spikes';
import { fillFramesLinear, fillRasterHoles, fillSeriesLinear } from '../../../src/data/gapfill';
import { denormalise, normalise, zScoreFrom } from '../../../src/data/normalise';

const shared = (p: string) => fileURLToPath(new URL(`../../../../shared/data/${p}`, import.meta.url));

describe('summary statistics', () => {
  it('median and MAD by quickselect match numpy on the 2.9 M-cell Trinidad grid', async () => {
    const g = await readNetcdfGrid(shared('terrain/trinidad_colorado_3arcsec_feet.nc'));
    const s = summaryStats(g.frames[0]!);
    expect(s.count).toBe(2883601);
    expect(s.median).toBe(7494.7998046875);
    expect(s.mad).toBe(1180.7998046875);
    expect(s.std).toBeCloseTo(1609.1908560127702, 6);
    expect(s.mean).toBeCloseTo(7342.649089677648, 6);
  });

  it('matches numpy on Seattle temperatures; NaN is nodata', async () => {
    const s = await readStationCsv(shared('weather/seattle-weather.csv'), { units: { '*': 'degC' } });
    const t = summaryStats(s.variables.find((v) => v.name === 'temp_max')!.values);
    expect([t.median, t.min, t.max]).toEqual([15.6, -1.6, 35.6]);
    expect(t.mad).toBeCloseTo(5.6, 12);
    expect(t.std).toBeCloseTo(7.347242349178532, 12);
    expect(summaryStats([NaN, 1, 3, NaN])).toMatchObject({ count: 2, nodata: 2, median: 2, mean: 2 });
    expect(summaryStats([NaN]).count).toBe(0);
    expect(medianInPlace(Float64Array.from([5, 1, 4, 2]))).toBe(3);
  });
});

describe('spike detection (robust z-score)', () => {
  it('finds single-cell spikes injected into real DEMs and few candidates in the untouched ones', async () => {
    for (const [name, dem, injected, maxReal] of [
      ['olinda', await readGeoTiff(shared('terrain/olinda_dem_utm25s.tif')), 300, 10],
      ['jacksboro', await readNpzDem(shared('terrain/jacksboro_fault_dem.npz'), 'elevation'), 300, 5],
    ] as const) {
      const { nx, ny } = dem.georef;
      const real = countOnes(rasterSpikes(dem.data, nx, ny));
      expect(real, name).toBeLessThanOrEqual(maxReal);
      const data = dem.data.slice();
      const cells = Array.from({ length: 20 }, (_, k) => (5 + ((k * 37) % (ny - 10))) * nx + 5 + ((k * 53) % (nx - 10)));
      cells.forEach((i, k) => (data[i] = data[i]! + (k % 2 ? injected : -injected)));
      const mask = rasterSpikes(data, nx, ny);
      expect(cells.every((i) => mask[i] === 1), name).toBe(true);
      expect(countOnes(mask), name).toBeLessThanOrEqual(20 + real + 2);
    }
  });

  it('Hampel filter flags a spike in a real temperature series; MAD 0 falls back to a higher quantile', async () => {
    const s = await readStationCsv(shared('weather/seattle-weather.csv'), { units: { '*': 'degC' } });
    const t = s.variables.find((v) => v.name === 'temp_max')!.values.slice();
    const before = countOnes(seriesSpikes(t));
    t[700] = t[700]! + 30;
    const mask = seriesSpikes(t);
    expect(mask[700]).toBe(1);
    expect(countOnes(mask)).toBeLessThanOrEqual(before + 1);
    // Mostly dry days: more than half the residuals are 0.
    const rain = s.variables.find((v) => v.name === 'precipitation')!.values;
    const { sigma } = robustScale(rain);
    expect(sigma).toBeGreaterThan(0);
    expect(robustScale([1, 1, 1, 1]).sigma).toBe(0);
  });
});

describe('gap filling', () => {
  it('series: linear in time (not index), ends and over-long gaps left', () => {
    const t = [0, 1, 3, 4, 10, 11, 12];
    const v = Float64Array.from([NaN, 1, NaN, 4, NaN, 6, NaN]);
    const { values, report } = fillSeriesLinear(t, v, 3);
    expect(values[2]).toBeCloseTo(1 + (3 * 2) / 3, 12);
    expect(Number.isNaN(values[4]!)).toBe(true); // gap of 7 > 3
    expect(Number.isNaN(values[0]!) && Number.isNaN(values[6]!)).toBe(true);
    expect(report).toEqual({ filled: 1, remaining: 3 });
  });

  it('fields: the all-nodata frame 17 of the real Tstorm.cdf is rebuilt from frames 16 and 18', async () => {
    const g = await readNetcdfGrid(shared('weather/storm_jan1996/Tstorm.cdf'));
    const { frames, report } = fillFramesLinear(g.times!, g.frames);
    // scipy: file [16|18, row, col]; our row = 32 - file row. Equal 6 h steps: the midpoint.
    const cell = (fileRow: number, col: number) => (32 - fileRow) * 36 + col;
    for (const [r, c, a, b] of [
      [32, 0, 276.51324462890625, 276.5304260253906],
      [20, 20, 271.76324462890625, 270.5304260253906],
      [30, 35, 270.51324462890625, 272.7804260253906],
    ] as const) {
      expect(frames[17]![cell(r, c)]).toBeCloseTo((a + b) / 2, 4);
    }
    expect(report.filled).toBe(33 * 36 - 224);
    expect(Number.isNaN(g.frames[17]![0]!)).toBe(true); // input untouched
  });

  it('rasters: Laplace fill is exact for harmonic surfaces and close on a real DEM; edge nodata stays', async () => {
    const nx = 40;
    const ny = 30;
    const plane = Float32Array.from({ length: nx * ny }, (_, i) => 3 * (i % nx) - 2 * Math.floor(i / nx) + 100);
    const holed = plane.slice();
    for (let r = 8; r < 20; r++) for (let c = 10; c < 31; c++) holed[r * nx + c] = NaN;
    holed[0] = NaN; // touches the edge: left alone
    const lap = fillRasterHoles(holed, nx, ny);
    expect(lap.report).toEqual({ filled: 12 * 21, remaining: 1 });
    for (let i = 1; i < plane.length; i++) expect(lap.data[i]).toBeCloseTo(plane[i]!, 2);
    expect(Number.isNaN(lap.data[0]!)).toBe(true);

    const dem = await readGeoTiff(shared('terrain/olinda_dem_utm25s.tif'));
    const { nx: w, ny: h } = dem.georef;
    const cut = dem.data.slice();
    const hole: number[] = [];
    for (let r = 40; r < 50; r++) for (let c = 60; c < 70; c++) hole.push(r * w + c);
    hole.forEach((i) => (cut[i] = NaN));
    for (const method of ['laplace', 'idw'] as const) {
      const f = fillRasterHoles(cut, w, h, { method });
      const rmse = Math.sqrt(hole.reduce((s, i) => s + (f.data[i]! - dem.data[i]!) ** 2, 0) / hole.length);
      const spread = summaryStats(hole.map((i) => dem.data[i]!)).std;
      expect(rmse, method).toBeLessThan(spread);
      expect(f.report.filled).toBe(100);
    }
  });
});

describe('z-score normalisation', () => {
  it('round-trips the real Olinda DEM through normalise/denormalise', async () => {
    const dem = await readGeoTiff(shared('terrain/olinda_dem_utm25s.tif'));
    const z = zScoreFrom(summaryStats(dem.data));
    const n = normalise(dem.data, z);
    const ns = summaryStats(n);
    expect(ns.mean).toBeCloseTo(0, 5);
    expect(ns.std).toBeCloseTo(1, 5);
    const back = denormalise(n, z);
    for (let i = 0; i < back.length; i += 97) expect(back[i]).toBeCloseTo(dem.data[i]!, 3);
    expect(zScoreFrom({ mean: 5, std: 0 }).std).toBe(1);
  });
});
