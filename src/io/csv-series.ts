/**
 * Two-column time series CSV (`time_s,value`), as the scenario contract uses
 * for stage, rain and inflow. A header row is required; its first column must
 * be time in seconds. Times must increase strictly. Errors give the line.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { TerraError } from '../api/errors';

export interface Series {
  file: string;
  valueName: string;
  t: Float64Array;
  v: Float64Array;
}

export function parseSeries(text: string, file: string, expectedValue?: string): Series {
  const fail = (problem: string, line: number, field = 'data') =>
    new TerraError('INVALID_DATA', `${file}:${line}: ${problem}`, { file, line, field });
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split(',').map((s) => s.trim());
  if (header.length !== 2) throw fail(`expected a header with two columns (time_s,value), got "${lines[0] ?? ''}"`, 1, 'header');
  if (!/^(time|t)(_s)?$/i.test(header[0]!)) throw fail(`first column must be time in seconds ("time_s"), got "${header[0]}"`, 1, 'header');
  if (expectedValue && header[1] !== expectedValue) {
    throw fail(`second column should be "${expectedValue}", got "${header[1]}"`, 1, 'header');
  }
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = raw.split(',');
    if (cells.length !== 2) throw fail(`expected 2 values, got ${cells.length} ("${raw}")`, i + 1);
    const time = Number(cells[0]);
    const value = Number(cells[1]);
    if (cells[0]!.trim() === '' || !Number.isFinite(time)) throw fail(`time "${cells[0]}" is not a number`, i + 1, 'time_s');
    if (cells[1]!.trim() === '' || !Number.isFinite(value)) throw fail(`value "${cells[1]}" is not a number`, i + 1, header[1]);
    if (t.length && time <= t[t.length - 1]!) throw fail(`time ${time} does not increase (previous ${t[t.length - 1]})`, i + 1, 'time_s');
    t.push(time);
    v.push(value);
  }
  if (t.length === 0) throw fail('no data rows', 2);
  return { file, valueName: header[1]!, t: Float64Array.from(t), v: Float64Array.from(v) };
}

export async function readSeries(path: string, expectedValue?: string): Promise<Series> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TerraError('NOT_FOUND', `${basename(path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      file: path,
    });
  }
  return parseSeries(text, basename(path), expectedValue);
}

/** Writes `time_s,VALUE` rows that {@link parseSeries} reads back identically (shortest round-trip number text). */
export function formatSeries(series: Pick<Series, 'valueName' | 't' | 'v'>): string {
  const rows = [`time_s,${series.valueName}`];
  for (let i = 0; i < series.t.length; i++) rows.push(`${series.t[i]},${series.v[i]}`);
  return `${rows.join('\n')}\n`;
}

/** Piecewise-linear interpolation, held constant beyond the ends. */
export function interpolator(series: Series): (time: number) => number {
  const { t, v } = series;
  let k = 0;
  return (time: number) => {
    if (time <= t[0]!) return v[0]!;
    const n = t.length;
    if (time >= t[n - 1]!) return v[n - 1]!;
    // Calls move forward in time: resume the search where the last one ended.
    if (time < t[k]!) k = 0;
    while (t[k + 1]! < time) k++;
    const w = (time - t[k]!) / (t[k + 1]! - t[k]!);
    return v[k]! + w * (v[k + 1]! - v[k]!);
  };
}
