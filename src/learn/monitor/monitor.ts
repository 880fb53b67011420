/**
 * Monitoring a deployed station forecast: new observations (a station CSV
 * later than the model's data) -> the model's forecasts for every window
 * they hold -> per station, the rolling error against what the held-out
 * test says it should be (drift.ts) -> drift episodes, stuck sensors, and
 * what to do about them.
 *
 * The reference comes from the model folder's metrics.json (test RMSE of the
 * model and of persistence per station), so the training data need not be
 * at hand. A flag at a few stations while the rest are fine points to the
 * instruments (retraining on a faulty series would teach the fault); a flag
 * at most stations points to a change the model should learn: retrain.
 */
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { TerraError } from '../../api/errors';
import { formatIsoUtc } from '../../core/time';
import { readJson } from '../models/store';
import { describeModel } from '../observations/models';
import { describeStep, loadStationTable, type StationTable } from '../observations/station-table';
import type { StationMeta } from '../observations/store';
import { buildWindows, decodeChanges, featuresPerStep, yearOf, type WindowLayout } from '../observations/windows';
import { predictAll } from '../train/fit';
import { DEFAULT_DRIFT, driftEpisodes, rollingDrift, type DriftSettings, type RollingSeries, type TestReference } from './drift';
import { repeatedRuns } from './rolling';

export interface MonitorSettings extends DriftSettings {
  /** Identical consecutive values that mark a stuck sensor; 0 to skip the check. */
  stuckRows: number;
}

export const DEFAULT_MONITOR: MonitorSettings = { ...DEFAULT_DRIFT, stuckRows: 7 };

export type MonitorProgress = { stage: 'forecast'; done: number; total: number };

export interface MonitorOptions {
  signal?: AbortSignal;
  onProgress?: (p: MonitorProgress) => void;
}

export interface DriftEpisode {
  /** Estimated start of the shift (CUSUM), a target date. */
  onset: string;
  /** Date whose window first crossed the threshold. */
  flagged: string;
  /** Targets from onset to flag. */
  rows_to_flag: number;
  ratio_at_flag: number;
  /** First date back under the threshold; null while still drifting. */
  cleared: string | null;
  peak: { date: string; ratio: number; rmse: number; expected_rmse: number; bias: number };
}

export interface StationReport {
  name: string;
  units: string;
  test: { rmse: number; persistence_rmse: number };
  /** The last full window. */
  latest: { date: string; rmse: number; expected_rmse: number; ratio: number; plain_ratio: number; bias: number } | null;
  max_ratio: number;
  episodes: DriftEpisode[];
  drifting_now: boolean;
}

export interface StuckReport {
  column: string;
  from: string;
  to: string;
  rows: number;
  value: number;
}

export interface MonitorReport {
  model: string;
  description: string;
  data: { file: string; sha256: string; rows: number; first: string; last: string; step: string };
  settings: MonitorSettings & { horizon: string };
  /** Targets scored per station. */
  targets: number;
  first_target: string;
  last_target: string;
  warnings: string[];
  stations: StationReport[];
  stuck: StuckReport[];
  drift: boolean;
  /** What the report means, in a few lines. */
  messages: string[];
  /** A command to retrain on the old and new data, when drift calls for it. */
  retrain: string | null;
}

/** Rolling series per station, in target order, for plots and CSV. */
export interface MonitorSeries {
  times: Float64Array;
  stations: Record<string, RollingSeries>;
}

const finite = z.number().refine(Number.isFinite, 'a finite number');
const positive = finite.refine((v) => v > 0, 'a positive number');
const testMetricsSchema = z.object({
  test: z.object({
    horizon: z.string(),
    years: z.tuple([z.number(), z.number()]),
    stations: z.record(z.string(), z.object({ model: z.object({ rmse: positive }), references: z.object({ persistence: z.object({ scores: z.object({ rmse: positive }) }) }) })),
  }),
});

/** The held-out test scores of each target station, from the model folder's metrics.json. */
export async function readTestReference(modelDir: string, targets: string[]): Promise<{ horizon: string; years: [number, number]; stations: Record<string, TestReference> }> {
  const file = join(modelDir, 'metrics.json');
  const parsed = testMetricsSchema.safeParse(await readJson(file, 'no metrics.json in the model folder (the held-out test scores are the reference)'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TerraError('INVALID_DATA', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message} (the held-out test scores are the monitor's reference)`, { file, field: issue.path.join('.') });
  }
  const test = parsed.data.test;
  const stations: Record<string, TestReference> = {};
  for (const name of targets) {
    const s = test.stations[name];
    if (!s) throw new TerraError('INVALID_DATA', `${file}: test.stations.${name}: missing (the model predicts ${targets.join(', ')})`, { file, field: `test.stations.${name}` });
    stations[name] = { rmse: s.model.rmse, persistenceRmse: s.references.persistence.scores.rmse };
  }
  return { horizon: test.horizon, years: test.years, stations };
}

export function checkMonitorSettings(settings: MonitorSettings): void {
  const bad = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `${field}: ${problem}`, { field });
  if (!Number.isInteger(settings.window) || settings.window < 2) throw bad('window', `${settings.window}: a whole number of rows >= 2`);
  if (!(settings.threshold > 1)) throw bad('threshold', `${settings.threshold}: a ratio above 1 (1.5 flags an RMSE 50% above expectation)`);
  if (!(settings.floor > 0 && settings.floor <= 1)) throw bad('floor', `${settings.floor}: in (0, 1]`);
  if (!Number.isInteger(settings.stuckRows) || settings.stuckRows < 0 || settings.stuckRows === 1) throw bad('stuck', `${settings.stuckRows}: 0 (off) or a whole number of rows >= 2`);
}

/**
 * Scores `obsFile` with a loaded station model. `modelDir` holds its
 * metrics.json. Windows need `lookback` rows before each target, so the
 * first targets are the file's rows after that many.
 */
export async function monitorStations(
  tf: typeof Tf,
  saved: { model: Tf.LayersModel; meta: StationMeta; norm: { columns: Record<string, { mean: number; std: number }> } },
  modelDir: string,
  obsFile: string,
  settings: MonitorSettings = DEFAULT_MONITOR,
  options: MonitorOptions = {},
): Promise<{ report: MonitorReport; series: MonitorSeries } | null> {
  checkMonitorSettings(settings);
  const { layout, config } = saved.meta;
  const columns = [...new Set([...layout.inputs, ...layout.targets])];
  const table = await loadStationTable(obsFile, { columns, units: config.data.units, timeZone: config.data.time_zone });
  return monitorTable(tf, saved, modelDir, table, settings, options);
}

/** As monitorStations, on a table already read (the model's columns, checked by station-table.ts). */
export async function monitorTable(
  tf: typeof Tf,
  saved: { model: Tf.LayersModel; meta: StationMeta; norm: { columns: Record<string, { mean: number; std: number }> } },
  modelDir: string,
  table: StationTable,
  settings: MonitorSettings = DEFAULT_MONITOR,
  options: MonitorOptions = {},
): Promise<{ report: MonitorReport; series: MonitorSeries } | null> {
  checkMonitorSettings(settings);
  const { meta } = saved;
  const layout: WindowLayout = meta.layout;
  const reference = await readTestReference(modelDir, layout.targets);
  const data = meta.config.data;
  for (const name of [...layout.inputs, ...layout.targets]) {
    if (!table.columns.includes(name)) throw new TerraError('INVALID_DATA', `${table.file}: column "${name}": not in the table (the model needs ${layout.inputs.join(', ')})`, { file: table.path, field: name });
  }
  checkUnits(table, meta.units);
  const horizon = describeStep(table.stepMs * layout.horizon);
  if (horizon !== reference.horizon) {
    throw new TerraError(
      'INVALID_DATA',
      `${table.file}: rows every ${describeStep(table.stepMs)} make the model's ${layout.horizon}-row horizon ${horizon}; it was trained and tested ${reference.horizon} ahead`,
      { file: table.path, field: 'time' },
    );
  }
  const first = layout.lookback - 1;
  const last = table.times.length - 1 - layout.horizon;
  const count = last - first + 1;
  if (count < settings.window) {
    throw new TerraError(
      'INVALID_DATA',
      `${table.file}: ${table.times.length} rows give ${Math.max(0, count)} forecasts (${layout.lookback} rows of history and ${layout.horizon} ahead each), fewer than the window of ${settings.window}`,
      { file: table.path, field: 'rows' },
    );
  }
  const anchors = Int32Array.from({ length: count }, (_, i) => first + i);
  const set = buildWindows(table, layout, { columns: saved.norm.columns }, anchors);
  const xShape = [layout.lookback, featuresPerStep(layout)];
  const per = xShape[0]! * xShape[1]!;
  const chunk = 1024;
  const parts: Float32Array[] = [];
  for (let i = 0; i < count; i += chunk) {
    if (options.signal?.aborted) return null;
    const m = Math.min(chunk, count - i);
    parts.push(await predictAll(tf, saved.model, set.x.subarray(i * per, (i + m) * per), xShape, 256));
    options.onProgress?.({ stage: 'forecast', done: i + m, total: count });
  }
  const out = new Float32Array(count * layout.targets.length);
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0);
  const predicted = decodeChanges(out, set, layout, { columns: saved.norm.columns });

  const nt = layout.targets.length;
  const day = (i: number) => isoDay(set.times[i]!);
  const stations: StationReport[] = [];
  const rolling: Record<string, RollingSeries> = {};
  layout.targets.forEach((name, j) => {
    const col = (a: ArrayLike<number>) => Float64Array.from({ length: count }, (_, i) => a[i * nt + j]!);
    const series = { observed: col(set.observed), predicted: col(predicted), persistence: col(set.persistence) };
    const ref = reference.stations[name]!;
    const r = rollingDrift(series, ref, settings);
    rolling[name] = r;
    const episodes = driftEpisodes(series, ref, r, settings).map(
      (e): DriftEpisode => ({
        onset: day(e.onset),
        flagged: day(e.flagged),
        rows_to_flag: e.flagged - e.onset,
        ratio_at_flag: r.ratio[e.flagged]!,
        cleared: e.cleared < 0 ? null : day(e.cleared),
        peak: { date: day(e.peak), ratio: r.ratio[e.peak]!, rmse: r.rmse[e.peak]!, expected_rmse: r.expected[e.peak]!, bias: r.bias[e.peak]! },
      }),
    );
    const k = count - 1;
    let max = 0;
    for (const v of r.ratio) if (v > max) max = v;
    stations.push({
      name,
      units: meta.units[name] ?? '',
      test: { rmse: ref.rmse, persistence_rmse: ref.persistenceRmse },
      latest: { date: day(k), rmse: r.rmse[k]!, expected_rmse: r.expected[k]!, ratio: r.ratio[k]!, plain_ratio: r.plainRatio[k]!, bias: r.bias[k]! },
      max_ratio: max,
      episodes,
      drifting_now: episodes.at(-1)?.cleared === null,
    });
  });

  const stuck: StuckReport[] = [];
  if (settings.stuckRows > 0) {
    table.columns.forEach((column, c) => {
      for (const run of repeatedRuns(table.values[c]!, settings.stuckRows)) {
        stuck.push({ column, from: isoDay(table.times[run.start]!), to: isoDay(table.times[run.start + run.length - 1]!), rows: run.length, value: run.value });
      }
    });
  }

  const warnings = [...table.warnings];
  const fitted = data.splits ?? { train: [0, 0], validation: [0, 0], test: reference.years };
  const lastUsed = Math.max(fitted.train[1], fitted.validation[1], fitted.test[1]);
  if (yearOf(set.times[0]!) <= lastUsed) {
    warnings.push(`${table.file} starts in ${yearOf(set.times[0]!)}, within the years the model was trained, validated or tested on (to ${lastUsed}): monitoring is a fair check only on later data`);
  }
  const drift = stations.some((s) => s.episodes.length > 0) || stuck.length > 0;
  const report: MonitorReport = {
    model: modelDir,
    description: describeModel(meta.config.model),
    data: { file: table.path, sha256: table.sha256, rows: table.times.length, first: isoDay(table.times[0]!), last: isoDay(table.times.at(-1)!), step: describeStep(table.stepMs) },
    settings: { ...settings, horizon },
    targets: count,
    first_target: day(0),
    last_target: day(count - 1),
    warnings,
    stations,
    stuck,
    drift,
    messages: [],
    retrain: null,
  };
  report.messages = explain(report, table);
  report.retrain = drift ? retrainCommand(meta, modelDir, table.path) : null;
  return { report, series: { times: set.times, stations: rolling } };
}

function checkUnits(table: StationTable, units: Record<string, string>): void {
  table.columns.forEach((name, c) => {
    const want = units[name];
    const got = table.units[c];
    if (want && got && want !== got) {
      throw new TerraError('INVALID_DATA', `${table.file}: column "${name}": in ${got}, but the model was trained on ${want}; convert it first`, { file: table.path, field: name });
    }
  });
}

const isoDay = (t: number) => {
  const iso = formatIsoUtc(t);
  return iso.endsWith('T00:00:00Z') ? iso.slice(0, 10) : iso;
};

const f2 = (v: number) => v.toFixed(2);

/** The report in sentences: which stations, since when, how much worse, what to do. */
function explain(report: MonitorReport, table: StationTable): string[] {
  const lines: string[] = [];
  const { window, threshold } = report.settings;
  const daily = table.stepMs === 86_400_000;
  const span = daily ? `${window}-day` : `${window}-row (${describeStep(table.stepMs * window)})`;
  const rows = daily ? 'days' : 'rows';
  const flagged = report.stations.filter((s) => s.episodes.length > 0).sort((a, b) => b.max_ratio - a.max_ratio);
  for (const s of flagged) {
    const first = s.episodes[0]!;
    const worst = s.episodes.reduce((a, b) => (b.peak.ratio > a.peak.ratio ? b : a));
    const u = s.units ? ` ${s.units}` : '';
    const now = s.drifting_now ? 'still drifting' : `back under ${threshold}x from ${s.episodes.at(-1)!.cleared}`;
    const p = worst.peak;
    const bias = Math.abs(p.bias) > 0.25 * p.rmse ? `; forecasts ${f2(Math.abs(p.bias))}${u} ${p.bias > 0 ? 'above' : 'below'} the observations on average` : '';
    const count = s.episodes.length > 1 ? ` (${s.episodes.length} episodes)` : '';
    lines.push(
      `${s.name}: drift since about ${first.onset} (flagged ${first.flagged}, ${first.rows_to_flag} ${rows} later)${count}; ${now}. ` +
        `At worst (${p.date}) the ${span} RMSE was ${f2(p.rmse)}${u}, ${f2(p.ratio)}x the ${f2(p.expected_rmse)}${u} the held-out test predicts for that weather${bias}.`,
    );
  }
  for (const r of report.stuck) lines.push(`${r.column}: the same value ${r.value} for ${r.rows} ${rows}, ${r.from} to ${r.to}: a stuck or failed sensor?`);
  const n = report.stations.length;
  const suspects = new Set([...flagged.map((s) => s.name), ...report.stuck.map((r) => r.column)]);
  if (suspects.size === 0) {
    const worst = report.stations.reduce((a, b) => (b.max_ratio > a.max_ratio ? b : a));
    lines.push(`No drift: every ${span} RMSE stayed within ${threshold}x of what the held-out test predicts (highest ${f2(worst.max_ratio)}x, ${worst.name}); no sensor stuck.`);
  } else if (flagged.length > n / 2) {
    lines.push(`${flagged.length} of ${n} stations drift together: the weather, the network of stations or the data source has changed; retrain on the old and new data.`);
  } else {
    const names = [...suspects].map((name) => {
      const st = report.stations.find((x) => x.name === name);
      return st && st.episodes.length ? `${name} ${f2(st.max_ratio)}x` : `${name} stuck`;
    });
    lines.push(
      `${suspects.size} of ${n} stations (${names.join(', ')}) while the others hold: check the first one's instrument and data before retraining ` +
        `(a fault in one series is not a change the model should learn, and it also degrades the forecasts that use it as an input); retrain once the data are right.`,
    );
  }
  return lines;
}

/** `terra forecast stations` with the model's own settings, on the training data followed by the new observations. */
export function retrainCommand(meta: StationMeta, modelDir: string, obsFile: string): string {
  const d = meta.config.data;
  const m = meta.config.model;
  const parts = ['terra forecast stations', quote('COMBINED.csv')];
  if (d.units) parts.push('--units', quote(d.units));
  if (d.time_zone) parts.push('--time-zone', quote(d.time_zone));
  parts.push('--model', m.kind, '--lookback', String(d.lookback), '--horizon', String(d.horizon));
  if (d.inputs) parts.push('--inputs', d.inputs.join(','));
  if (d.targets && d.targets.join() !== (d.inputs ?? []).join()) parts.push('--targets', d.targets.join(','));
  if (!d.harmonics) parts.push('--no-harmonics');
  parts.push('--out', quote(`${modelDir.replace(/[/\\]+$/, '')}-retrained`));
  return `${parts.join(' ')}   # COMBINED.csv: ${d.file} with the rows of ${obsFile} appended`;
}

const quote = (s: string) => (/^[\w./:@%+,=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
