/**
 * Spike detection with robust z-scores of residuals from a local median: a
 * running median in time for series (a Hampel filter), the median of the 8
 * neighbours for rasters. A raster cell is a spike only if it lies above or
 * below all 8 neighbours and its residual exceeds the threshold times both
 * the grid-wide robust sigma of residuals and the local one (MAD of the
 * neighbours), so natural peaks in rugged terrain are not flagged where the
 * plains around them set a small grid-wide scale.
 *
 * The robust z-score is Iglewicz & Hoaglin's modified z, 0.6745 (x - median)
 * / MAD, i.e. (x - median) / sigma with sigma = MAD / 0.6745. Where more than
 * half the residuals are equal (quantised elevations, dry days) MAD is 0;
 * then sigma comes from the first higher quantile of |x - median| that is
 * not 0 (75th, 90th, 95th, 99th), divided by the matching normal quantile,
 * which is the same estimator carried to a quantile that sees the spread.
 */
import { medianInPlace, selectInPlace } from './stats';

/** Modified z-score above which a residual is a spike. */
export const DEFAULT_SERIES_THRESHOLD = 3.5;
/** Measured on the sample DEMs: 0-40 candidates per grid at 5 (0.003 % of Trinidad), most injected 150-unit spikes found. */
export const DEFAULT_RASTER_THRESHOLD = 5;

/** |deviation| quantile p and the standard normal's quantile of (1 + p) / 2. */
const QUANTILES: Array<[number, number]> = [
  [0.5, 0.6745],
  [0.75, 1.1503],
  [0.9, 1.6449],
  [0.95, 1.96],
  [0.99, 2.5758],
];

/**
 * Robust scale and centre of residuals (NaN ignored): median, and sigma as
 * described above (0 if all equal). Deviations up to `resolution` count as
 * ties: float32 data carry rounding noise (1 ulp of 10 000 ft is 0.001 ft)
 * that must not pass for spread.
 */
export function robustScale(residuals: ArrayLike<number>, resolution = 0): { median: number; sigma: number } {
  let n = 0;
  for (let i = 0; i < residuals.length; i++) if (residuals[i] === residuals[i]) n++;
  const a = new Float64Array(n);
  for (let i = 0, k = 0; i < residuals.length; i++) if (residuals[i] === residuals[i]) a[k++] = residuals[i]!;
  if (n === 0) return { median: NaN, sigma: NaN };
  const median = medianInPlace(a);
  for (let i = 0; i < n; i++) a[i] = Math.abs(a[i]! - median);
  for (const [p, zq] of QUANTILES) {
    const q = p === 0.5 ? medianInPlace(a) : selectInPlace(a, Math.min(n - 1, Math.floor(p * n)));
    if (q > resolution) return { median, sigma: q / zq };
  }
  return { median, sigma: 0 };
}

/** Robust z-scores of residuals (NaN stays NaN; 0 where the spread is 0). */
export function robustZ(residuals: Float64Array): Float64Array {
  const { median, sigma } = robustScale(residuals);
  return residuals.map((v) => (v !== v ? NaN : sigma > 0 ? (v - median) / sigma : 0));
}

/** Residuals from a running median of `2 * halfWindow + 1` valid values centred on each point. */
export function seriesResiduals(values: ArrayLike<number>, halfWindow = 3): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const window = new Float64Array(2 * halfWindow + 1);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) {
      out[i] = NaN;
      continue;
    }
    let m = 0;
    for (let j = Math.max(0, i - halfWindow); j <= Math.min(n - 1, i + halfWindow); j++) {
      const w = values[j]!;
      if (w === w) window[m++] = w;
    }
    out[i] = v - medianInPlace(window.subarray(0, m));
  }
  return out;
}

/** 1 where a series value is a spike. */
export function seriesSpikes(values: ArrayLike<number>, threshold = DEFAULT_SERIES_THRESHOLD, halfWindow = 3): Uint8Array {
  const z = robustZ(seriesResiduals(values, halfWindow));
  return Uint8Array.from(z, (v) => (Math.abs(v) > threshold ? 1 : 0));
}

/** Median of the first m values of a scratch array (sorted in place; m <= 8). */
function smallMedian(a: Float64Array, m: number): number {
  for (let i = 1; i < m; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
  return m % 2 ? a[m >> 1]! : (a[(m >> 1) - 1]! + a[m >> 1]!) / 2;
}

/** 1 where a raster cell is a single-cell spike (pit or peak) against its 8 neighbours. */
export function rasterSpikes(data: Float32Array, nx: number, ny: number, threshold = DEFAULT_RASTER_THRESHOLD): Uint8Array {
  const residual = new Float32Array(nx * ny).fill(NaN);
  const extreme = new Uint8Array(nx * ny);
  const localSigma = new Float32Array(nx * ny);
  const nb = new Float64Array(8);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const i = r * nx + c;
      const v = data[i]!;
      if (v !== v) continue;
      let m = 0;
      let above = true;
      let below = true;
      for (let dr = -1; dr <= 1; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= ny) continue;
        for (let dc = -1; dc <= 1; dc++) {
          const cc = c + dc;
          if ((dr === 0 && dc === 0) || cc < 0 || cc >= nx) continue;
          const w = data[rr * nx + cc]!;
          if (w !== w) continue;
          nb[m++] = w;
          if (w >= v) above = false;
          if (w <= v) below = false;
        }
      }
      if (m < 3) continue;
      // Every cell's residual sets the global scale; only extremes can be spikes.
      const med = smallMedian(nb, m);
      residual[i] = v - med;
      if (!(above || below)) continue;
      extreme[i] = 1;
      for (let k = 0; k < m; k++) nb[k] = Math.abs(nb[k]! - med);
      localSigma[i] = smallMedian(nb, m) / 0.6745;
    }
  }
  let top = 0;
  for (let i = 0; i < data.length; i++) if (Math.abs(data[i]!) > top) top = Math.abs(data[i]!);
  // Float32 keeps 24 bits: below ~8 ulps of the largest value, differences are rounding.
  const { median, sigma } = robustScale(residual, top * 2 ** -20);
  const out = new Uint8Array(nx * ny);
  if (!(sigma > 0)) return out;
  for (let i = 0; i < out.length; i++) {
    if (extreme[i]) out[i] = Math.abs(residual[i]! - median) > threshold * Math.max(sigma, localSigma[i]!) ? 1 : 0;
  }
  return out;
}

export function countOnes(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}
