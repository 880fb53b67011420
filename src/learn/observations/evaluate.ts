/**
 * Scores of a forecast against observations, beside simple references
 * (persistence, climatology, trend): RMSE, MAE, Pearson r and bias from
 * metrics/, and skill against each reference, both as 1 - MSE / MSE_ref
 * (metrics/skill.ts) and as the share of the reference's RMSE removed.
 * Pearson r of the fields themselves is high for any forecast near
 * persistence, so r of the predicted change is reported beside it.
 */
import { regressionScores, skillScore, type Mask } from '../metrics';

export interface Scores {
  n: number;
  mse: number;
  rmse: number;
  mae: number;
  pearson: number;
  bias: number;
}

export interface Reference {
  scores: Scores;
  /** 1 - MSE / MSE of the reference. */
  skill: number;
  /** 1 - RMSE / RMSE of the reference: 0.1 is an RMSE 10% below it. */
  rmse_reduction: number;
}

export interface Comparison {
  model: Scores & {
    /** Pearson r of the predicted against the observed change from the last observation (what the network adds). */
    change_pearson: number;
  };
  references: Record<string, Reference>;
}

function scores(obs: ArrayLike<number>, pred: ArrayLike<number>, mask?: Mask): Scores {
  const s = regressionScores(obs, pred, mask);
  return { n: s.n, mse: s.mse, rmse: s.rmse, mae: s.mae, pearson: s.pearson, bias: s.bias };
}

/** `last`: the last observation before each target (persistence), for the change correlation. */
export function compare(obs: ArrayLike<number>, model: ArrayLike<number>, last: ArrayLike<number>, references: Record<string, ArrayLike<number>>, mask?: Mask): Comparison {
  const m = scores(obs, model, mask);
  const delta = (a: ArrayLike<number>) => Float64Array.from({ length: a.length }, (_, i) => a[i]! - last[i]!);
  const change = regressionScores(delta(obs), delta(model), mask).pearson;
  const out: Comparison = { model: { ...m, change_pearson: change }, references: {} };
  for (const [name, ref] of Object.entries(references)) {
    const r = scores(obs, ref, mask);
    out.references[name] = { scores: r, skill: skillScore(m.mse, r.mse), rmse_reduction: skillScore(m.rmse, r.rmse) };
  }
  return out;
}

/** Column j of an [n, columns] array. */
export function column(values: ArrayLike<number>, j: number, columns: number): Float64Array {
  return Float64Array.from({ length: values.length / columns }, (_, i) => values[i * columns + j]!);
}

/** Finite values of a field array (off-mask cells are NaN). */
export function finiteMask(values: ArrayLike<number>): Uint8Array {
  return Uint8Array.from({ length: values.length }, (_, i) => (Number.isFinite(values[i]!) ? 1 : 0));
}
