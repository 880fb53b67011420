/** Reading the real station and grid files, and clear errors for bad ones. */
import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerraError } from '../../../../src/api/errors';
import { readNetcdfGrid } from '../../../../src/io/netcdf';
import { gridDataSchema, stationForecastSchema } from '../../../../src/learn/observations/config';
import { buildGridSamples, decodeGridForecasts, gridLayout, gridNormalisation, gridSplits, paddedMask } from '../../../../src/learn/observations/grid-samples';
import { loadGridSequence, type GridSequence } from '../../../../src/learn/observations/grid-sequence';
import { prepareStations } from '../../../../src/learn/observations/station-job';
import { loadStationTable } from '../../../../src/learn/observations/station-table';
import { compare, finiteMask } from '../../../../src/learn/observations/evaluate';
import { SEATTLE, shared, STORM, STORM_VARIABLES, tempDir, tempFile, WIND, WIND_LOC } from './fixtures';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The error a promise rejects with, checked to be a TerraError. */
async function failure(p: Promise<unknown>): Promise<TerraError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TerraError);
  return err as TerraError;
}

/** The first rows of the real wind file, with a change made to one line. */
async function windSample(name: string, rows: number, edit?: (lines: string[]) => void): Promise<string> {
  const lines = (await readFile(WIND, 'utf8')).split('\n').slice(0, rows + 1);
  edit?.(lines);
  return tempFile(dir, name, lines.join('\n'));
}

describe('station tables', () => {
  it('reads the Irish wind stations: 12 columns, 6574 days, evenly spaced, with coordinates', async () => {
    const t = await loadStationTable(WIND, { units: 'kn', locations: WIND_LOC });
    expect(t.columns).toEqual(['RPT', 'VAL', 'ROS', 'KIL', 'SHA', 'BIR', 'DUB', 'CLA', 'MUL', 'CLO', 'BEL', 'MAL']);
    expect(t.times).toHaveLength(6574);
    expect(t.stepMs).toBe(86_400_000);
    expect(t.units.every((u) => u === 'kn')).toBe(true);
    expect(t.values[1]![0]).toBe(14.96); // VAL on 1961-01-01
    expect(t.stations.VAL!.lat).toBeCloseTo(51 + 56 / 60, 6);
    expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the file and the column that is missing', async () => {
    const err = await failure(loadStationTable(WIND, { columns: ['VAL', 'GALWAY'] }));
    expect(err.message).toBe('wind_ireland.csv: column "GALWAY": not in the file (numeric columns: RPT, VAL, ROS, KIL, SHA, BIR, DUB, CLA, MUL, CLO, BEL, MAL)');
    expect(err.details).toMatchObject({ field: 'GALWAY' });
  });

  it('refuses a text column of a real file as a forecast input', async () => {
    const err = await failure(loadStationTable(SEATTLE, { columns: ['wind', 'weather'] }));
    expect(err.message).toBe('seattle-weather.csv: column "weather": not numeric (first value "drizzle"); a forecast needs numbers');
  });

  it('names the line and column of a non-numeric value', async () => {
    const path = await windSample('text.csv', 40, (l) => (l[20] = l[20]!.split(',').map((c, i) => (i === 3 ? 'calm' : c)).join(',')));
    const err = await failure(loadStationTable(path));
    expect(err.message).toBe('text.csv:21: "calm" in column "RPT" is not a number');
  });

  it('names the column and date of a missing value', async () => {
    const path = await windSample('gap.csv', 40, (l) => (l[10] = l[10]!.split(',').map((c, i) => (i === 4 ? 'NA' : c)).join(',')));
    const err = await failure(loadStationTable(path));
    expect(err.message).toMatch(/^gap\.csv: column "VAL": missing value at 1961-01-10 \(data row 10; 1 missing in all\)/);
    // NaN written out is missing too.
    const nan = await windSample('nan.csv', 40, (l) => (l[3] = l[3]!.replace(/,([\d.]+)$/, ',NaN')));
    expect((await failure(loadStationTable(nan))).message).toMatch(/column "MAL": missing value at 1961-01-03/);
  });

  it('refuses rows that are not evenly spaced', async () => {
    const path = await windSample('skip.csv', 40, (l) => l.splice(15, 1));
    const err = await failure(loadStationTable(path));
    expect(err.message).toMatch(/^skip\.csv: rows are not evenly spaced: 1961-01-14 to 1961-01-16 \(data rows 14 and 15\)/);
  });

  it('refuses a horizon longer than the series, naming the field and the file', async () => {
    const path = await windSample('short.csv', 30);
    const config = stationForecastSchema.parse({ kind: 'stations', data: { file: path, horizon: 40, splits: { train: [1961, 1961], validation: [1962, 1962], test: [1963, 1963] } } });
    const err = await failure(prepareStations(config));
    expect(err.message).toBe('horizon: lookback 3 + horizon 40 rows is longer than the series (30 rows in short.csv)');
    expect(err.details).toMatchObject({ field: 'horizon' });
  });

  it('prepares the real data with the default split by year, statistics from the training years', async () => {
    const p = await prepareStations(stationForecastSchema.parse({ kind: 'stations', data: { file: WIND, units: 'kn' } }));
    expect(p.config.data.splits).toEqual({ train: [1961, 1972], validation: [1973, 1975], test: [1976, 1978] });
    expect(p.sets.train.anchors.length).toBe(4383 - 3); // 12 years of days, less the first window's lookback and the horizon
    const rows = 4383;
    const val = p.table.values[1]!.subarray(0, rows);
    const mean = val.reduce((s, v) => s + v, 0) / rows;
    expect(p.norm.columns.VAL!.mean).toBeCloseTo(mean, 9);
    expect(p.sets.test.times[0]).toBe(Date.UTC(1976, 0, 4)); // lookback 3 from 1976-01-01, next day
  });
});

describe('gridded sequences', () => {
  let seq: GridSequence;
  beforeAll(async () => {
    seq = await loadGridSequence({ variables: STORM_VARIABLES });
  });

  it('reads the January 1996 storm: 64 frames of 36 x 33, the domain mask and the frames without data', () => {
    expect(seq.times).toHaveLength(64);
    expect(seq.stepMs).toBe(6 * 3_600_000);
    expect([seq.nx, seq.ny]).toEqual([36, 33]);
    expect(seq.mask.reduce((s, m) => s + m, 0)).toBe(1188 - 224);
    expect(seq.frameOk.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([17, 37]); // T and V at 17, V at 37 are all fill
    expect(seq.warnings.some((w) => /frame 17 \(1996-01-09T06:00:00Z\) lacks data in temperature, v/.test(w))).toBe(true);
  });

  it('holds out the last steps and drops samples that need a frame without data', () => {
    const s = gridSplits(seq, gridDataSchema.parse({ variables: STORM_VARIABLES }));
    // Anchors a need frames a-1, a, a+1; targets 52..63 test, 44..51 validation.
    expect([...s.test]).toEqual(Array.from({ length: 12 }, (_, i) => 51 + i));
    expect([...s.validation]).toEqual(Array.from({ length: 8 }, (_, i) => 43 + i));
    const expectedTrain = Array.from({ length: 42 }, (_, i) => i + 1).filter((a) => ![16, 17, 18, 36, 37, 38].includes(a));
    expect([...s.train]).toEqual(expectedTrain);
  });

  it('builds channels and targets as documented, statistics from training frames only', async () => {
    const data = gridDataSchema.parse({ variables: STORM_VARIABLES });
    const layout = gridLayout(seq, data, 2);
    expect([layout.rows, layout.cols]).toEqual([34, 36]);
    expect(layout.channels).toEqual([
      'temperature', 'temperature_step', 'pressure', 'pressure_step', 'u', 'u_step', 'v', 'v_step',
      'temperature_advection', 'pressure_advection', 'mask', 'row', 'col', 'hour_sin', 'hour_cos',
    ]);
    const splits = gridSplits(seq, data);
    const norm = gridNormalisation(seq, layout, splits.train);
    // Mean temperature over the masked cells of the frames training samples use: 0..43 but 17 and 37 (no data in some variable).
    const t = (await readNetcdfGrid(STORM('T'))).frames;
    let sum = 0;
    let n = 0;
    for (let f = 0; f <= 43; f++) {
      if (f === 17 || f === 37) continue;
      for (let k = 0; k < 1188; k++) {
        if (!seq.mask[k]) continue;
        sum += t[f]![k]!;
        n++;
      }
    }
    expect(norm.variables.temperature!.mean).toBeCloseTo(sum / n, 3);

    const set = buildGridSamples(seq, layout, norm, splits.test.subarray(0, 2));
    const C = layout.channels.length;
    const s = norm.variables.temperature!;
    const [r, c] = [20, 18]; // an interior cell with data
    const k = r * 36 + c;
    const a = 51;
    const at = (ch: number) => set.x[(r * layout.cols + c) * C + ch]!;
    expect(at(0)).toBeCloseTo((t[a]![k]! - s.mean) / s.std, 5);
    expect(at(1)).toBeCloseTo((t[a]![k]! - t[a - 1]![k]!) / s.step_std, 5);
    // Advection: -(u dT/dx + v dT/dy) over 6 h, centred differences in metres (dx shrinks with latitude).
    const u = seq.frames.u![a]![k]!;
    const v = seq.frames.v![a]![k]!;
    const lat = seq.georef.y0 - (r + 0.5) * seq.georef.dy;
    const dx = seq.georef.dx * 111_320 * Math.cos((lat * Math.PI) / 180);
    const dy = seq.georef.dy * 111_320;
    const ddx = (t[a]![k + 1]! - t[a]![k - 1]!) / (2 * dx);
    const ddy = (t[a]![k - 36]! - t[a]![k + 36]!) / (2 * dy);
    expect(at(8)).toBeCloseTo((-(u * ddx + v * ddy) * 21600) / s.change_std, 4);
    expect([at(10), at(13), at(14)]).toEqual([1, Math.fround(Math.sin(0)), 1]); // target 1996-01-18T00Z: hour 0
    expect(set.y[(r * layout.cols + c) * 2]).toBeCloseTo((t[a + 1]![k]! - t[a]![k]!) / s.change_std, 5);
    // Off the mask and in the padding: zeros, and no weight in the loss.
    const corner = (32 * layout.cols + 0) * C;
    expect([...set.x.subarray(corner, corner + C)].every((x) => x === 0)).toBe(true);
    const w = paddedMask(seq, layout);
    expect([w[0], w[32 * 36], w[33 * 36 + 5]]).toEqual([1, 0, 0]);

    // An output of 0 decodes to persistence exactly.
    const f = decodeGridForecasts(seq, layout, norm, set, new Float32Array(set.y.length));
    expect(f.model[0]![k]).toBe(t[a]![k]);
    expect(f.observed[1]![1188 + k]).toBe(seq.frames.pressure![a + 2]![k]);
    const cmp = compare(f.observed[0]!, f.model[0]!, f.persistence[0]!, { persistence: f.persistence[0]! }, finiteMask(f.observed[0]!));
    expect(cmp.model.n).toBe(2 * 964);
    expect(cmp.references.persistence!.skill).toBe(0);
  });

  it('names the variable and file that lack what a forecast needs', async () => {
    let err = await failure(loadGridSequence({ variables: { ...STORM_VARIABLES, temperature: { file: STORM('T'), variable: 'q' } } }));
    expect(err.message).toBe('variables.temperature: Tstorm.cdf: no variable "q" (gridded ones: t)');
    expect(err.details).toMatchObject({ field: 'variables.temperature' });
    err = await failure(loadGridSequence({ variables: { temperature: { file: STORM('T') }, rain: { file: shared('rain/florence_stageiv_hourly.nc') } } }));
    expect(err.message).toMatch(/^variables\.rain: florence_stageiv_hourly\.nc: variable "\w+" is on a curvilinear grid/);
    err = await failure(loadGridSequence({ variables: { height: { file: shared('terrain/volcano.json') } } }));
    expect(err.message).toBe('variables.height: volcano.json: variable "values" has no time axis with known units (a forecast needs a series of frames)');
    err = await failure(loadGridSequence({ variables: { pressure: { file: WIND } } }));
    expect(err.message).toBe('variables.pressure: wind_ireland.csv: a station-csv file, not a gridded field');
    err = await failure(loadGridSequence({ variables: { pressure: { file: shared('weather/storm_jan1996/none.cdf') } } }));
    expect(err.message).toMatch(/^variables\.pressure: none\.cdf: no such file/);
  });

  it('refuses targets that are not variables and a horizon longer than the series', () => {
    expect(() => gridLayout(seq, { targets: ['temperature', 'humidity'], horizon: 1 }, 1)).toThrow('targets[1]: "humidity" is not one of the variables (temperature, pressure, u, v)');
    expect(() => gridSplits(seq, gridDataSchema.parse({ variables: STORM_VARIABLES, horizon: 63 }))).toThrow('horizon: 2 input frames + horizon 63 is longer than the series (64 frames in Tstorm.cdf)');
    expect(() => gridSplits(seq, gridDataSchema.parse({ variables: STORM_VARIABLES, splits: { test_steps: 40, validation_steps: 30 } }))).toThrow(/^splits: no complete train sample/);
  });
});
