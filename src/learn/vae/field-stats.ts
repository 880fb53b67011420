/**
 * Whether generated patches look like real ones, by statistics a planner
 * would notice: the spread of values, how rough the field is from cell to
 * cell, how far its structure reaches, and for flood depth how much is wet
 * and how deep.
 *
 *   values           quantiles over every cell
 *   roughness        mean |difference| between neighbouring cells (a blurred field has less)
 *   autocorrelation  Pearson r between cells `lag` apart along rows and along columns, pooled
 *   wet              (depth) share of cells at or above the threshold per patch; depth quantiles of those cells
 *   W1               1-Wasserstein distance between the value distributions of two sets:
 *                    the mean absolute difference of matched quantiles
 */
export interface FieldStatistics {
  patches: number;
  values: { p01: number; p10: number; p50: number; p90: number; p99: number };
  roughness: number;
  autocorrelation: { lag: number; r: number }[];
  wet?: { share: { mean: number; p10: number; p90: number }; depth: { p50: number; p90: number; p99: number } };
}

const LAGS = [1, 2, 4, 8, 16];

function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** Statistics of patches [n, p, p] in the field's units; `wetDepth` for flood depth. */
export function fieldStatistics(values: Float32Array, patch: number, wetDepth?: number): FieldStatistics {
  const per = patch * patch;
  const n = values.length / per;
  const sorted = Float32Array.from(values).sort();
  let rough = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    const o = i * per;
    for (let r = 0; r < patch; r++) {
      for (let q = 0; q < patch; q++) {
        const v = values[o + r * patch + q]!;
        if (q + 1 < patch) {
          rough += Math.abs(values[o + r * patch + q + 1]! - v);
          pairs++;
        }
        if (r + 1 < patch) {
          rough += Math.abs(values[o + (r + 1) * patch + q]! - v);
          pairs++;
        }
      }
    }
  }
  const out: FieldStatistics = {
    patches: n,
    values: { p01: quantile(sorted, 0.01), p10: quantile(sorted, 0.1), p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99) },
    roughness: rough / pairs,
    autocorrelation: LAGS.filter((l) => l < patch).map((lag) => ({ lag, r: lagCorrelation(values, patch, lag) })),
  };
  if (wetDepth !== undefined) {
    const shares = new Float64Array(n);
    const wet: number[] = [];
    for (let i = 0; i < n; i++) {
      let w = 0;
      for (let k = 0; k < per; k++) {
        const d = values[i * per + k]!;
        if (d >= wetDepth) {
          w++;
          wet.push(d);
        }
      }
      shares[i] = w / per;
    }
    shares.sort();
    const depth = Float64Array.from(wet).sort();
    out.wet = {
      share: { mean: shares.reduce((a, b) => a + b, 0) / n, p10: quantile(shares, 0.1), p90: quantile(shares, 0.9) },
      depth: { p50: quantile(depth, 0.5), p90: quantile(depth, 0.9), p99: quantile(depth, 0.99) },
    };
  }
  return out;
}

/** Pearson r between values `lag` cells apart in x and in y, over every patch. */
function lagCorrelation(v: Float32Array, p: number, lag: number): number {
  const n = v.length / (p * p);
  let c = 0;
  let sa = 0;
  let sb = 0;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  const add = (a: number, b: number) => {
    c++;
    sa += a;
    sb += b;
    saa += a * a;
    sbb += b * b;
    sab += a * b;
  };
  for (let i = 0; i < n; i++) {
    const o = i * p * p;
    for (let r = 0; r < p; r++) {
      for (let q = 0; q < p; q++) {
        const a = v[o + r * p + q]!;
        if (q + lag < p) add(a, v[o + r * p + q + lag]!);
        if (r + lag < p) add(a, v[o + (r + lag) * p + q]!);
      }
    }
  }
  const cov = sab / c - (sa / c) * (sb / c);
  const va = saa / c - (sa / c) ** 2;
  const vb = sbb / c - (sb / c) ** 2;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : NaN;
}

/** 1-Wasserstein distance between the value distributions of two sets, from `points` matched quantiles. */
export function wasserstein1(a: Float32Array, b: Float32Array, points = 2000): number {
  const sa = Float32Array.from(a).sort();
  const sb = Float32Array.from(b).sort();
  let sum = 0;
  for (let i = 0; i < points; i++) {
    const q = (i + 0.5) / points;
    sum += Math.abs(sa[Math.floor(q * sa.length)]! - sb[Math.floor(q * sb.length)]!);
  }
  return sum / points;
}
