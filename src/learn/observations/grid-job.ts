/**
 * The gridded forecast job: field series (temperature, pressure, winds) ->
 * samples of the last two frames per chronological split -> a CNN or U-Net
 * predicting each target's tendency over the horizon, fitted with early
 * stopping on the validation steps -> RMSE per target on the held-out last
 * steps against persistence and the last step's trend -> a model folder.
 */
import { formatIsoUtc } from '../../core/time';
import { predictAll, type FitData } from '../train/fit';
import type { GridForecastConfig } from './config';
import { compare, finiteMask, type Comparison } from './evaluate';
import { buildGridSamples, decodeGridForecasts, gridLayout, gridNormalisation, gridSplits, paddedMask, type GridLayout, type GridNormalisation, type GridSampleSet } from './grid-samples';
import { loadGridSequence, type GridSequence } from './grid-sequence';
import { fitMetrics, fitOnBackend, runProvenance, type ForecastJobOptions } from './job';
import { buildGridModel, describeModel, gridMultiple } from './models';
import { forecastMeta, saveForecast, type SavedForecast } from './store';
import { describeStep } from './station-table';
import { SPLITS, type SplitName } from './windows';

export interface PreparedGrid {
  seq: GridSequence;
  config: GridForecastConfig;
  layout: GridLayout;
  norm: GridNormalisation;
  sets: Record<SplitName, GridSampleSet>;
  /** Loss weights on the padded grid. */
  weights: Float32Array;
}

export interface GridEvaluation {
  split: SplitName;
  samples: number;
  first_target: string;
  last_target: string;
  horizon: string;
  units: Record<string, string>;
  /** Per target, over every masked-in cell of every sample. */
  targets: Record<string, Comparison>;
}

export interface GridJobResult {
  status: 'completed' | 'early-stopped' | 'cancelled';
  epochs: number;
  bestEpoch: number;
  seconds: number;
  backend: string;
  samples: Record<SplitName, number>;
  validation?: GridEvaluation;
  test?: GridEvaluation;
}

export async function prepareGrid(config: GridForecastConfig, saved?: GridNormalisation): Promise<PreparedGrid> {
  const seq = await loadGridSequence(config.data);
  const layout = gridLayout(seq, config.data, gridMultiple(config.model));
  const anchors = gridSplits(seq, config.data);
  const norm = saved ?? gridNormalisation(seq, layout, anchors.train);
  const sets = Object.fromEntries(SPLITS.map((s) => [s, buildGridSamples(seq, layout, norm, anchors[s])])) as Record<SplitName, GridSampleSet>;
  // Absolute paths, so a saved model finds its data from anywhere.
  const variables = Object.fromEntries(Object.entries(config.data.variables).map(([n, v]) => [n, { ...v, file: seq.files[n]!.path }]));
  return { seq, config: { ...config, data: { ...config.data, variables } }, layout, norm, sets, weights: paddedMask(seq, layout) };
}

export function gridFitData(p: PreparedGrid): FitData {
  const { rows, cols, channels, targets } = p.layout;
  return {
    xShape: [rows, cols, channels.length],
    yShape: [rows, cols, targets.length],
    train: { x: p.sets.train.x, y: p.sets.train.y },
    validation: { x: p.sets.validation.x, y: p.sets.validation.y },
    weights: { values: p.weights, shape: [rows, cols, 1] },
  };
}

export function evaluateGrid(p: PreparedGrid, split: SplitName, out: Float32Array): GridEvaluation {
  const set = p.sets[split];
  const f = decodeGridForecasts(p.seq, p.layout, p.norm, set, out);
  const targets: Record<string, Comparison> = {};
  p.layout.targets.forEach((name, j) => {
    targets[name] = compare(f.observed[j]!, f.model[j]!, f.persistence[j]!, { persistence: f.persistence[j]!, trend: f.trend[j]! }, finiteMask(f.observed[j]!));
  });
  return {
    split,
    samples: set.anchors.length,
    first_target: formatIsoUtc(set.times[0]!),
    last_target: formatIsoUtc(set.times[set.times.length - 1]!),
    horizon: describeStep(p.seq.stepMs * p.layout.horizon),
    units: Object.fromEntries(p.layout.targets.map((t) => [t, p.seq.files[t]!.units])),
    targets,
  };
}

export function describeGrid(p: PreparedGrid): string[] {
  const { seq, layout } = p;
  const range = (s: SplitName) => {
    const t = p.sets[s].times;
    return `${formatIsoUtc(t[0]!)} to ${formatIsoUtc(t[t.length - 1]!)}`;
  };
  return [
    `${seq.names.map((n) => `${n}: ${seq.files[n]!.file} (${seq.files[n]!.variable})`).join(', ')}`,
    `${seq.nx} x ${seq.ny} cells (${seq.mask.reduce((s, m) => s + m, 0)} with data), ${seq.times.length} frames every ${describeStep(seq.stepMs)} from ${formatIsoUtc(seq.times[0]!)}`,
    `${layout.channels.length} input channels (${layout.advection ? 'with' : 'without'} advection) -> tendency of ${layout.targets.join(', ')} over ${describeStep(seq.stepMs * layout.horizon)}`,
    ...SPLITS.map((s) => `${s}: ${p.sets[s].anchors.length} samples, targets ${range(s)}`),
    ...seq.warnings,
  ];
}

export async function trainGridForecast(config: GridForecastConfig, options: ForecastJobOptions): Promise<GridJobResult> {
  const p = await prepareGrid(config);
  options.onEvent?.({ type: 'data', lines: describeGrid(p) });
  const data = gridFitData(p);
  const { layout } = p;
  const fitted = await fitOnBackend((tf, seed) => buildGridModel(tf, config.model, layout.channels.length, layout.targets.length, seed), data, config.training, options);
  const { tf, model, fit } = fitted;
  const samples = Object.fromEntries(SPLITS.map((s) => [s, p.sets[s].anchors.length])) as Record<SplitName, number>;
  const result: GridJobResult = { status: fit.status, epochs: fit.epochs, bestEpoch: fit.bestEpoch, seconds: fit.seconds, backend: fitted.backend.backend, samples };
  try {
    if (fit.status === 'cancelled' || fit.epochs === 0) return result;
    for (const split of ['validation', 'test'] as const) result[split] = evaluateGrid(p, split, await predictAll(tf, model, p.sets[split].x, data.xShape, 8));
    if (options.outDir) {
      const meta = forecastMeta(p.config, { kind: 'grid', ...layout }, result.test!.units, options.terraVersion);
      await saveForecast(options.outDir, model, meta, p.norm, {
        provenance: {
          model: describeModel(config.model),
          data: Object.fromEntries(p.seq.names.map((n) => [n, { ...p.seq.files[n] }])),
          grid: { ...p.seq.georef, cells_with_data: p.seq.mask.reduce((s, m) => s + m, 0) },
          frames: { count: p.seq.times.length, first: formatIsoUtc(p.seq.times[0]!), step_s: p.seq.stepMs / 1000, left_out: p.seq.frameOk.flatMap((ok, i) => (ok ? [] : [formatIsoUtc(p.seq.times[i]!)])) },
          splits: Object.fromEntries(
            SPLITS.map((s) => [s, { samples: samples[s], first_target: formatIsoUtc(p.sets[s].times[0]!), last_target: formatIsoUtc(p.sets[s].times.at(-1)!) }]),
          ),
          normalisation: 'mean and standard deviations over the frames the training samples use, masked-in cells only',
          warnings: p.seq.warnings,
          ...runProvenance(fitted, config.training, options.terraVersion),
        },
        metrics: { ...fitMetrics(fit), validation: result.validation, test: result.test },
      });
    }
    return result;
  } finally {
    model.dispose();
  }
}

export async function evaluateSavedGrid(saved: SavedForecast & { kind: 'grid' }, split: SplitName): Promise<{ evaluation: GridEvaluation; sha256: Record<string, string> }> {
  const tf = await import('@tensorflow/tfjs');
  const p = await prepareGrid(saved.meta.config, saved.norm);
  const out = await predictAll(tf, saved.model, p.sets[split].x, gridFitData(p).xShape, 8);
  return { evaluation: evaluateGrid(p, split, out), sha256: Object.fromEntries(p.seq.names.map((n) => [n, p.seq.files[n]!.sha256])) };
}
