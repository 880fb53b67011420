/**
 * Semivariograms: the empirical one of station series, pooled through time,
 * and a fitted model (exponential or spherical, with nugget) for kriging.
 *
 * Pooling: with a dozen stations one day gives a few dozen noisy pairs, but
 * the spatial structure of a variable changes slowly, so each pair's
 * semivariance is averaged over all times both stations have a value
 * (a "climatological" variogram, as gstat's examples do for the Irish wind
 * data). Pairs are binned by distance; each bin's lag is its pairs' mean
 * distance.
 *
 * Fit: weighted least squares with weights N_j / h_j^2 (pairs over squared
 * lag, gstat's default fit.method 7), which trusts well-populated short lags.
 * For a fixed range the model is linear in nugget and partial sill (both
 * kept >= 0), so the range is searched on a log grid and refined by golden
 * section.
 */
import { TerraError } from '../../api/errors';

export type VariogramModelName = 'exponential' | 'spherical';

export interface VariogramModel {
  model: VariogramModelName;
  nugget: number;
  partialSill: number;
  /** Spherical: the range (sill reached). Exponential: the scale a (95 % of the sill at 3a). */
  range: number;
}

export interface EmpiricalVariogram {
  /** Mean pair distance per bin (m), increasing. */
  lags: Float64Array;
  gamma: Float64Array;
  /** Station pairs per bin. */
  pairs: Int32Array;
}

/** Normalised shape of the sill part: 0 at h = 0, tending to 1. */
function shape(model: VariogramModelName, h: number, range: number): number {
  if (model === 'exponential') return 1 - Math.exp(-h / range);
  if (h >= range) return 1;
  const s = h / range;
  return 1.5 * s - 0.5 * s * s * s;
}

/** gamma(h); 0 at h = 0 exactly (the nugget is a jump just beyond it). */
export function variogramValue(m: VariogramModel, h: number): number {
  return h === 0 ? 0 : m.nugget + m.partialSill * shape(m.model, h, m.range);
}

/** Pooled empirical variogram of station series (series[i][t], NaN missing) at (x, y) in metres. */
export function empiricalVariogram(x: Float64Array, y: Float64Array, series: Float64Array[], bins = 10): EmpiricalVariogram {
  const n = x.length;
  const dist: number[] = [];
  const semi: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = series[i]!;
      const b = series[j]!;
      let sum = 0;
      let count = 0;
      for (let t = 0; t < a.length; t++) {
        const d = a[t]! - b[t]!;
        if (d === d) {
          sum += 0.5 * d * d;
          count++;
        }
      }
      if (count === 0) continue;
      dist.push(Math.hypot(x[i]! - x[j]!, y[i]! - y[j]!));
      semi.push(sum / count);
    }
  }
  if (dist.length < 3) {
    throw new TerraError('INVALID_DATA', `a variogram needs at least 3 station pairs with common times, got ${dist.length}`, { field: 'stations' });
  }
  const cutoff = dist.reduce((m, h) => Math.max(m, h), 0) * (1 + 1e-9);
  const width = cutoff / bins;
  const sumH = new Float64Array(bins);
  const sumG = new Float64Array(bins);
  const count = new Int32Array(bins);
  dist.forEach((h, p) => {
    const b = Math.min(bins - 1, Math.floor(h / width));
    sumH[b]! += h;
    sumG[b]! += semi[p]!;
    count[b]!++;
  });
  const used = [...count.keys()].filter((b) => count[b]! > 0);
  return {
    lags: Float64Array.from(used, (b) => sumH[b]! / count[b]!),
    gamma: Float64Array.from(used, (b) => sumG[b]! / count[b]!),
    pairs: Int32Array.from(used, (b) => count[b]!),
  };
}

/** Weighted least-squares fit of a model to an empirical variogram; `wsse` is the weighted residual sum of squares. */
export function fitVariogram(emp: EmpiricalVariogram, model: VariogramModelName): VariogramModel & { wsse: number } {
  const { lags, gamma, pairs } = emp;
  const w = Float64Array.from(lags, (h, j) => pairs[j]! / Math.max(h, 1e-9) ** 2);
  const fitAt = (range: number) => {
    const f = Float64Array.from(lags, (h) => shape(model, h, range));
    let sw = 0, swf = 0, swff = 0, swg = 0, swfg = 0;
    for (let j = 0; j < f.length; j++) {
      sw += w[j]!;
      swf += w[j]! * f[j]!;
      swff += w[j]! * f[j]! * f[j]!;
      swg += w[j]! * gamma[j]!;
      swfg += w[j]! * f[j]! * gamma[j]!;
    }
    const det = sw * swff - swf * swf;
    let nugget = det > 0 ? (swg * swff - swf * swfg) / det : 0;
    let sill = det > 0 ? (sw * swfg - swf * swg) / det : swfg / swff;
    if (nugget < 0) {
      nugget = 0;
      sill = swfg / swff;
    }
    if (sill < 0) {
      sill = 0;
      nugget = swg / sw;
    }
    let wsse = 0;
    for (let j = 0; j < f.length; j++) wsse += w[j]! * (nugget + sill * f[j]! - gamma[j]!) ** 2;
    return { model, nugget, partialSill: sill, range, wsse };
  };
  const lo = Math.log(lags[0]! / 4);
  const hi = Math.log(lags[lags.length - 1]! * 3);
  const steps = 200;
  let best = fitAt(Math.exp(lo));
  let bestK = 0;
  for (let k = 1; k <= steps; k++) {
    const f = fitAt(Math.exp(lo + ((hi - lo) * k) / steps));
    if (f.wsse < best.wsse) {
      best = f;
      bestK = k;
    }
  }
  // Golden-section refinement of log(range) between the best point's neighbours.
  let a = lo + ((hi - lo) * Math.max(0, bestK - 1)) / steps;
  let b = lo + ((hi - lo) * Math.min(steps, bestK + 1)) / steps;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 40; it++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (fitAt(Math.exp(c)).wsse < fitAt(Math.exp(d)).wsse) b = d;
    else a = c;
  }
  const refined = fitAt(Math.exp(0.5 * (a + b)));
  return refined.wsse < best.wsse ? refined : best;
}
