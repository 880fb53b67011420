/**
 * Samples of a station table: the last `lookback` rows of every input
 * column (and, per row, the day of year as a sine and cosine) -> each target
 * column `horizon` rows after the last of them.
 *
 * Splits are chronological by calendar year, and a window belongs to a
 * split only when every row it touches, inputs and target, lies in that
 * split's years; windows across a boundary are dropped, so no value is both
 * a training target and a test input or target. Normalisation statistics
 * come from the training years alone.
 *
 * What the network learns is the target's change from its last observed
 * value, in units of the target column's standard deviation: an output of 0
 * is persistence, the baseline it refines.
 */
import { TerraError } from '../../api/errors';
import { meanStd, type MeanStd } from '../dataset/stats';
import type { StationTable } from './station-table';

export type YearRange = [number, number];
export type SplitName = 'train' | 'validation' | 'test';
export const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];
export type StationSplits = Record<SplitName, YearRange>;

export interface WindowLayout {
  lookback: number;
  horizon: number;
  inputs: string[];
  targets: string[];
  harmonics: boolean;
}

export interface StationNormalisation {
  /** Per column over the training years' rows. */
  columns: Record<string, MeanStd>;
}

export interface WindowSet {
  /** Row of the last input of each window. */
  anchors: Int32Array;
  /** [n, lookback, features]: normalised inputs, then sin and cos of the day of year. */
  x: Float32Array;
  /** [n, targets]: (target - last value of the target) / std. */
  y: Float32Array;
  /** [n, targets]: observed targets, in the column's units. */
  observed: Float64Array;
  /** [n, targets]: the last observed value (persistence), in the column's units. */
  persistence: Float64Array;
  /** Epoch ms of each target. */
  times: Float64Array;
}

export const yearOf = (t: number): number => new Date(t).getUTCFullYear();

/** Features per input row: one per input column, two for the day of year. */
export function featuresPerStep(layout: WindowLayout): number {
  return layout.inputs.length + (layout.harmonics ? 2 : 0);
}

/** Angle of the time in its year, 2 pi per 365.25 days from 1 January 00:00 UTC. */
export function yearPhase(t: number): number {
  const y = new Date(t).getUTCFullYear();
  return (2 * Math.PI * ((t - Date.UTC(y, 0, 1)) / 86_400_000)) / 365.25;
}

/** Rows [start, end) whose calendar year lies in the range (times increase). */
export function rowsIn(times: Float64Array, range: YearRange): [number, number] {
  let start = 0;
  while (start < times.length && yearOf(times[start]!) < range[0]) start++;
  let end = start;
  while (end < times.length && yearOf(times[end]!) <= range[1]) end++;
  return [start, end];
}

/** Whole years, in order: the last ~15% test, the ~15% before validation, the rest training. */
export function defaultSplits(times: Float64Array): StationSplits {
  const first = yearOf(times[0]!);
  const last = yearOf(times[times.length - 1]!);
  const years = last - first + 1;
  const held = Math.max(1, Math.round(years * 0.15));
  if (years < 2 * held + 1) {
    throw new TerraError('INVALID_DATA', `the series spans ${years} calendar year(s) (${first}-${last}); the default split by year needs at least 3: give data.splits`, { field: 'splits' });
  }
  return { train: [first, last - 2 * held], validation: [last - 2 * held + 1, last - held], test: [last - held + 1, last] };
}

/** Checks that the splits are in time order, do not overlap, and each holds a window. */
export function checkSplits(splits: StationSplits, table: StationTable, layout: WindowLayout): void {
  const span = layout.lookback + layout.horizon;
  if (span > table.times.length) {
    throw new TerraError(
      'INVALID_PARAMS',
      `horizon: lookback ${layout.lookback} + horizon ${layout.horizon} rows is longer than the series (${table.times.length} rows in ${table.file})`,
      { file: table.path, field: 'horizon' },
    );
  }
  for (let i = 1; i < SPLITS.length; i++) {
    const [a, b] = [SPLITS[i - 1]!, SPLITS[i]!];
    if (splits[b][0] <= splits[a][1]) {
      throw new TerraError('INVALID_PARAMS', `splits.${b}: ${splits[b].join('-')} must start after ${a} ${splits[a].join('-')} (chronological, no overlap)`, { field: `splits.${b}` });
    }
  }
  for (const name of SPLITS) {
    if (windowAnchors(table.times, splits[name], layout).length === 0) {
      const [s, e] = rowsIn(table.times, splits[name]);
      throw new TerraError(
        'INVALID_PARAMS',
        `splits.${name}: ${splits[name].join('-')} holds ${e - s} rows of ${table.file}, too few for one window of ${layout.lookback} + ${layout.horizon} rows`,
        { file: table.path, field: `splits.${name}` },
      );
    }
  }
}

/** Last-input rows of the windows lying wholly within the years. */
export function windowAnchors(times: Float64Array, range: YearRange, layout: Pick<WindowLayout, 'lookback' | 'horizon'>): Int32Array {
  const [start, end] = rowsIn(times, range);
  const first = start + layout.lookback - 1;
  const last = end - 1 - layout.horizon;
  return Int32Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

/** Mean and standard deviation of each column over the training years' rows. */
export function stationNormalisation(table: StationTable, train: YearRange): StationNormalisation {
  const [start, end] = rowsIn(table.times, train);
  const columns: Record<string, MeanStd> = {};
  table.columns.forEach((name, c) => (columns[name] = meanStd([table.values[c]!.subarray(start, end)])));
  return { columns };
}

export function buildWindows(table: StationTable, layout: WindowLayout, norm: StationNormalisation, anchors: Int32Array): WindowSet {
  const col = (name: string) => {
    const c = table.columns.indexOf(name);
    const s = norm.columns[name];
    if (c < 0 || !s) throw new TerraError('INVALID_DATA', `${table.file}: column "${name}": not in the table`, { file: table.path, field: name });
    return { values: table.values[c]!, ...s };
  };
  const inputs = layout.inputs.map(col);
  const targets = layout.targets.map(col);
  const f = featuresPerStep(layout);
  const { lookback, horizon } = layout;
  const n = anchors.length;
  const nt = targets.length;
  const x = new Float32Array(n * lookback * f);
  const y = new Float32Array(n * nt);
  const observed = new Float64Array(n * nt);
  const persistence = new Float64Array(n * nt);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = anchors[i]!;
    if (t - lookback + 1 < 0 || t + horizon >= table.times.length) throw new Error(`window at row ${t} outside the series`);
    for (let s = 0; s < lookback; s++) {
      const row = t - lookback + 1 + s;
      const o = (i * lookback + s) * f;
      inputs.forEach((c, j) => (x[o + j] = (c.values[row]! - c.mean) / c.std));
      if (layout.harmonics) {
        const a = yearPhase(table.times[row]!);
        x[o + inputs.length] = Math.sin(a);
        x[o + inputs.length + 1] = Math.cos(a);
      }
    }
    targets.forEach((c, j) => {
      const last = c.values[t]!;
      const target = c.values[t + horizon]!;
      observed[i * nt + j] = target;
      persistence[i * nt + j] = last;
      y[i * nt + j] = (target - last) / c.std;
    });
    times[i] = table.times[t + horizon]!;
  }
  return { anchors, x, y, observed, persistence, times };
}

/** Network outputs [n, targets] back to the columns' units: last value + output x std. */
export function decodeChanges(out: Float32Array, set: WindowSet, layout: WindowLayout, norm: StationNormalisation): Float64Array {
  const nt = layout.targets.length;
  const stds = layout.targets.map((t) => norm.columns[t]!.std);
  return Float64Array.from(out, (v, k) => set.persistence[k]! + v * stds[k % nt]!);
}
