// Station interpolation on real data: daily mean wind at 12 Irish synoptic
// stations, 1961-1978 (6574 days, knots; gstat's `wind` data). Leave-one-out
// cross-validation of inverse distance weighting and ordinary kriging (pooled
// variogram, exponential and spherical fits) against the station-mean
// baseline: each station's value on each day predicted from the other 11.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveCrs, transformBetween } from '../../../src/core/crs';
import { readStationCsv, readStationLocations } from '../../../src/io/station-csv';
import { leaveOneOut, type CrossValidation } from '../../../src/weather/interpolate/cross-validate';
import { inverseDistance } from '../../../src/weather/interpolate/idw';
import { stationMean } from '../../../src/weather/interpolate/interpolator';
import { ordinaryKriging } from '../../../src/weather/interpolate/kriging';
import { empiricalVariogram, fitVariogram, variogramValue } from '../../../src/weather/interpolate/variogram';

const DATA = new URL('../../../../shared/data/weather/', import.meta.url).pathname;
const KNOT = 1852 / 3600;

let x: Float64Array;
let y: Float64Array;
let codes: string[];
let series: Float64Array[];
let baseline: CrossValidation;

const fmt = (cv: CrossValidation) => `RMSE ${cv.rmse.toFixed(3)} m/s, bias ${cv.bias >= 0 ? '+' : ''}${cv.bias.toFixed(3)} m/s`;

beforeAll(async () => {
  const s = await readStationCsv(`${DATA}wind_ireland.csv`, { units: { '*': 'kn' } });
  const locations = await readStationLocations(`${DATA}wind_ireland_loc.csv`);
  const toUtm = transformBetween(resolveCrs('EPSG:4326'), resolveCrs('EPSG:32629'));
  codes = s.variables.map((v) => v.name);
  x = new Float64Array(codes.length);
  y = new Float64Array(codes.length);
  codes.forEach((code, i) => {
    const l = locations.find((loc) => loc.code === code)!;
    [x[i], y[i]] = toUtm.forward(l.lon, l.lat);
  });
  series = s.variables.map((v) => v.values.map((kn) => kn * KNOT));
  baseline = leaveOneOut(stationMean(), x, y, series);
});

describe('Irish wind stations, leave-one-out', () => {
  it('reads 12 complete stations over 6574 days', () => {
    expect(codes).toHaveLength(12);
    expect(series.every((s) => s.length === 6574 && s.every((v) => v === v))).toBe(true);
    expect(baseline.n).toBe(12 * 6574);
    expect(Math.abs(baseline.bias)).toBeLessThan(1e-9); // the mean of the others, averaged over all, is unbiased
  });

  it('kriging beats the station-mean baseline by over 10 % and IDW by over 5 %', () => {
    const emp = empiricalVariogram(x, y, series, 10);
    const lines = [`[stations] baseline (mean of the other 11): ${fmt(baseline)}`];
    const idw = leaveOneOut(inverseDistance(x, y, 2), x, y, series);
    lines.push(`[stations] IDW power 2: ${fmt(idw)}`);
    for (const model of ['exponential', 'spherical'] as const) {
      const fit = fitVariogram(emp, model);
      const cv = leaveOneOut(ordinaryKriging(x, y, fit), x, y, series);
      lines.push(
        `[stations] kriging ${model} (nugget ${fit.nugget.toFixed(3)}, partial sill ${fit.partialSill.toFixed(2)} m2/s2, range ${(fit.range / 1000).toFixed(0)} km): ${fmt(cv)}`,
      );
      expect(cv.rmse).toBeLessThan(0.9 * baseline.rmse);
      expect(cv.rmse).toBeLessThan(0.95 * idw.rmse);
      expect(Math.abs(cv.bias)).toBeLessThan(0.3);
      // The fit follows the pooled empirical variogram at its best-populated lags (within 25 %).
      for (let j = 0; j < 5; j++) expect(Math.abs(variogramValue(fit, emp.lags[j]!) / emp.gamma[j]! - 1)).toBeLessThan(0.25);
    }
    expect(idw.rmse).toBeLessThan(baseline.rmse);
    console.log(lines.join('\n'));
  });

  it('reports per station; the most exposed headland is the hardest', () => {
    const cv = leaveOneOut(ordinaryKriging(x, y, fitVariogram(empiricalVariogram(x, y, series), 'exponential')), x, y, series);
    const worst = codes[cv.stations.reduce((w, s, i) => (s.rmse > cv.stations[w]!.rmse ? i : w), 0)];
    console.log(`[stations] kriging per station: ${codes.map((c, i) => `${c} ${cv.stations[i]!.rmse.toFixed(2)}`).join(', ')} m/s`);
    expect(cv.stations.every((s) => s.n === 6574)).toBe(true);
    // Malin Head, the exposed northern headland, is windier than any neighbour can tell.
    expect(worst).toBe('MAL');
  });
});
