import { describe, expect, it } from 'vitest';
import { persistence } from '../../../../src/learn/metrics';
import { climatologyAt, climatologyForecast, fitClimatology } from '../../../../src/learn/observations/climatology';
import { compare } from '../../../../src/learn/observations/evaluate';
import type { StationTable } from '../../../../src/learn/observations/station-table';
import {
  buildWindows,
  checkSplits,
  decodeChanges,
  defaultSplits,
  rowsIn,
  stationNormalisation,
  windowAnchors,
  yearPhase,
  type StationSplits,
  type WindowLayout,
} from '../../../../src/learn/observations/windows';
import { tinyTable } from './fixtures';

const splits: StationSplits = { train: [2001, 2001], validation: [2002, 2002], test: [2003, 2003] };
const layout: WindowLayout = { lookback: 2, horizon: 1, inputs: ['A', 'B'], targets: ['A'], harmonics: true };

describe('station windows, splits and normalisation (hand-computed)', () => {
  const table = tinyTable();

  it('splits rows by calendar year and keeps only windows wholly inside a split', () => {
    expect(rowsIn(table.times, [2001, 2001])).toEqual([0, 5]);
    expect(rowsIn(table.times, [2002, 2003])).toEqual([5, 15]);
    // lookback 2, horizon 1: a window needs rows t-1, t and t+1 in its years.
    expect([...windowAnchors(table.times, splits.train, layout)]).toEqual([1, 2, 3]);
    expect([...windowAnchors(table.times, splits.validation, layout)]).toEqual([6, 7, 8]);
    expect([...windowAnchors(table.times, splits.test, layout)]).toEqual([11, 12, 13]);
    // Row 4 (inputs 2001, target 2002) belongs to no split: no value is both a training target and a later input.
    checkSplits(splits, table, layout);
  });

  it('takes the statistics from the training years alone', () => {
    const norm = stationNormalisation(table, splits.train);
    expect(norm.columns.A!.mean).toBeCloseTo(3, 12); // 1..5
    expect(norm.columns.A!.std).toBeCloseTo(Math.sqrt(2), 12); // population std of 1..5
    expect(norm.columns.B!.mean).toBeCloseTo(11, 12); // (1 + 4 + 9 + 16 + 25) / 5
    expect(norm.columns.B!.std).toBeCloseTo(Math.sqrt((100 + 49 + 4 + 25 + 196) / 5), 12);
  });

  it('lays out normalised inputs, day-of-year harmonics and the change to predict', () => {
    const norm = stationNormalisation(table, splits.train);
    const set = buildWindows(table, layout, norm, windowAnchors(table.times, splits.train, layout));
    const sA = Math.sqrt(2);
    const sB = norm.columns.B!.std;
    const p1 = (2 * Math.PI * 73) / 365.25;
    // Window 0: rows 0 and 1 -> row 2. Features per row: A, B, sin, cos.
    const expected = [(1 - 3) / sA, (1 - 11) / sB, 0, 1, (2 - 3) / sA, (4 - 11) / sB, Math.sin(p1), Math.cos(p1)];
    expect([...set.x.subarray(0, 8)].map((v, i) => v - expected[i]!).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    expect(set.x).toHaveLength(3 * 2 * 4);
    expect(set.y[0]).toBeCloseTo((3 - 2) / sA, 6);
    expect([...set.observed]).toEqual([3, 4, 5]);
    expect([...set.persistence]).toEqual([2, 3, 4]);
    expect(set.times[0]).toBe(table.times[2]);
    expect(yearPhase(table.times[1]!)).toBeCloseTo(p1, 12);
    // An output of 0 is persistence; of 1, one standard deviation up.
    expect([...decodeChanges(new Float32Array([0, 1, -1]), set, layout, norm)]).toEqual([2, 3 + sA, 4 - sA]);
  });

  it('has persistence equal to metrics/persistence at the horizon', () => {
    const horizon = { ...layout, horizon: 2, lookback: 1 };
    const norm = stationNormalisation(table, splits.train);
    const anchors = windowAnchors(table.times, [2001, 2003], horizon);
    const set = buildWindows(table, horizon, norm, anchors);
    const reference = persistence(table.values[0]!, 2);
    anchors.forEach((t, i) => expect(set.persistence[i]).toBe(reference[t + 2]));
    // Scored against itself, persistence has no skill over persistence.
    const c = compare(set.observed, set.persistence, set.persistence, { persistence: set.persistence });
    expect(c.references.persistence!.skill).toBe(0);
    expect(c.model.rmse).toBeCloseTo(2, 12); // A rises by 1 a row: every 2-row persistence error is 2
  });

  it('refuses overlapping or out-of-order splits, empty splits and a horizon longer than the series', () => {
    expect(() => checkSplits({ ...splits, validation: [2001, 2002] }, table, layout)).toThrow(/splits.validation: 2001-2002 must start after train 2001-2001/);
    expect(() => checkSplits({ ...splits, test: [2004, 2005] }, table, layout)).toThrow(/splits.test: 2004-2005 holds 0 rows of tiny.csv/);
    expect(() => checkSplits(splits, table, { ...layout, lookback: 5 })).toThrow(/splits.train: 2001-2001 holds 5 rows of tiny.csv, too few for one window of 5 \+ 1 rows/);
    expect(() => checkSplits(splits, table, { ...layout, horizon: 20 })).toThrow(/horizon: lookback 2 \+ horizon 20 rows is longer than the series \(15 rows in tiny.csv\)/);
  });

  it('splits by share of whole years by default', () => {
    const times = Float64Array.from({ length: 18 }, (_, i) => Date.UTC(1961 + i, 5, 1));
    expect(defaultSplits(times)).toEqual({ train: [1961, 1972], validation: [1973, 1975], test: [1976, 1978] });
    expect(() => defaultSplits(times.subarray(0, 2))).toThrow(/spans 2 calendar year/);
  });
});

describe('seasonal climatology', () => {
  it('recovers the harmonics of a series made of them, from the training years only', () => {
    const n = 4 * 365;
    const times = Float64Array.from({ length: n }, (_, i) => Date.UTC(2001, 0, 1) + i * 86_400_000);
    const truth = (t: number) => 5 + 2 * Math.cos(yearPhase(t)) - Math.sin(2 * yearPhase(t));
    const values = times.map(truth);
    // The test year is spoiled: a fit that read it would be off.
    for (let i = 3 * 365; i < n; i++) values[i] = 1000;
    const table: StationTable = { ...tinyTable(), times, stepMs: 86_400_000, columns: ['W'], values: [values] };
    const c = fitClimatology(table, ['W'], [2001, 2003]);
    const coef = c.coefficients.W!;
    [5, 2, 0, 0, -1].forEach((v, i) => expect(coef[i]).toBeCloseTo(v, 8));
    expect(climatologyAt(c, 'W', times[100]!)).toBeCloseTo(truth(times[100]!), 8);
    expect(climatologyForecast(c, ['W'], times.subarray(0, 3))[2]).toBeCloseTo(truth(times[2]!), 8);
  });
});
