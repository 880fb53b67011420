/**
 * Summary statistics over values with NaN as nodata: count, min/max, mean and
 * standard deviation (for z-scores), median and MAD (for robust z-scores).
 * Median and MAD use quickselect on a scratch copy: O(n), no full sort.
 */

export interface SummaryStats {
  /** Valid (non-NaN) values. */
  count: number;
  /** NaN values. */
  nodata: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  median: number;
  /** Median absolute deviation from the median (unscaled). */
  mad: number;
}

/** Scale from MAD to a normal distribution's standard deviation. */
export const MAD_TO_SIGMA = 1.4826;

export function summaryStats(values: ArrayLike<number>): SummaryStats {
  const n = values.length;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count: 0, nodata: n, min: NaN, max: NaN, mean: NaN, std: NaN, median: NaN, mad: NaN };
  const mean = sum / count;
  const scratch = new Float64Array(count);
  let ss = 0;
  for (let i = 0, k = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    scratch[k++] = v;
    ss += (v - mean) * (v - mean);
  }
  const median = medianInPlace(scratch);
  for (let i = 0; i < count; i++) scratch[i] = Math.abs(scratch[i]! - median);
  const mad = medianInPlace(scratch);
  return { count, nodata: n - count, min, max, mean, std: Math.sqrt(ss / count), median, mad };
}

/** Median of a scratch array (reordered); NaN for an empty one. */
export function medianInPlace(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return NaN;
  const hi = selectInPlace(a, n >> 1);
  if (n % 2 === 1) return hi;
  // The lower middle is the largest value left of the upper middle after selection.
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i]! > lo) lo = a[i]!;
  return (lo + hi) / 2;
}

/** k-th smallest (0-based) by quickselect (Hoare partition, median-of-three pivot); partially sorts `a`. */
export function selectInPlace(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    // Median of three as pivot.
    const x = a[left]!;
    const y = a[mid]!;
    const z = a[right]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k]!;
  }
  return a[k]!;
}
