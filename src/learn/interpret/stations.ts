/**
 * Permutation importance of a saved station forecast on a split of its own
 * data (rebuilt with the saved statistics, as `terra forecast evaluate`
 * does). Columns are an input station at one lag (t-0 is the last row of the
 * window) and the day of year (its sine and cosine at every row, one
 * group); stations are every lag of one input at once. The error is the
 * RMSE in the data's units of the forecasts of all targets, or of one.
 *
 * The network predicts the change from the last observation, which is added
 * back outside it (windows.ts): shuffling a station's own last value
 * changes what the network sees, not the persistence it builds on.
 */
import type * as Tf from '@tensorflow/tfjs';
import { TerraError } from '../../api/errors';
import type { SavedForecast } from '../observations/store';
import { prepareStations } from '../observations/station-job';
import { decodeChanges, featuresPerStep, type SplitName, type WindowLayout } from '../observations/windows';
import { predictAll } from '../train/fit';
import { permutationImportance, type FeatureGroup, type GroupImportance, type ImportanceOptions } from './permutation';

export interface StationColumnGroup extends FeatureGroup {
  kind: 'lag' | 'station' | 'season';
  station?: string;
  /** Rows before the last of the window (0 = the last). */
  lag?: number;
}

export interface StationImportanceReport {
  split: SplitName;
  years: [number, number];
  samples: number;
  /** Targets whose RMSE is scored. */
  targets: string[];
  units: string;
  repeats: number;
  seed: number;
  baseline_rmse: number;
  /** Station x lag, and the day of year; most important first. */
  columns: (GroupImportance & { kind: string; station?: string; lag?: number })[];
  /** Every lag of a station at once; most important first. */
  stations: (GroupImportance & { station: string })[];
}

/** Column groups (station x lag, day of year) and station groups of a window layout. */
export function stationGroups(layout: WindowLayout): { columns: StationColumnGroup[]; stations: StationColumnGroup[] } {
  const f = featuresPerStep(layout);
  const { lookback } = layout;
  const at = (row: number, feature: number) => row * f + feature;
  const columns: StationColumnGroup[] = [];
  for (let lag = 0; lag < lookback; lag++) {
    layout.inputs.forEach((station, j) => columns.push({ name: `${station} t-${lag}`, kind: 'lag', station, lag, offsets: [at(lookback - 1 - lag, j)] }));
  }
  if (layout.harmonics) {
    const n = layout.inputs.length;
    const offsets = Array.from({ length: lookback }, (_, row) => [at(row, n), at(row, n + 1)]).flat();
    columns.push({ name: 'day of year', kind: 'season', offsets });
  }
  const stations = layout.inputs.map(
    (station, j): StationColumnGroup => ({ name: station, kind: 'station', station, offsets: Array.from({ length: lookback }, (_, row) => at(row, j)) }),
  );
  return { columns, stations };
}

export interface StationImportanceOptions extends ImportanceOptions {
  split: SplitName;
  /** Score one target's forecasts; all targets by default. */
  target?: string;
}

export async function stationImportance(
  tf: typeof Tf,
  saved: SavedForecast & { kind: 'stations' },
  options: StationImportanceOptions,
): Promise<StationImportanceReport | null> {
  const p = await prepareStations(saved.meta.config, { norm: saved.norm, climatology: saved.norm.climatology });
  const { layout } = p;
  const set = p.sets[options.split];
  const targets = options.target ? [options.target] : layout.targets;
  const picked = targets.map((t) => {
    const j = layout.targets.indexOf(t);
    if (j < 0) throw new TerraError('INVALID_PARAMS', `target: "${t}" is not one of the model's targets (${layout.targets.join(', ')})`, { field: 'target' });
    return j;
  });
  const xShape = [layout.lookback, featuresPerStep(layout)];
  const nt = layout.targets.length;
  const score = async (x: Float32Array) => {
    const out = await predictAll(tf, saved.model, x, xShape, 512);
    const pred = decodeChanges(out, set, layout, p.norm);
    let sum = 0;
    let count = 0;
    for (let i = 0; i < set.anchors.length; i++) {
      for (const j of picked) {
        sum += (pred[i * nt + j]! - set.observed[i * nt + j]!) ** 2;
        count++;
      }
    }
    return Math.sqrt(sum / count);
  };
  const groups = stationGroups(layout);
  const per = xShape[0]! * xShape[1]!;
  const all = [...groups.columns, ...groups.stations];
  const result = await permutationImportance(score, set.x, per, all, options);
  if (!result) return null;
  const byName = (g: StationColumnGroup, i: number) => ({ ...result.groups[i]!, kind: g.kind, station: g.station, lag: g.lag });
  const columns = groups.columns.map(byName).sort((a, b) => b.increase - a.increase);
  const stations = groups.stations.map((g, i) => ({ ...result.groups[groups.columns.length + i]!, station: g.station! })).sort((a, b) => b.increase - a.increase);
  const units = [...new Set(targets.map((t) => saved.meta.units[t] ?? '').filter(Boolean))].join(', ');
  return {
    split: options.split,
    years: p.config.data.splits![options.split],
    samples: set.anchors.length,
    targets,
    units,
    repeats: options.repeats,
    seed: options.seed,
    baseline_rmse: result.baseline,
    columns,
    stations,
  };
}
