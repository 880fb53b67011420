/**
 * Inverse distance weighting (Shepard 1968): weights 1 / d^power over all
 * stations in use, normalised. Exact at a station (a target within 1 mm of
 * one takes its value); the field is bounded by the station values.
 */
import type { Interpolator } from './interpolator';

export function inverseDistance(x: Float64Array, y: Float64Array, power = 2): Interpolator {
  return {
    method: `idw (power ${power})`,
    prepare(use) {
      const n = x.length;
      return (tx, ty, out) => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          if (!use[i]) {
            out[i] = 0;
            continue;
          }
          const d = Math.hypot(tx - x[i]!, ty - y[i]!);
          if (d < 1e-3) {
            out.fill(0);
            out[i] = 1;
            return;
          }
          const w = d ** -power;
          out[i] = w;
          sum += w;
        }
        for (let i = 0; i < n; i++) out[i]! /= sum;
      };
    },
  };
}
