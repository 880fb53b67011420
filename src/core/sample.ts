/**
 * Point samplers over a row-major grid at fractional cell indices, where
 * (fc, fr) = (0, 0) is the centre of cell (0, 0). Both honour NaN as nodata:
 * a point whose nearest cell is nodata is nodata.
 */

export type ResampleMethod = 'nearest' | 'bilinear';

export const RESAMPLE_METHODS: readonly ResampleMethod[] = ['nearest', 'bilinear'];

export type Sampler = (data: Float32Array, nx: number, ny: number, fc: number, fr: number) => number;

export function sampleNearest(data: Float32Array, nx: number, ny: number, fc: number, fr: number): number {
  const c = Math.floor(fc + 0.5);
  const r = Math.floor(fr + 0.5);
  if (!(c >= 0 && c < nx && r >= 0 && r < ny)) return NaN;
  return data[r * nx + c]!;
}

/** Bilinear between the four surrounding centres, weights renormalised over valid ones; clamped in the outer half cell. */
export function sampleBilinear(data: Float32Array, nx: number, ny: number, fc: number, fr: number): number {
  if (!(fc >= -0.5 && fc < nx - 0.5 && fr >= -0.5 && fr < ny - 0.5)) return NaN;
  const nearest = data[Math.floor(fr + 0.5) * nx + Math.floor(fc + 0.5)]!;
  if (Number.isNaN(nearest)) return NaN;
  const c = Math.min(Math.max(fc, 0), nx - 1);
  const r = Math.min(Math.max(fr, 0), ny - 1);
  const c0 = Math.min(Math.floor(c), nx - 2);
  const r0 = Math.min(Math.floor(r), ny - 2);
  const tx = c - c0;
  const ty = r - r0;
  const i = r0 * nx + c0;
  const v00 = data[i]!;
  const v01 = data[i + 1]!;
  const v10 = data[i + nx]!;
  const v11 = data[i + nx + 1]!;
  const w00 = (1 - tx) * (1 - ty);
  const w01 = tx * (1 - ty);
  const w10 = (1 - tx) * ty;
  const w11 = tx * ty;
  if (v00 === v00 && v01 === v01 && v10 === v10 && v11 === v11) return v00 * w00 + v01 * w01 + v10 * w10 + v11 * w11;
  let sum = 0;
  let weight = 0;
  if (v00 === v00) {
    sum += v00 * w00;
    weight += w00;
  }
  if (v01 === v01) {
    sum += v01 * w01;
    weight += w01;
  }
  if (v10 === v10) {
    sum += v10 * w10;
    weight += w10;
  }
  if (v11 === v11) {
    sum += v11 * w11;
    weight += w11;
  }
  return weight > 0 ? sum / weight : NaN;
}

export function samplerFor(method: ResampleMethod): Sampler {
  return method === 'nearest' ? sampleNearest : sampleBilinear;
}
