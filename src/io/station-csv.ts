/**
 * Station time series CSV: one row per time, several variables.
 *
 * - Time: one column (date, time, datetime, timestamp, ...; ISO 8601 with or
 *   without an offset, or a bare date), a date + time pair, or year, month,
 *   day [, hour [, minute]] columns. Timestamps without an offset are read in
 *   `timeZone` (UTC unless given; fixed offsets and IANA names work). Times
 *   must increase strictly.
 * - Units in headers: `temp_max (degC)` or `wind [m/s]`; else from options
 *   (per column, or "*" for all). Unknown units are an error naming the column.
 * - Missing cells (empty, NA, NaN, null, M, -, sentinel numbers) become NaN.
 *   Columns whose first value is not a number are kept as text labels.
 * - Every error names the file, line and column.
 *
 * Station coordinate tables (name, code, latitude, longitude in decimal or
 * degrees-minutes-seconds such as 51d56'N) are read by {@link parseStationLocations}.
 */
import { basename } from 'node:path';
import { TerraError } from '../api/errors';
import { formatIsoUtc, isValidTimeZone, parseTimestampText, timestampToEpoch, type ParsedTimestamp } from '../core/time';
import { parseUnits } from '../core/units';
import { readInputText } from './files';
import { MAX_FIELD_VALUES, MAX_TEXT_BYTES } from './limits';

export interface StationVariable {
  name: string;
  /** Canonical unit symbol ("kn", "degC"), or "" when unknown. */
  units: string;
  unitsSource: 'header' | 'option' | 'none';
  values: Float64Array;
}

export interface StationLabel {
  name: string;
  values: string[];
}

export interface StationLocation {
  name: string;
  code: string;
  lat: number;
  lon: number;
  /** Other columns, numbers where they parse. */
  attributes: Record<string, number | string>;
}

export interface StationSeries {
  file: string;
  /** Epoch ms (UTC), strictly increasing. */
  times: Float64Array;
  /** Every timestamp was a bare date (daily data). */
  dateOnly: boolean;
  /** Zone that timestamps without an offset were read in. */
  timeZone: string;
  variables: StationVariable[];
  labels: StationLabel[];
  /** Station coordinates by variable name, once attached. */
  stations?: Record<string, StationLocation>;
  warnings: string[];
}

export interface StationCsvOptions {
  /** Units by column name; "*" applies to every column without its own. */
  units?: Record<string, string>;
  /** Zone for timestamps without an offset: "UTC" (default), "+01:00", "Europe/Dublin". */
  timeZone?: string;
  /** Extra text tokens meaning missing. */
  missingTokens?: string[];
  /** Numbers meaning missing (default -9999). */
  missingValues?: number[];
}

const MISSING_TOKENS = ['', 'na', 'n/a', 'nan', 'null', 'none', 'm', '-', '--', 'missing'];
const TIME_COLUMN = /^(date|time|datetime|date_time|timestamp|valid|valid_time|obs_time|time_utc|dt|utc)$/i;

type Fail = (problem: string, line: number, field: string) => TerraError;

function failer(file: string): Fail {
  return (problem, line, field) => new TerraError('INVALID_DATA', `${file}:${line}: ${problem}`, { file, line, field });
}

/** Splits one CSV line; double quotes may wrap a field ("" inside is a quote). Undefined on an unbalanced quote. */
export function splitCsvLine(line: string, delimiter: string): string[] | undefined {
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) return undefined;
  out.push(cur);
  return out;
}

function detectDelimiter(header: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

/** "temp_max (degC)" -> ["temp_max", "degC"]; "wind [m/s]" -> ["wind", "m/s"]. */
export function splitHeaderUnits(header: string): { name: string; units?: string } {
  const m = /^(.*?)\s*[([]\s*([^)\]]*?)\s*[)\]]\s*$/.exec(header.trim());
  if (m && m[1]) return { name: m[1], units: m[2] };
  return { name: header.trim() };
}

interface Row {
  line: number;
  cells: string[];
}

/** Non-empty, non-comment lines with their 1-based numbers; the first is the header. */
function csvRows(text: string, file: string): { header: Row; rows: Row[]; delimiter: string } {
  const fail = failer(file);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (headerIndex < 0) throw fail('empty file: no header row', 1, 'header');
  const delimiter = detectDelimiter(lines[headerIndex]!);
  const split = (l: string, n: number) => {
    const cells = splitCsvLine(l, delimiter);
    if (!cells) throw fail('unbalanced double quote', n, 'row');
    return cells.map((c) => c.trim());
  };
  const header = { line: headerIndex + 1, cells: split(lines[headerIndex]!, headerIndex + 1) };
  const rows: Row[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    rows.push({ line: i + 1, cells: split(l, i + 1) });
  }
  return { header, rows, delimiter };
}

type TimeReader = (row: Row) => ParsedTimestamp;

function timeReader(names: string[], header: Row, first: Row | undefined, file: string, warnings: string[]): { read: TimeReader; columns: number[] } {
  const fail = failer(file);
  const lower = names.map((n) => n.toLowerCase());
  const at = (n: string) => lower.indexOf(n);
  const parseCell = (text: string, row: Row, field: string) => {
    const p = parseTimestampText(text);
    if (!p) throw fail(`"${text}" is not a timestamp (ISO 8601, e.g. 2012-01-01 or 2012-01-01T06:00:00+01:00)`, row.line, field);
    return p;
  };
  // date + time pair.
  if (at('date') >= 0 && at('time') >= 0) {
    const d = at('date');
    const t = at('time');
    return { columns: [d, t], read: (row) => parseCell(`${row.cells[d]}T${row.cells[t]}`, row, 'date,time') };
  }
  // One timestamp column, by name, else the first column if it parses.
  let one = lower.findIndex((n) => TIME_COLUMN.test(n));
  if (one < 0 && first && parseTimestampText(first.cells[0] ?? '')) one = 0;
  if (one >= 0) return { columns: [one], read: (row) => parseCell(row.cells[one]!, row, names[one]!) };
  // year, month, day [, hour [, minute]].
  const y = at('year') >= 0 ? at('year') : at('yr');
  const mo = at('month') >= 0 ? at('month') : at('mon');
  const d = at('day');
  if (y >= 0 && mo >= 0 && d >= 0) {
    const h = at('hour') >= 0 ? at('hour') : at('hr');
    const mi = at('minute') >= 0 ? at('minute') : at('min');
    let twoDigit = false;
    const int = (row: Row, i: number, field: string, lo: number, hi: number) => {
      const s = row.cells[i] ?? '';
      const v = Number(s);
      if (s === '' || !Number.isInteger(v) || v < lo || v > hi) throw fail(`${field} "${s}" is not an integer ${lo}-${hi}`, row.line, field);
      return v;
    };
    const read: TimeReader = (row) => {
      let year = int(row, y, names[y]!, 0, 9999);
      if (year < 100) {
        // Two-digit years: 50-99 are 1950-1999, 00-49 are 2000-2049.
        year += year >= 50 ? 1900 : 2000;
        if (!twoDigit) {
          twoDigit = true;
          warnings.push(`two-digit years in "${names[y]}" read as 1950-2049 (first: ${row.cells[y]} -> ${year})`);
        }
      }
      const month = int(row, mo, names[mo]!, 1, 12);
      const day = int(row, d, names[d]!, 1, 31);
      const hour = h >= 0 ? int(row, h, names[h]!, 0, 24) : 0;
      const minute = mi >= 0 ? int(row, mi, names[mi]!, 0, 59) : 0;
      const text = `${String(year).padStart(4, '0')}-${month}-${day}${h >= 0 ? `T${hour}:${String(minute).padStart(2, '0')}` : ''}`;
      return parseCell(text, row, names[d]!);
    };
    return { columns: [y, mo, d, ...(h >= 0 ? [h] : []), ...(mi >= 0 ? [mi] : [])], read };
  }
  throw fail(`no time column: expected one named date/time/datetime/timestamp, a date + time pair, or year, month, day (header: ${names.join(', ')})`, header.line, 'header');
}

export function parseStationCsv(text: string, file: string, options: StationCsvOptions = {}): StationSeries {
  const fail = failer(file);
  const warnings: string[] = [];
  const timeZone = options.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw new TerraError('INVALID_PARAMS', `unknown time zone "${timeZone}"`, { file, field: 'timeZone' });
  const { header, rows } = csvRows(text, file);
  const parsedHeader = header.cells.map(splitHeaderUnits);
  const names = parsedHeader.map((h) => h.name);
  names.forEach((n, i) => {
    if (n === '') throw fail(`column ${i + 1} has no name`, header.line, `column ${i + 1}`);
    if (names.indexOf(n) !== i) throw fail(`column name "${n}" appears twice`, header.line, n);
  });
  if (rows.length === 0) throw fail('no data rows', header.line + 1, 'data');
  const width = names.length;
  if (rows.length * width > MAX_FIELD_VALUES) throw fail(`${rows.length} rows x ${width} columns is over the limit of ${MAX_FIELD_VALUES} values`, header.line, 'data');
  const time = timeReader(names, header, rows[0], file, warnings);
  const missingTokens = new Set([...MISSING_TOKENS, ...(options.missingTokens ?? []).map((t) => t.toLowerCase())]);
  const missingValues = new Set(options.missingValues ?? [-9999]);
  const isMissing = (s: string) => missingTokens.has(s.toLowerCase());

  // Column kinds: numeric unless the first non-missing value is not a number.
  const dataCols = names.map((_, i) => i).filter((i) => !time.columns.includes(i));
  const numeric = new Map<number, boolean>();
  for (const c of dataCols) {
    const firstValue = rows.find((r) => r.cells.length === width && !isMissing(r.cells[c] ?? ''))?.cells[c];
    numeric.set(c, firstValue === undefined || Number.isFinite(Number(firstValue)));
  }

  const variables: StationVariable[] = [];
  const labels: StationLabel[] = [];
  const sinks = new Map<number, Float64Array | string[]>();
  for (const c of dataCols) {
    const name = names[c]!;
    if (numeric.get(c)) {
      const values = new Float64Array(rows.length);
      sinks.set(c, values);
      variables.push({ name, ...columnUnits(name, parsedHeader[c]!.units, options.units, file, header.line, warnings), values });
    } else {
      const values: string[] = new Array(rows.length);
      sinks.set(c, values);
      labels.push({ name, values });
    }
  }

  const times = new Float64Array(rows.length);
  let dateOnly = true;
  let anyOffset = false;
  rows.forEach((row, k) => {
    if (row.cells.length !== width) throw fail(`expected ${width} fields, got ${row.cells.length}`, row.line, 'row');
    const ts = time.read(row);
    dateOnly &&= ts.dateOnly;
    anyOffset ||= ts.offsetMinutes !== undefined;
    const t = timestampToEpoch(ts, timeZone);
    if (k > 0 && !(t > times[k - 1]!)) {
      throw fail(`time ${formatIsoUtc(t)} does not come after the previous row's ${formatIsoUtc(times[k - 1]!)}`, row.line, names[time.columns[0]!]!);
    }
    times[k] = t;
    for (const c of dataCols) {
      const cell = row.cells[c]!;
      const sink = sinks.get(c)!;
      if (Array.isArray(sink)) {
        sink[k] = cell;
        continue;
      }
      if (isMissing(cell)) {
        sink[k] = NaN;
        continue;
      }
      const v = Number(cell);
      if (!Number.isFinite(v)) throw fail(`"${cell}" in column "${names[c]}" is not a number`, row.line, names[c]!);
      sink[k] = missingValues.has(v) ? NaN : v;
    }
  });
  if (!anyOffset && options.timeZone === undefined && !dateOnly) warnings.push('timestamps carry no time zone; read as UTC');
  const unitless = variables.filter((v) => !v.units).map((v) => v.name);
  if (unitless.length) {
    warnings.push(
      `${unitless.length > 1 ? 'columns' : 'column'} ${unitless.join(', ')} ${unitless.length > 1 ? 'have' : 'has'} no units (write them in the header, e.g. "${unitless[0]} (m/s)", or give them as an option)`,
    );
  }
  for (const v of variables) {
    const missing = v.values.reduce((n, x) => n + (Number.isNaN(x) ? 1 : 0), 0);
    if (missing === v.values.length) warnings.push(`column "${v.name}" has no values`);
    else if (missing) warnings.push(`column "${v.name}": ${missing} missing value${missing > 1 ? 's' : ''}`);
  }
  return { file, times, dateOnly, timeZone, variables, labels, warnings };
}

function columnUnits(
  name: string,
  fromHeader: string | undefined,
  given: Record<string, string> | undefined,
  file: string,
  line: number,
  warnings: string[],
): Pick<StationVariable, 'units' | 'unitsSource'> {
  const option = given?.[name] ?? given?.['*'];
  const check = (u: string, where: string) => {
    try {
      return parseUnits(u, { file, field: name }).symbol;
    } catch {
      throw new TerraError('INVALID_DATA', `${file}:${line}: unknown units "${u}" for column "${name}" (${where})`, { file, line, field: name, problem: 'units' });
    }
  };
  if (fromHeader !== undefined && fromHeader !== '') {
    const units = check(fromHeader, 'header');
    if (given?.[name] && check(given[name]!, 'option') !== units) warnings.push(`column "${name}": header says ${units}, option says ${given[name]}; using the header`);
    return { units, unitsSource: 'header' };
  }
  if (option !== undefined) return { units: check(option, 'option'), unitsSource: 'option' };
  return { units: '', unitsSource: 'none' };
}

export async function readStationCsv(path: string, options: StationCsvOptions = {}): Promise<StationSeries> {
  return parseStationCsv(await readInputText(path, MAX_TEXT_BYTES), basename(path), options);
}

/** Decimal degrees or degrees-minutes-seconds ("51d56'N", "52°16'56.791\"N", "-8.5"); undefined if neither. */
export function parseCoordinate(text: string): number | undefined {
  const s = text.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return Number(s);
  const hemi = /^(\d+(?:\.\d+)?)\s*([NSEWnsew])$/.exec(s);
  if (hemi) return (/[SWsw]/.test(hemi[2]!) ? -1 : 1) * Number(hemi[1]);
  const m = /^([+-]?\d+(?:\.\d+)?)\s*[d°:\s]\s*(?:(\d+(?:\.\d+)?)\s*['′:]?\s*(?:(\d+(?:\.\d+)?)\s*(?:"|″|'')?)?)?\s*([NSEWnsew])?$/.exec(s);
  if (!m) return undefined;
  const deg = Number(m[1]);
  const min = Number(m[2] ?? 0);
  const sec = Number(m[3] ?? 0);
  if (min >= 60 || sec >= 60) return undefined;
  const sign = deg < 0 || /[SWsw]/.test(m[4] ?? '') ? -1 : 1;
  return sign * (Math.abs(deg) + min / 60 + sec / 3600);
}

export function parseStationLocations(text: string, file: string): StationLocation[] {
  const fail = failer(file);
  const { header, rows } = csvRows(text, file);
  const names = header.cells.map((c) => splitHeaderUnits(c).name);
  const find = (re: RegExp) => names.findIndex((n) => re.test(n));
  const lat = find(/^(lat|latitude)$/i);
  const lon = find(/^(lon|long|lng|longitude)$/i);
  if (lat < 0 || lon < 0) throw fail(`needs latitude and longitude columns (header: ${names.join(', ')})`, header.line, 'header');
  const name = find(/^(station|name|site|station_name)$/i);
  const code = find(/^(code|id|station_id|abbr|abbreviation)$/i);
  if (rows.length === 0) throw fail('no data rows', header.line + 1, 'data');
  return rows.map((row) => {
    if (row.cells.length !== names.length) throw fail(`expected ${names.length} fields, got ${row.cells.length}`, row.line, 'row');
    const la = parseCoordinate(row.cells[lat]!);
    const lo = parseCoordinate(row.cells[lon]!);
    if (la === undefined || Math.abs(la) > 90) throw fail(`latitude "${row.cells[lat]}" is not a coordinate`, row.line, names[lat]!);
    if (lo === undefined || Math.abs(lo) > 180) throw fail(`longitude "${row.cells[lon]}" is not a coordinate`, row.line, names[lon]!);
    const attributes: Record<string, number | string> = {};
    row.cells.forEach((cell, i) => {
      if (i === lat || i === lon || i === name || i === code) return;
      attributes[names[i]!] = cell !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell;
    });
    const stationName = name >= 0 ? row.cells[name]! : row.cells[code]!;
    return { name: stationName ?? '', code: code >= 0 ? row.cells[code]! : stationName ?? '', lat: la, lon: lo, attributes };
  });
}

export async function readStationLocations(path: string): Promise<StationLocation[]> {
  return parseStationLocations(await readInputText(path, MAX_TEXT_BYTES), basename(path));
}

/** Attaches coordinates to the variables whose name is a station code (or name); warns about the rest. */
export function attachStations(series: StationSeries, locations: StationLocation[]): StationSeries {
  const stations: Record<string, StationLocation> = {};
  const unmatched: string[] = [];
  for (const v of series.variables) {
    const loc = locations.find((l) => l.code === v.name) ?? locations.find((l) => l.name === v.name);
    if (loc) stations[v.name] = loc;
    else unmatched.push(v.name);
  }
  const warnings = [...series.warnings];
  if (unmatched.length) warnings.push(`no coordinates for column${unmatched.length > 1 ? 's' : ''} ${unmatched.join(', ')}`);
  return { ...series, stations, warnings };
}

/** True when a CSV header looks like a station coordinate table rather than a time series. */
export function looksLikeLocations(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  const names = (splitCsvLine(first, detectDelimiter(first)) ?? []).map((c) => splitHeaderUnits(c).name.toLowerCase());
  return names.some((n) => /^(lat|latitude)$/.test(n)) && names.some((n) => /^(lon|long|lng|longitude)$/.test(n)) && !names.some((n) => TIME_COLUMN.test(n) || n === 'year');
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes a series so that {@link parseStationCsv} reads it back identically: ISO UTC times, units in the headers, empty cells for NaN. */
export function formatStationCsv(series: StationSeries): string {
  const head = ['time', ...series.variables.map((v) => (v.units ? `${v.name} (${v.units})` : v.name)), ...series.labels.map((l) => l.name)];
  const lines = [head.map(csvCell).join(',')];
  const dateOnly = series.dateOnly && Array.from(series.times).every((t) => t % 86400000 === 0);
  for (let k = 0; k < series.times.length; k++) {
    const t = formatIsoUtc(series.times[k]!);
    const cells = [dateOnly ? t.slice(0, 10) : t];
    for (const v of series.variables) {
      const x = v.values[k]!;
      cells.push(Number.isNaN(x) ? '' : String(x));
    }
    for (const l of series.labels) cells.push(csvCell(l.values[k] ?? ''));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
