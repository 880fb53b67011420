/**
 * Station series for forecasting: a station CSV (io/station-csv.ts) reduced
 * to the numeric columns a job names, checked for what windows need: the
 * columns exist and hold numbers, no value is missing, and rows are evenly
 * spaced in time (a window of 7 rows must be 7 days). Every error names the
 * file and the column or row.
 */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { TerraError } from '../../api/errors';
import { formatIsoUtc } from '../../core/time';
import { readInputBytes } from '../../io/files';
import { MAX_TEXT_BYTES } from '../../io/limits';
import { attachStations, parseStationCsv, readStationLocations, type StationLocation, type StationSeries } from '../../io/station-csv';

export interface StationTable {
  path: string;
  file: string;
  sha256: string;
  /** Epoch ms (UTC), evenly spaced. */
  times: Float64Array;
  stepMs: number;
  /** The columns asked for, in that order. */
  columns: string[];
  /** Units per column ("" when unknown). */
  units: string[];
  values: Float64Array[];
  stations: Record<string, StationLocation>;
  warnings: string[];
}

export interface StationTableOptions {
  /** Columns to keep; default every numeric column. */
  columns?: string[];
  /** Units of columns whose header names none. */
  units?: string;
  timeZone?: string;
  /** Station coordinate CSV. */
  locations?: string;
}

export async function loadStationTable(path: string, options: StationTableOptions = {}): Promise<StationTable> {
  const full = resolve(path);
  const bytes = await readInputBytes(full, MAX_TEXT_BYTES);
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  let series = parseStationCsv(text, basename(full), { units: options.units ? { '*': options.units } : undefined, timeZone: options.timeZone });
  if (options.locations) series = attachStations(series, await readStationLocations(resolve(options.locations)));
  return stationTable(series, full, createHash('sha256').update(bytes).digest('hex'), options.columns);
}

/** Picks and checks the columns of a parsed series. */
export function stationTable(series: StationSeries, path: string, sha256: string, columns?: string[]): StationTable {
  const file = series.file;
  const fail = (field: string, problem: string, extra: Record<string, unknown> = {}) =>
    new TerraError('INVALID_DATA', `${file}: ${field === 'time' ? '' : `column "${field}": `}${problem}`, { file: path, field, ...extra });
  const numeric = series.variables.map((v) => v.name);
  const names = columns ?? numeric;
  if (names.length === 0) throw new TerraError('INVALID_DATA', `${file}: no numeric columns to forecast`, { file: path, field: 'columns' });
  const picked = names.map((name) => {
    const v = series.variables.find((x) => x.name === name);
    if (v) return v;
    const label = series.labels.find((l) => l.name === name);
    if (label) {
      const first = label.values.find((s) => s !== '') ?? '';
      throw fail(name, `not numeric (first value "${first}"); a forecast needs numbers`);
    }
    throw fail(name, `not in the file (numeric columns: ${numeric.join(', ') || 'none'})`, { problem: 'missing column' });
  });
  const n = series.times.length;
  for (const v of picked) {
    const k = v.values.findIndex((x) => !Number.isFinite(x));
    if (k >= 0) {
      const count = v.values.reduce((c, x) => c + (Number.isFinite(x) ? 0 : 1), 0);
      throw fail(v.name, `missing value at ${day(series.times[k]!)} (data row ${k + 1}; ${count} missing in all); fill or remove the gaps before training`, { row: k + 1 });
    }
  }
  if (n < 2) throw fail('time', `${n} row(s); a forecast needs a series`);
  const stepMs = series.times[1]! - series.times[0]!;
  for (let k = 2; k < n; k++) {
    const d = series.times[k]! - series.times[k - 1]!;
    if (d !== stepMs) {
      throw fail('time', `rows are not evenly spaced: ${day(series.times[k - 1]!)} to ${day(series.times[k]!)} (data rows ${k} and ${k + 1}) after steps of ${describeStep(stepMs)}; windows need a regular series`, {
        row: k + 1,
      });
    }
  }
  return {
    path,
    file,
    sha256,
    times: series.times,
    stepMs,
    columns: names,
    units: picked.map((v) => v.units),
    values: picked.map((v) => v.values),
    stations: series.stations ?? {},
    warnings: series.warnings,
  };
}

function day(t: number): string {
  const iso = formatIsoUtc(t);
  return iso.endsWith('T00:00:00Z') ? iso.slice(0, 10) : iso;
}

export function describeStep(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day(s)`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${ms / 1000} s`;
}
