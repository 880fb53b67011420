/**
 * The station forecast job: a station table -> windows per chronological
 * split -> a network (MLP, GRU or LSTM) fitted on the training years with
 * early stopping on the validation years -> scores on the validation and
 * held-out test years against persistence and the training years'
 * climatology -> a model folder (store.ts). Evaluating a saved model
 * rebuilds the windows with the statistics saved with it.
 */
import { resolve } from 'node:path';
import { formatIsoUtc } from '../../core/time';
import { predictAll, type FitData } from '../train/fit';
import { climatologyForecast, fitClimatology, type Climatology } from './climatology';
import type { StationForecastConfig } from './config';
import { column, compare, type Comparison } from './evaluate';
import { fitMetrics, fitOnBackend, runProvenance, type ForecastJobOptions } from './job';
import { buildStationModel, describeModel } from './models';
import { forecastMeta, saveForecast, type SavedForecast } from './store';
import { describeStep, loadStationTable, type StationTable } from './station-table';
import {
  buildWindows,
  checkSplits,
  decodeChanges,
  defaultSplits,
  featuresPerStep,
  SPLITS,
  stationNormalisation,
  windowAnchors,
  type SplitName,
  type StationNormalisation,
  type WindowLayout,
  type WindowSet,
} from './windows';

export interface PreparedStations {
  table: StationTable;
  /** The config with inputs, targets and splits filled in. */
  config: StationForecastConfig;
  layout: WindowLayout;
  norm: StationNormalisation;
  climatology: Climatology;
  sets: Record<SplitName, WindowSet>;
}

export interface StationEvaluation {
  split: SplitName;
  years: [number, number];
  samples: number;
  first_target: string;
  last_target: string;
  horizon: string;
  units: Record<string, string>;
  /** Over every station and window. */
  pooled: Comparison;
  stations: Record<string, Comparison>;
}

export interface StationJobResult {
  status: 'completed' | 'early-stopped' | 'cancelled';
  epochs: number;
  bestEpoch: number;
  seconds: number;
  backend: string;
  samples: Record<SplitName, number>;
  validation?: StationEvaluation;
  test?: StationEvaluation;
}

/** Reads and checks the data and cuts it into windows; statistics from the training years unless given (a saved model's). */
export async function prepareStations(config: StationForecastConfig, saved?: { norm: StationNormalisation; climatology: Climatology }): Promise<PreparedStations> {
  const data = config.data;
  const wanted = data.inputs ? [...new Set([...data.inputs, ...(data.targets ?? [])])] : undefined;
  const table = await loadStationTable(data.file, { columns: wanted, units: data.units, timeZone: data.time_zone, locations: data.locations });
  const inputs = data.inputs ?? table.columns;
  const targets = data.targets ?? inputs;
  const all = [...new Set([...inputs, ...targets])];
  // Targets outside the inputs (with default inputs) are checked by reading them too.
  const full = all.every((c) => table.columns.includes(c)) ? table : await loadStationTable(data.file, { columns: all, units: data.units, timeZone: data.time_zone, locations: data.locations });
  const splits = data.splits ?? defaultSplits(full.times);
  const layout: WindowLayout = { lookback: data.lookback, horizon: data.horizon, inputs, targets, harmonics: data.harmonics };
  checkSplits(splits, full, layout);
  const norm = saved?.norm ?? stationNormalisation(full, splits.train);
  const climatology = saved?.climatology ?? fitClimatology(full, targets, splits.train);
  const sets = Object.fromEntries(SPLITS.map((s) => [s, buildWindows(full, layout, norm, windowAnchors(full.times, splits[s], layout))])) as Record<SplitName, WindowSet>;
  // Absolute paths, so a saved model finds its data from anywhere.
  const locations = data.locations ? resolve(data.locations) : undefined;
  return { table: full, config: { ...config, data: { ...data, file: full.path, locations, inputs, targets, splits } }, layout, norm, climatology, sets };
}

export function fitData(p: PreparedStations): FitData {
  const { layout, sets } = p;
  return {
    xShape: [layout.lookback, featuresPerStep(layout)],
    yShape: [layout.targets.length],
    train: { x: sets.train.x, y: sets.train.y },
    validation: { x: sets.validation.x, y: sets.validation.y },
  };
}

/** Scores network outputs ([n, targets], normalised changes) for a split. */
export function evaluateStations(p: PreparedStations, split: SplitName, out: Float32Array): StationEvaluation {
  const set = p.sets[split];
  const { targets } = p.layout;
  const nt = targets.length;
  const model = decodeChanges(out, set, p.layout, p.norm);
  const clim = climatologyForecast(p.climatology, targets, set.times);
  const stations: Record<string, Comparison> = {};
  targets.forEach((name, j) => {
    const c = (a: ArrayLike<number>) => column(a, j, nt);
    stations[name] = compare(c(set.observed), c(model), c(set.persistence), { persistence: c(set.persistence), climatology: c(clim) });
  });
  const units = Object.fromEntries(targets.map((t) => [t, p.table.units[p.table.columns.indexOf(t)] ?? '']));
  return {
    split,
    years: p.config.data.splits![split],
    samples: set.anchors.length,
    first_target: formatIsoUtc(set.times[0]!),
    last_target: formatIsoUtc(set.times[set.times.length - 1]!),
    horizon: describeStep(p.table.stepMs * p.layout.horizon),
    units,
    pooled: compare(set.observed, model, set.persistence, { persistence: set.persistence, climatology: clim }),
    stations,
  };
}

export function describeStations(p: PreparedStations): string[] {
  const s = p.config.data.splits!;
  const { layout, table } = p;
  return [
    `${table.file}: ${table.times.length} rows every ${describeStep(table.stepMs)}, ${formatIsoUtc(table.times[0]!).slice(0, 10)} to ${formatIsoUtc(table.times[table.times.length - 1]!).slice(0, 10)}`,
    `inputs ${layout.inputs.join(', ')} over the last ${layout.lookback} rows${layout.harmonics ? ' + day-of-year harmonics' : ''} -> ${layout.targets.join(', ')} ${describeStep(table.stepMs * layout.horizon)} ahead`,
    ...SPLITS.map((name) => `${name}: ${s[name][0]}-${s[name][1]}, ${p.sets[name].anchors.length} windows`),
    ...table.warnings,
  ];
}

export async function trainStationForecast(config: StationForecastConfig, options: ForecastJobOptions): Promise<StationJobResult> {
  const p = await prepareStations(config);
  options.onEvent?.({ type: 'data', lines: describeStations(p) });
  const data = fitData(p);
  const { layout } = p;
  const features = featuresPerStep(layout);
  const fitted = await fitOnBackend((tf, seed) => buildStationModel(tf, config.model, layout.lookback, features, layout.targets.length, seed), data, config.training, options);
  const { tf, model, fit } = fitted;
  const samples = Object.fromEntries(SPLITS.map((s) => [s, p.sets[s].anchors.length])) as Record<SplitName, number>;
  const result: StationJobResult = { status: fit.status, epochs: fit.epochs, bestEpoch: fit.bestEpoch, seconds: fit.seconds, backend: fitted.backend.backend, samples };
  try {
    if (fit.status === 'cancelled' || fit.epochs === 0) return result;
    for (const split of ['validation', 'test'] as const) result[split] = evaluateStations(p, split, await predictAll(tf, model, p.sets[split].x, data.xShape, 256));
    if (options.outDir) {
      const units = result.test!.units;
      const meta = forecastMeta(p.config, { kind: 'stations', ...layout }, units, options.terraVersion);
      await saveForecast(options.outDir, model, meta, { ...p.norm, climatology: p.climatology }, {
        provenance: {
          model: describeModel(config.model),
          data: { file: p.table.path, sha256: p.table.sha256, rows: p.table.times.length, locations: p.config.data.locations ?? null, stations: p.table.stations },
          splits: Object.fromEntries(
            SPLITS.map((s) => [s, { years: p.config.data.splits![s], windows: samples[s], first_target: formatIsoUtc(p.sets[s].times[0]!), last_target: formatIsoUtc(p.sets[s].times.at(-1)!) }]),
          ),
          normalisation: 'mean and standard deviation of each column over the training years; climatology fitted to the training years',
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

/** Scores a saved station model on a split of its data, rebuilt with the saved statistics. */
export async function evaluateSavedStations(saved: SavedForecast & { kind: 'stations' }, split: SplitName): Promise<{ evaluation: StationEvaluation; sha256: string }> {
  const tf = await import('@tensorflow/tfjs');
  const p = await prepareStations(saved.meta.config, { norm: saved.norm, climatology: saved.norm.climatology });
  const out = await predictAll(tf, saved.model, p.sets[split].x, fitData(p).xShape, 256);
  return { evaluation: evaluateStations(p, split, out), sha256: p.table.sha256 };
}
