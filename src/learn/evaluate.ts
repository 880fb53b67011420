/**
 * Scores a surrogate on a dataset's held-out scenarios against the solver's
 * max depth: flood-map scores at a depth threshold, depth errors over every
 * cell and over wet cells (wet in the simulation or in the prediction, so
 * neither misses nor false alarms are left out), skill against climatology
 * (the training scenarios' mean field), and the time each prediction took.
 */
import { TerraError } from '../api/errors';
import type { Split } from './dataset/family';
import type { Dataset } from './dataset/load';
import { addContingency, climatology, contingency, csi, far, pod, regressionScores, skillScore, type Contingency } from './metrics/index';
import type { Surrogate } from './predict';

export interface Scores {
  csi: number;
  pod: number;
  far: number;
  rmse_wet_m: number;
  wet_cells: number;
  rmse_m: number;
  mae_m: number;
  pearson: number;
  nse: number;
  /** MSE skill against the climatology of the training scenarios. */
  skill_climatology: number;
}

export interface ScenarioScores extends Scores {
  id: string;
  intensity_mm_h: number;
  duration_min: number;
  predict_ms: number;
  fv_wall_s: number;
}

export interface Evaluation {
  split: Split;
  threshold_m: number;
  scenarios: ScenarioScores[];
  /** Over the cells of all scenarios together. */
  pooled: Scores;
  /** The first prediction (kernel set-up included) and the median of the others. */
  first_predict_ms: number;
  median_predict_ms: number;
}

/** With `baseline`, scores the response surface alone (the network left out), to show what the network adds. */
export async function evaluateSurrogate(surrogate: Surrogate, dataset: Dataset, split: Split, threshold = 0.05, baseline = false): Promise<Evaluation> {
  const predict = async (s: { intensity_mm_h: number; duration_min: number }) => (baseline ? surrogate.baseline(s) : surrogate.predict(s));
  const grid = surrogate.saved.meta.grid;
  if (grid.nx !== dataset.nx || grid.ny !== dataset.ny) {
    throw new TerraError('INVALID_DATA', `${dataset.dir}: grid ${dataset.nx} x ${dataset.ny} does not match the model's ${grid.nx} x ${grid.ny}`, { field: 'grid' });
  }
  const expected = [...surrogate.names.static, ...surrogate.names.forcing].join(',');
  const got = [...dataset.manifest.channels.static, ...dataset.manifest.channels.forcing].join(',');
  if (expected !== got) throw new TerraError('INVALID_DATA', `${dataset.dir}: channels ${got} are not the model's ${expected}`, { field: 'channels' });
  const held = dataset.scenarios.filter((s) => s.split === split);
  if (held.length === 0) throw new TerraError('INVALID_PARAMS', `${dataset.dir}: no ${split} scenarios`, { field: 'split' });
  const train = dataset.scenarios.filter((s) => s.split === 'train').map((s) => dataset.targets.get(s.id)!);
  const reference = train.length ? climatology(train) : null;

  const first = performance.now();
  await predict(held[0]!);
  const firstMs = performance.now() - first;
  const scenarios: ScenarioScores[] = [];
  const pooledObs: Float32Array[] = [];
  const pooledPred: Float32Array[] = [];
  let table: Contingency = { hits: 0, misses: 0, falseAlarms: 0, correctNegatives: 0 };
  for (const s of held) {
    const obs = dataset.targets.get(s.id)!;
    const started = performance.now();
    const pred = await predict(s);
    const ms = performance.now() - started;
    const t = contingency(obs, pred, threshold);
    table = addContingency(table, t);
    pooledObs.push(obs);
    pooledPred.push(pred);
    scenarios.push({ id: s.id, intensity_mm_h: s.intensity_mm_h, duration_min: s.duration_min, ...fieldScores(obs, pred, threshold, reference, t), predict_ms: ms, fv_wall_s: s.fv_wall_s });
  }
  const obs = concat(pooledObs);
  const pred = concat(pooledPred);
  const pooledReference = reference ? concat(held.map(() => Float32Array.from(reference))) : null;
  const times = scenarios.map((s) => s.predict_ms).sort((a, b) => a - b);
  return {
    split,
    threshold_m: threshold,
    scenarios,
    pooled: fieldScores(obs, pred, threshold, pooledReference, table),
    first_predict_ms: firstMs,
    median_predict_ms: times[Math.floor(times.length / 2)]!,
  };
}

/** Scores of a predicted max-depth field against the solver's (t: the contingency table when already counted). */
export function fieldScores(obs: Float32Array, pred: Float32Array, threshold: number, reference: ArrayLike<number> | null = null, t = contingency(obs, pred, threshold)): Scores {
  const all = regressionScores(obs, pred);
  const wetMask = obs.map((o, i) => (o >= threshold || pred[i]! >= threshold ? 1 : 0));
  const wet = regressionScores(obs, pred, wetMask);
  return {
    csi: csi(t),
    pod: pod(t),
    far: far(t),
    rmse_wet_m: wet.rmse,
    wet_cells: wet.n,
    rmse_m: all.rmse,
    mae_m: all.mae,
    pearson: all.pearson,
    nse: all.nse,
    skill_climatology: reference ? skillScore(all.mse, regressionScores(obs, reference).mse) : NaN,
  };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
