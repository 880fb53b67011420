// Station interpolation building blocks on small, exactly known cases: the
// dense solver, IDW and kriging weights, the variogram fit and
// leave-one-out bookkeeping.
import { describe, expect, it } from 'vitest';
import { leaveOneOut } from '../../../src/weather/interpolate/cross-validate';
import { DenseLu } from '../../../src/weather/interpolate/dense-lu';
import { inverseDistance } from '../../../src/weather/interpolate/idw';
import { stationMean } from '../../../src/weather/interpolate/interpolator';
import { ordinaryKriging } from '../../../src/weather/interpolate/kriging';
import { StationGridInterpolator } from '../../../src/weather/interpolate/station-grid';
import { fitVariogram, variogramValue, type EmpiricalVariogram, type VariogramModel } from '../../../src/weather/interpolate/variogram';

// Five stations (metres) and their values.
const x = Float64Array.of(0, 10000, 0, 10000, 4000);
const y = Float64Array.of(0, 0, 10000, 10000, 6000);
const values = [3, 5, 4, 8, 6];
const all = [true, true, true, true, true];
const model: VariogramModel = { model: 'exponential', nugget: 0.2, partialSill: 3, range: 5000 };

describe('dense LU', () => {
  it('solves a system needing pivots, and refuses a singular one', () => {
    const lu = new DenseLu(Float64Array.of(0, 2, 1, 1, 1, 0, 3, 0, 1), 3);
    // x = (1, 2, 3): b = (0*1 + 2*2 + 1*3, 1 + 2, 3 + 3) = (7, 3, 6)
    expect(Array.from(lu.solve(Float64Array.of(7, 3, 6))).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
    expect(() => new DenseLu(Float64Array.of(1, 2, 2, 4), 2)).toThrow(RangeError);
  });
});

describe.each([
  ['idw', inverseDistance(x, y, 2)],
  ['kriging', ordinaryKriging(x, y, model)],
])('%s weights', (_name, interp) => {
  const w = new Float64Array(5);
  const f = interp.prepare(all);

  it('are exact at a station and sum to one anywhere', () => {
    f(x[3]!, y[3]!, w);
    expect(Array.from(w).map((v) => Number(v.toFixed(9)))).toEqual([0, 0, 0, 1, 0]);
    f(2500, 7000, w);
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('give no weight to stations not in use', () => {
    interp.prepare([true, false, true, true, false])(5000, 5000, w);
    expect([w[1], w[4]]).toEqual([0, 0]);
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });
});

describe('kriging', () => {
  it('weighs a near station more than a far one, and a lone station fully', () => {
    const w = new Float64Array(5);
    ordinaryKriging(x, y, model).prepare(all)(1000, 1000, w);
    expect(w[0]!).toBeGreaterThan(w[3]!);
    ordinaryKriging(x, y, model).prepare([false, false, true, false, false])(1000, 1000, w);
    expect(Array.from(w)).toEqual([0, 0, 1, 0, 0]);
  });
});

describe('variogram fit', () => {
  it.each(['exponential', 'spherical'] as const)('recovers the %s model an empirical variogram was drawn from', (name) => {
    const truth: VariogramModel = { model: name, nugget: 0.5, partialSill: 4, range: 30000 };
    const lags = Float64Array.from({ length: 12 }, (_, j) => 4000 * (j + 1));
    const emp: EmpiricalVariogram = { lags, gamma: lags.map((h) => variogramValue(truth, h)), pairs: Int32Array.from(lags, (_, j) => 20 - j) };
    const fit = fitVariogram(emp, name);
    expect(fit.nugget).toBeCloseTo(0.5, 3);
    expect(fit.partialSill / 4).toBeCloseTo(1, 3);
    expect(fit.range / 30000).toBeCloseTo(1, 3);
  });

  it('keeps the nugget and sill non-negative', () => {
    // Rising straight from the origin: a fit with a negative nugget would be closer; it is held at 0.
    const lags = Float64Array.of(1000, 2000, 3000, 4000);
    const fit = fitVariogram({ lags, gamma: Float64Array.of(0.05, 0.6, 1.0, 1.2), pairs: Int32Array.of(5, 5, 5, 5) }, 'spherical');
    expect(fit.nugget).toBeGreaterThanOrEqual(0);
    expect(fit.partialSill).toBeGreaterThan(0);
  });
});

describe('leave-one-out and the grid', () => {
  it('scores the station mean by hand', () => {
    // One time: predictions are the mean of the other four.
    const series = values.map((v) => Float64Array.of(v));
    const cv = leaveOneOut(stationMean(), x, y, series);
    const errors = values.map((v) => (26 - v) / 4 - v); // sum = 26
    expect(cv.n).toBe(5);
    expect(cv.bias).toBeCloseTo(errors.reduce((s, e) => s + e, 0) / 5, 12);
    expect(cv.rmse).toBeCloseTo(Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / 5), 12);
  });

  it('skips missing values: a station missing at a time is neither predicted nor used', () => {
    const series = [Float64Array.of(1, 1), Float64Array.of(2, NaN), Float64Array.of(3, 3)];
    const cv = leaveOneOut(stationMean(), x.subarray(0, 3), y.subarray(0, 3), series);
    expect(cv.stations.map((s) => s.n)).toEqual([2, 1, 2]);
  });

  it('maps values onto targets, reweighting when a station goes missing', () => {
    const grid = new StationGridInterpolator(inverseDistance(x, y, 2), Float64Array.of(0, 5000), Float64Array.of(0, 5000), 5);
    const a = grid.apply(values);
    expect(a[0]).toBe(3);
    const b = grid.apply([NaN, 5, 4, 8, 6]);
    expect(b[0]!).toBeGreaterThan(4);
    expect(Array.from(grid.apply([NaN, NaN, NaN, NaN, NaN])).every(Number.isNaN)).toBe(true);
  });
});
