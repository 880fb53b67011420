/**
 * Continuous scores of a prediction against observations (the simulation,
 * for a surrogate), over every cell or over the cells a mask selects.
 * Accumulated in float64; an empty selection gives NaN.
 */
export type Mask = ArrayLike<number | boolean>;

export interface RegressionScores {
  n: number;
  mse: number;
  rmse: number;
  mae: number;
  /** Pearson correlation; NaN when either side is constant. */
  pearson: number;
  /** Nash-Sutcliffe efficiency, 1 - SSE / sum of (obs - mean obs)^2; NaN for constant observations. */
  nse: number;
  bias: number;
}

export function regressionScores(obs: ArrayLike<number>, pred: ArrayLike<number>, mask?: Mask): RegressionScores {
  if (obs.length !== pred.length) throw new Error(`metrics: ${obs.length} observations but ${pred.length} predictions`);
  if (mask && mask.length !== obs.length) throw new Error(`metrics: mask of ${mask.length} for ${obs.length} values`);
  let n = 0;
  let so = 0;
  let sp = 0;
  for (let i = 0; i < obs.length; i++) {
    if (mask && !mask[i]) continue;
    n++;
    so += obs[i]!;
    sp += pred[i]!;
  }
  const mo = so / n;
  const mp = sp / n;
  let sse = 0;
  let sae = 0;
  let soo = 0;
  let spp = 0;
  let sop = 0;
  for (let i = 0; i < obs.length; i++) {
    if (mask && !mask[i]) continue;
    const o = obs[i]!;
    const p = pred[i]!;
    sse += (p - o) ** 2;
    sae += Math.abs(p - o);
    soo += (o - mo) ** 2;
    spp += (p - mp) ** 2;
    sop += (o - mo) * (p - mp);
  }
  const mse = sse / n;
  return {
    n,
    mse,
    rmse: Math.sqrt(mse),
    mae: sae / n,
    pearson: soo > 0 && spp > 0 ? sop / Math.sqrt(soo * spp) : NaN,
    nse: soo > 0 ? 1 - sse / soo : NaN,
    bias: mp - mo,
  };
}
