/**
 * Leave-one-out cross-validation of an interpolator on station series: each
 * station's value at each time is predicted from the other stations with a
 * value then, and the errors (prediction - observation) summarised. The
 * station-mean interpolator gives the baseline any method has to beat.
 */
import type { Interpolator, WeightFunction } from './interpolator';

export interface CrossValidation {
  method: string;
  /** Predictions made (station x time). */
  n: number;
  rmse: number;
  /** Mean error (prediction - observation). */
  bias: number;
  /** Per station, in input order. */
  stations: Array<{ n: number; rmse: number; bias: number }>;
}

export function leaveOneOut(interp: Interpolator, x: Float64Array, y: Float64Array, series: Float64Array[]): CrossValidation {
  const ns = x.length;
  const times = series[0]?.length ?? 0;
  const cache = new Map<string, WeightFunction>();
  const w = new Float64Array(ns);
  const sum = new Float64Array(ns);
  const sumSq = new Float64Array(ns);
  const count = new Int32Array(ns);
  const use: boolean[] = new Array(ns);
  for (let t = 0; t < times; t++) {
    for (let i = 0; i < ns; i++) use[i] = series[i]![t] === series[i]![t];
    for (let i = 0; i < ns; i++) {
      if (!use[i]) continue;
      use[i] = false;
      if (use.some(Boolean)) {
        const key = `${use.map(Number).join('')}`;
        let weights = cache.get(key);
        if (!weights) cache.set(key, (weights = interp.prepare(use)));
        weights(x[i]!, y[i]!, w);
        let pred = 0;
        for (let j = 0; j < ns; j++) if (use[j]) pred += w[j]! * series[j]![t]!;
        const e = pred - series[i]![t]!;
        sum[i]! += e;
        sumSq[i]! += e * e;
        count[i]!++;
      }
      use[i] = true;
    }
  }
  const total = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  const n = total(count);
  return {
    method: interp.method,
    n,
    rmse: Math.sqrt(total(sumSq) / n),
    bias: total(sum) / n,
    stations: Array.from(count, (c, i) => ({ n: c, rmse: Math.sqrt(sumSq[i]! / c), bias: sum[i]! / c })),
  };
}
