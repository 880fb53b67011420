/**
 * Monitoring a deployed station model (learn/monitor/): the detectors on
 * hand-made series, then the real Irish record split in time: a model
 * trained on 1961-1970 (validation 1971-1972, test 1973-1974) scores the
 * later years 1975-1978 as they are, and copies of them with a fault
 * injected at one station.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftEpisodes, rollingDrift } from '../../../../src/learn/monitor/drift';
import { DEFAULT_MONITOR, monitorTable, type MonitorReport } from '../../../../src/learn/monitor/monitor';
import { cusumOnset, episodesAbove, repeatedRuns, rollingMean } from '../../../../src/learn/monitor/rolling';
import { stationForecastSchema } from '../../../../src/learn/observations/config';
import { trainStationForecast } from '../../../../src/learn/observations/station-job';
import { loadStationTable, type StationTable } from '../../../../src/learn/observations/station-table';
import { loadForecast, type SavedForecast } from '../../../../src/learn/observations/store';
import { rowsIn } from '../../../../src/learn/observations/windows';
import { Rng } from '../../../../src/learn/rng';
import { tempDir, WIND } from './fixtures';

describe('monitor detectors', () => {
  it('rolling means, episodes above a threshold, repeated runs', () => {
    expect(Array.from(rollingMean([1, 2, 3, 4], 2))).toEqual([NaN, 1.5, 2.5, 3.5]);
    expect(episodesAbove([0, 2, 3, 1, 0, 5], 1.5)).toEqual([
      { start: 1, end: 3, peak: 2 },
      { start: 5, end: -1, peak: 5 },
    ]);
    expect(repeatedRuns([1, 2, 2, 2, 3, 3], 3)).toEqual([{ start: 1, length: 3, value: 2 }]);
    expect(repeatedRuns([4, 4, 4], 3)).toEqual([{ start: 0, length: 3, value: 4 }]);
  });

  it('CUSUM finds where a zero-mean series starts to rise', () => {
    const rng = new Rng(1);
    const x = Float64Array.from({ length: 200 }, (_, i) => rng.next() - 0.5 + (i >= 120 ? 1 : 0) - 0.5);
    expect(Math.abs(cusumOnset(x, 0, 199) - 120)).toBeLessThanOrEqual(3);
  });

  // Model errors ~ 0.7 of persistence's, as on the test years; then a stormy spell doubles both, then the model alone gets worse.
  const series = (n: number) => {
    const rng = new Rng(2);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    const observed = new Float64Array(n);
    const predicted = new Float64Array(n);
    const persistence = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const weather = i >= 100 && i < 200 ? 2 : 1;
      const worse = i >= 300 ? 2.5 : 1;
      observed[i] = 10;
      persistence[i] = 10 + weather * gauss();
      predicted[i] = 10 + 0.7 * weather * worse * gauss();
    }
    return { observed, predicted, persistence };
  };

  it('scales the expected error to the weather, flags the model getting worse, and dates it', () => {
    const s = series(400);
    const reference = { rmse: 0.7, persistenceRmse: 1 };
    const settings = { ...DEFAULT_MONITOR, window: 30 };
    const r = rollingDrift(s, reference, settings);
    // The stormy spell doubles the plain ratio but not the weather-adjusted one.
    expect(r.plainRatio[180]!).toBeGreaterThan(1.6);
    expect(r.ratio[180]!).toBeLessThan(1.4);
    const episodes = driftEpisodes(s, reference, r, settings);
    const real = episodes.at(-1)!;
    expect(real.flagged).toBeGreaterThanOrEqual(300);
    expect(real.flagged).toBeLessThan(320);
    expect(Math.abs(real.onset - 300)).toBeLessThanOrEqual(8);
    expect(real.cleared).toBe(-1);
    // Over 30 rows the ratio's own noise (sd ~0.2 here) crosses 1.5 now and then, briefly.
    for (const e of episodes.slice(0, -1)) expect(e.cleared - e.flagged).toBeLessThan(30);
  });
});

describe('monitoring the Irish wind model on later years', () => {
  let dir: string;
  let saved: SavedForecast & { kind: 'stations' };
  let later: StationTable;

  beforeAll(async () => {
    dir = await tempDir();
    const config = stationForecastSchema.parse({
      kind: 'stations',
      data: { file: WIND, units: 'kn', lookback: 3, splits: { train: [1961, 1970], validation: [1971, 1972], test: [1973, 1974] } },
      model: { kind: 'mlp' },
      training: { seed: 3 },
    });
    await trainStationForecast(config, { outDir: dir, terraVersion: 'test', backend: 'wasm' });
    const loaded = await loadForecast(dir);
    if (loaded.kind !== 'stations') throw new Error('not a station model');
    saved = loaded;
    const full = await loadStationTable(WIND, { units: 'kn' });
    const [s, e] = rowsIn(full.times, [1975, 1978]);
    later = { ...full, times: full.times.slice(s, e), values: full.values.map((v) => v.slice(s, e)) };
  }, 120_000);

  afterAll(async () => {
    saved?.model.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const monitor = async (table: StationTable, window = 30): Promise<MonitorReport> => (await monitorTable(tf, saved, dir, table, { ...DEFAULT_MONITOR, window }))!.report;
  /** A copy of the later years with `station` changed from `from` on. */
  const faulty = (station: string, from: number, fault: (value: number, last: number) => number): StationTable => {
    const c = later.columns.indexOf(station);
    const k0 = later.times.findIndex((t) => t >= from);
    const values = later.values.map((v) => v.slice());
    for (let k = k0; k < later.times.length; k++) values[c]![k] = fault(later.values[c]![k]!, later.values[c]![k0 - 1]!);
    return { ...later, values };
  };

  it('clean later years: only KIL is flagged, in late 1976, where its own record departs from its neighbours', async () => {
    const { report: r, series } = (await monitorTable(tf, saved, dir, later))!;
    expect(r.targets).toBe(1458);
    expect(r.warnings.filter((w) => !w.includes('two-digit years'))).toEqual([]);
    // Without the weather adjustment, stormy months would cross 1.5x nearly everywhere.
    const crossing = Object.values(series.stations).filter((s) => s.plainRatio.some((v) => v > 1.5)).length;
    expect(crossing).toBeGreaterThanOrEqual(10);
    const flagged = r.stations.filter((s) => s.episodes.length > 0);
    // KIL's monthly mean fell to 0.48 of its neighbours' in Nov-Dec 1976 (0.6-0.8 in other months of 1974-1978): real data, honestly flagged.
    expect(flagged.map((s) => s.name)).toEqual(['KIL']);
    for (const e of flagged[0]!.episodes) {
      expect(e.flagged >= '1976-07-01' && e.flagged <= '1977-01-31').toBe(true);
      expect(e.peak.ratio).toBeLessThan(2);
    }
    expect(r.stuck).toEqual([]);
    for (const s of r.stations.filter((x) => x.name !== 'KIL')) expect(s.max_ratio).toBeLessThan(1.5);
  });

  it('a stuck sensor at BIR from 1977-03-01: flagged at BIR within 45 days, ranked first, and reported stuck', async () => {
    const onset = Date.UTC(1977, 2, 1);
    const r = await monitor(faulty('BIR', onset, (_, last) => last));
    const bir = r.stations.find((s) => s.name === 'BIR')!;
    const episode = bir.episodes.find((e) => e.flagged >= '1977-03-01')!;
    expect((Date.parse(episode.flagged) - onset) / 86_400_000).toBeLessThanOrEqual(45);
    expect(Math.abs(Date.parse(episode.onset) - onset) / 86_400_000).toBeLessThanOrEqual(15);
    expect(bir.drifting_now).toBe(true);
    expect(r.stations.reduce((a, b) => (b.max_ratio > a.max_ratio ? b : a)).name).toBe('BIR');
    expect(r.stuck).toEqual([{ column: 'BIR', from: '1977-02-28', to: '1978-12-31', rows: 672, value: later.values[later.columns.indexOf('BIR')]![later.times.findIndex((t) => t >= onset) - 1] }]);
    expect(r.messages.at(-1)).toMatch(/stations \(BIR .*\) while the others hold: check the first one's instrument/);
    expect(r.retrain).toMatch(/^terra forecast stations COMBINED\.csv --units kn --model mlp --lookback 3 --horizon 1 /);
  });

  it('MAL reading 40% low from 1978-03-01: flagged at MAL within 60 days (errors shrink with the readings, so a scale fault shows slowly)', async () => {
    const onset = Date.UTC(1978, 2, 1);
    const r = await monitor(faulty('MAL', onset, (v) => v * 0.6));
    const mal = r.stations.find((s) => s.name === 'MAL')!;
    const episode = mal.episodes.find((e) => e.flagged >= '1978-03-01')!;
    expect((Date.parse(episode.flagged) - onset) / 86_400_000).toBeLessThanOrEqual(60);
    expect(episode.peak.bias).toBeGreaterThan(0); // the model expects the usual wind: it forecasts above the low readings
    expect(r.messages[0]).toMatch(/^MAL: drift since about 1978-/);
  });

  it('terra forecast monitor: a faulty CSV copy, JSON out, and clear errors', async () => {
    const terra = fileURLToPath(new URL('../../../../bin/terra.js', import.meta.url));
    const run = promisify(execFile);
    const lines = (await readFile(WIND, 'utf8')).trim().split('\n');
    const header = lines[0]!.split(',');
    const c = header.indexOf('BIR');
    const rows = lines.slice(1).filter((l) => Number(l.split(',')[0]) >= 75);
    const stuckRows = rows.map((l) => {
      const f = l.split(',');
      if (`${f[0]}-${f[1]!.padStart(2, '0')}` >= '77-03') f[c] = '4.25';
      return f.join(',');
    });
    const csv = join(dir, 'later-stuck.csv');
    await writeFile(csv, [lines[0], ...stuckRows].join('\n'));
    const out = await run(process.execPath, [terra, 'forecast', 'monitor', dir, csv, '--json', '--backend', 'wasm']);
    const report = JSON.parse(out.stdout) as MonitorReport;
    expect(report.drift).toBe(true);
    expect(report.stuck.map((s) => [s.column, s.from])).toEqual([['BIR', '1977-03-01']]);

    const fail = (args: string[]) =>
      run(process.execPath, [terra, 'forecast', 'monitor', ...args]).then(
        () => '',
        (e: { stderr: string }) => e.stderr.trim().split('\n').at(-1)!,
      );
    const noBir = join(dir, 'no-bir.csv');
    await writeFile(noBir, [lines[0]!.replace(',BIR', ',XXX'), ...rows].join('\n'));
    const short = join(dir, 'short.csv');
    await writeFile(short, [lines[0], ...rows.slice(0, 20)].join('\n'));
    expect(await fail([dir, noBir])).toBe('terra: INVALID_DATA: no-bir.csv: column "BIR": not in the file (numeric columns: RPT, VAL, ROS, KIL, SHA, XXX, DUB, CLA, MUL, CLO, BEL, MAL)');
    expect(await fail([dir, short])).toBe('terra: INVALID_DATA: short.csv: 20 rows give 17 forecasts (3 rows of history and 1 ahead each), fewer than the window of 30');
    expect(await fail([dir, csv, '--threshold', '0.9'])).toBe('terra: INVALID_PARAMS: threshold: 0.9: a ratio above 1 (1.5 flags an RMSE 50% above expectation)');
  }, 60_000);
});
