/**
 * Real-data training, one test per network kind: small networks, few
 * epochs, fixed seeds. Each must beat persistence on the held-out test
 * period (its RMSE at least 10% lower) with statistics from the training
 * split only.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gridForecastSchema, stationForecastSchema } from '../../../../src/learn/observations/config';
import { evaluateSavedGrid, trainGridForecast } from '../../../../src/learn/observations/grid-job';
import { evaluateSavedStations, trainStationForecast } from '../../../../src/learn/observations/station-job';
import { loadForecast } from '../../../../src/learn/observations/store';
import type { ForecastEvent } from '../../../../src/learn/observations/job';
import { STORM_VARIABLES, tempDir, WIND, WIND_LOC } from './fixtures';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const outDir = async () => {
  const d = await tempDir();
  dirs.push(d);
  return d;
};

const stations = (model: object, training: object = {}) =>
  stationForecastSchema.parse({ kind: 'stations', data: { file: WIND, locations: WIND_LOC, units: 'kn', lookback: 3 }, model, training: { seed: 7, ...training } });
const options = (out?: string, onEvent?: (e: ForecastEvent) => void) => ({ outDir: out, terraVersion: 'test', backend: 'wasm', onEvent });

describe('station forecasts on the Irish wind data (held-out test years 1976-1978)', () => {
  it('MLP: next-day wind at 12 stations, RMSE >= 10% below persistence; the saved folder reloads to the same scores', async () => {
    const out = await outDir();
    const events: ForecastEvent[] = [];
    const r = await trainStationForecast(stations({ kind: 'mlp', hidden: [32] }, { epochs: 8 }), options(out, (e) => events.push(e)));
    expect(r.backend).toBe('wasm');
    expect(events.some((e) => e.type === 'epoch' && e.record.samples_per_s > 0)).toBe(true);
    const test = r.test!;
    expect(test.years).toEqual([1976, 1978]);
    const p = test.pooled;
    expect(p.references.persistence!.rmse_reduction).toBeGreaterThanOrEqual(0.1);
    expect(p.references.climatology!.rmse_reduction).toBeGreaterThan(0.05);
    expect(p.model.pearson).toBeGreaterThan(0.65);
    for (const s of Object.values(test.stations)) expect(s.references.persistence!.rmse_reduction).toBeGreaterThan(0.05);

    expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'normalisation.json', 'provenance.json', 'terra-forecast.json', 'weights.bin']);
    const provenance = JSON.parse(await readFile(join(out, 'provenance.json'), 'utf8'));
    expect(provenance.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(provenance.splits.test).toMatchObject({ years: [1976, 1978], windows: test.samples });
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.history).toHaveLength(r.epochs);
    const saved = await loadForecast(out);
    expect(saved.kind).toBe('stations');
    if (saved.kind !== 'stations') return;
    const again = await evaluateSavedStations(saved, 'test');
    expect(again.evaluation.pooled.model.rmse).toBeCloseTo(p.model.rmse, 6);
    expect(again.sha256).toBe(provenance.data.sha256);
    saved.model.dispose();
  });

  it('GRU: the same forecast from a recurrent network, RMSE >= 10% below persistence', async () => {
    const r = await trainStationForecast(stations({ kind: 'gru', units: 16 }, { epochs: 8, batch_size: 128, learning_rate: 4e-3 }), options());
    expect(r.test!.pooled.references.persistence!.rmse_reduction).toBeGreaterThanOrEqual(0.1);
    expect(r.validation!.pooled.references.persistence!.rmse_reduction).toBeGreaterThanOrEqual(0.1);
  });

  it('cancels on the signal and saves nothing', async () => {
    const out = await outDir();
    const controller = new AbortController();
    const r = await trainStationForecast(stations({ kind: 'mlp', hidden: [8] }), {
      ...options(out),
      signal: controller.signal,
      onEvent: (e) => e.type === 'batch' && controller.abort(),
    });
    expect(r.status).toBe('cancelled');
    expect(r.test).toBeUndefined();
    expect(await readdir(out)).toEqual([]);
  });
});

describe('gridded 6-hour forecast of the January 1996 storm (held-out last 12 steps)', () => {
  it('CNN: temperature and pressure tendencies beat persistence; the saved folder reloads to the same scores', async () => {
    const out = await outDir();
    const config = gridForecastSchema.parse({ kind: 'grid', data: { variables: STORM_VARIABLES }, model: { kind: 'cnn', widths: [16, 16] }, training: { epochs: 12, seed: 7 } });
    const r = await trainGridForecast(config, options(out));
    expect(r.samples).toEqual({ train: 36, validation: 8, test: 12 });
    for (const name of ['temperature', 'pressure']) {
      const c = r.test!.targets[name]!;
      expect(c.model.rmse).toBeLessThan(c.references.persistence!.scores.rmse);
      expect(c.references.persistence!.rmse_reduction).toBeGreaterThan(0.1);
      expect(c.model.change_pearson).toBeGreaterThan(0.4);
    }
    const saved = await loadForecast(out);
    if (saved.kind !== 'grid') throw new Error('not a grid model');
    const again = await evaluateSavedGrid(saved, 'test');
    expect(again.evaluation.targets.pressure!.model.rmse).toBeCloseTo(r.test!.targets.pressure!.model.rmse, 3);
    saved.model.dispose();
  });
});
