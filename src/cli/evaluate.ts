/**
 * `terra evaluate MODEL_DIR DATASET`: scores a trained surrogate on a split
 * of a dataset (held-out test scenarios by default) against the flood
 * solver: CSI/POD/FAR at a depth threshold, wet-cell and all-cell errors,
 * Pearson r, Nash-Sutcliffe, skill against climatology, prediction time.
 */
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { writeFileAtomic } from '../core/atomic-write';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import type { Split } from '../learn/dataset/family';
import { loadDataset } from '../learn/dataset/load';
import { evaluateSurrogate, type Scores } from '../learn/evaluate';
import { Surrogate } from '../learn/predict';

export interface EvaluateCliOptions {
  split: Split;
  threshold: number;
  backend?: string;
  json?: boolean;
  out?: string;
  /** Score the response surface alone, without the network. */
  baseline?: boolean;
}

export function parseSplit(value: string): Split {
  if (!['train', 'validation', 'test'].includes(value)) throw new InvalidArgumentError('must be train, validation or test');
  return value as Split;
}

export async function runEvaluate(modelDir: string, datasetDir: string, opts: EvaluateCliOptions): Promise<void> {
  const backend = await selectBackend({ override: opts.backend, probe: forwardProbe });
  const surrogate = await Surrogate.load(resolve(modelDir));
  try {
    const dataset = await loadDataset(resolve(datasetDir));
    const report = await evaluateSurrogate(surrogate, dataset, opts.split, opts.threshold, opts.baseline === true);
    const full = { model: resolve(modelDir), dataset: resolve(datasetDir), backend: backend.backend, baseline_only: opts.baseline === true, ...report };
    if (opts.out) await writeFileAtomic(resolve(opts.out), `${JSON.stringify(full, null, 2)}\n`);
    if (opts.json) {
      console.log(JSON.stringify(full, null, 2));
      return;
    }
    const cm = (m: number) => `${(m * 100).toFixed(2)} cm`;
    console.log(`${report.split} scenarios, threshold ${cm(report.threshold_m)}, backend ${backend.backend}${opts.baseline ? ', response surface alone (no network)' : ''}`);
    console.log('scenario     mm/h    min    CSI    POD    FAR   wet RMSE    RMSE    NSE      r  skill  predict ms  fv s');
    const row = (name: string, s: Scores, extra: string) =>
      `${name.padEnd(10)} ${extra} ${s.csi.toFixed(3).padStart(6)} ${s.pod.toFixed(3).padStart(6)} ${s.far.toFixed(3).padStart(6)} ${cm(s.rmse_wet_m).padStart(10)} ` +
      `${cm(s.rmse_m).padStart(8)} ${s.nse.toFixed(3).padStart(6)} ${s.pearson.toFixed(3).padStart(6)} ${s.skill_climatology.toFixed(3).padStart(6)}`;
    for (const s of report.scenarios) {
      console.log(`${row(s.id, s, `${s.intensity_mm_h.toFixed(1).padStart(6)} ${s.duration_min.toFixed(1).padStart(6)}`)} ${s.predict_ms.toFixed(0).padStart(11)} ${s.fv_wall_s.toFixed(1).padStart(5)}`);
    }
    console.log(row('pooled', report.pooled, ' '.repeat(13)));
    console.log(`prediction: first ${report.first_predict_ms.toFixed(0)} ms (set-up included), then median ${report.median_predict_ms.toFixed(0)} ms`);
  } finally {
    surrogate.dispose();
  }
}
