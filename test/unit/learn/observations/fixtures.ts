/** Paths of the real data and small hand-made tables for the observation tests. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StationTable } from '../../../../src/learn/observations/station-table';

export const shared = (p: string): string => fileURLToPath(new URL(`../../../../../shared/data/${p}`, import.meta.url));
export const WIND = shared('weather/wind_ireland.csv');
export const WIND_LOC = shared('weather/wind_ireland_loc.csv');
export const SEATTLE = shared('weather/seattle-weather.csv');
export const STORM = (v: 'P' | 'T' | 'U' | 'V'): string => shared(`weather/storm_jan1996/${v}storm.cdf`);
export const STORM_VARIABLES = { temperature: { file: STORM('T') }, pressure: { file: STORM('P') }, u: { file: STORM('U') }, v: { file: STORM('V') } };

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'terra-obs-'));
}

export async function tempFile(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/**
 * 15 rows, 73 days apart from 2001-01-01: five rows in each of 2001, 2002
 * and 2003 (none is a leap year). Column A is 1..15, B is its square.
 */
export function tinyTable(): StationTable {
  const times = Float64Array.from({ length: 15 }, (_, i) => Date.UTC(2001, 0, 1) + i * 73 * 86_400_000);
  const a = Float64Array.from({ length: 15 }, (_, i) => i + 1);
  const b = a.map((v) => v * v);
  return { path: '/tiny.csv', file: 'tiny.csv', sha256: '', times, stepMs: 73 * 86_400_000, columns: ['A', 'B'], units: ['kn', 'kn'], values: [a, b], stations: {}, warnings: [] };
}
