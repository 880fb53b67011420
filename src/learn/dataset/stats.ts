/** Mean and standard deviation for normalisation, accumulated in float64. */
export interface MeanStd {
  mean: number;
  std: number;
}

/** Over every value of every array; a constant input gets std 1, so normalising it cannot divide by zero. */
export function meanStd(arrays: ArrayLike<number>[], map: (v: number) => number = (v) => v): MeanStd {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = map(a[i]!);
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  const mean = n ? sum / n : 0;
  const variance = n ? Math.max(0, sumSq / n - mean * mean) : 0;
  const std = Math.sqrt(variance);
  return { mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
}
