/**
 * The model-minus-physics map of a surrogate comparison: max depth of the
 * model less the solver's, per cell, on a diverging ramp symmetric about 0
 * (blue: the model too shallow, red: too deep). Cells dry in both (under
 * DRY_M) are left out (NaN, not drawn) so the terrain shows where neither
 * floods. The ramp spans +-M, M the 98th percentile of |difference| over the
 * drawn cells rounded up to a whole tick step, so a few outliers do not wash
 * out the rest (values beyond are drawn at the ends).
 */
import type { RampStop } from './elevation-ramp';
import type { FieldScale } from './field-ramp';

/** Depth below which a cell counts as dry in both fields (m). */
export const DRY_M = 0.01;

const hex = (value: number): readonly [number, number, number] => [((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255];

// ColorBrewer RdBu, reversed: blue below 0, near-white at 0, red above.
export const DIFFERENCE_RAMP: readonly RampStop[] = [0x2166ac, 0x67a9cf, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xef8a62, 0xb2182b].map((c, i, all) => ({
  at: i / (all.length - 1),
  rgb: hex(c),
}));

export interface DepthDifference {
  values: Float32Array;
  scale: FieldScale;
  /** Cells drawn (wet in either field). */
  cells: number;
}

export function depthDifference(model: Float32Array, physics: Float32Array): DepthDifference {
  if (model.length !== physics.length) throw new RangeError(`fields of ${model.length} and ${physics.length} cells`);
  const values = new Float32Array(model.length);
  const magnitudes: number[] = [];
  for (let k = 0; k < model.length; k++) {
    const [m, p] = [model[k]!, physics[k]!];
    if (m < DRY_M && p < DRY_M) {
      values[k] = Number.NaN;
      continue;
    }
    values[k] = m - p;
    magnitudes.push(Math.abs(m - p));
  }
  magnitudes.sort((a, b) => a - b);
  const p98 = magnitudes.length ? magnitudes[Math.min(magnitudes.length - 1, Math.floor(0.98 * magnitudes.length))]! : 0;
  return { values, scale: symmetricScale(p98), cells: magnitudes.length };
}

/** -M..M with M a whole number of a 1/2/2.5/5 x 10^k step, 2 steps each side; at least 1 cm. */
export function symmetricScale(magnitude: number): FieldScale {
  const m = Math.max(magnitude, 0.01);
  const raw = (m / 2) * (1 - 1e-6);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw)!;
  // Round-off in float32 depths must not add a step (0.19999999 / 0.1).
  const hi = Number((Math.ceil(m / step - 1e-6) * step).toPrecision(12));
  return { lo: -hi, hi, step };
}
