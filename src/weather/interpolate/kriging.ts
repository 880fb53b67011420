/**
 * Ordinary kriging with a fitted variogram: for each target the weights
 * solve [Gamma 1; 1^T 0] [w; mu] = [gamma0; 1], Gamma the semivariances
 * between stations and gamma0 those to the target. The weights sum to one
 * (unknown constant mean) and minimise the estimation variance the model
 * implies. The system is factored once per set of stations in use.
 */
import { TerraError } from '../../api/errors';
import { DenseLu } from './dense-lu';
import type { Interpolator } from './interpolator';
import { variogramValue, type VariogramModel } from './variogram';

export function ordinaryKriging(x: Float64Array, y: Float64Array, model: VariogramModel): Interpolator {
  return {
    method: `ordinary kriging (${model.model})`,
    prepare(use) {
      const idx: number[] = [];
      for (let i = 0; i < use.length; i++) if (use[i]) idx.push(i);
      const m = idx.length;
      const a = new Float64Array((m + 1) * (m + 1));
      for (let p = 0; p < m; p++) {
        for (let q = 0; q < m; q++) a[p * (m + 1) + q] = variogramValue(model, Math.hypot(x[idx[p]!]! - x[idx[q]!]!, y[idx[p]!]! - y[idx[q]!]!));
        a[p * (m + 1) + m] = 1;
        a[m * (m + 1) + p] = 1;
      }
      let lu: DenseLu;
      try {
        lu = new DenseLu(a, m + 1);
      } catch {
        throw new TerraError('INVALID_DATA', `the kriging system of ${m} stations is singular (two stations at the same place, or a flat variogram)`, { field: 'stations' });
      }
      const rhs = new Float64Array(m + 1);
      return (tx, ty, out) => {
        for (let p = 0; p < m; p++) rhs[p] = variogramValue(model, Math.hypot(tx - x[idx[p]!]!, ty - y[idx[p]!]!));
        rhs[m] = 1;
        lu.solve(rhs);
        out.fill(0);
        for (let p = 0; p < m; p++) out[idx[p]!] = rhs[p]!;
      };
    },
  };
}
