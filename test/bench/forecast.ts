/**
 * Observation forecast benchmark, in one run:
 *   1. training throughput (samples/s) of each network on each tfjs backend
 *   2. station forecasts (MLP, GRU) of next-day wind at the 12 Irish
 *      stations, held-out test years 1976-1978, against persistence and the
 *      training years' climatology
 *   3. the gridded 6-hour forecast (CNN) of temperature and pressure in the
 *      January 1996 storm, held-out last 12 steps, against persistence and
 *      the last step's trend
 * Networks and training use the defaults of learn/observations/config.ts
 * (what `terra forecast` trains) with the seed below.
 *
 *   npx tsx test/bench/forecast.ts
 *   BENCH_BACKENDS=a,b   backends to measure throughput on (default all)
 *   BENCH_SEED=n         seed of weights and batches (default 1)
 *
 * Never a test: it prints what it measured, whatever it is.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BACKEND_ORDER } from '../../src/compute/tfjs-backend';
import { activateBackend } from '../../src/learn/backend/activate';
import { describeFailure } from '../../src/learn/backend/select';
import { gridForecastSchema, stationForecastSchema, type GridForecastConfig, type StationForecastConfig } from '../../src/learn/observations/config';
import type { Comparison } from '../../src/learn/observations/evaluate';
import { gridFitData, prepareGrid, trainGridForecast } from '../../src/learn/observations/grid-job';
import { buildGridModel, buildStationModel, describeModel } from '../../src/learn/observations/models';
import { fitData, prepareStations, trainStationForecast } from '../../src/learn/observations/station-job';
import { featuresPerStep } from '../../src/learn/observations/windows';
import { measureFitThroughput } from '../../src/learn/train/fit';

// WebGPU without a GPU: SwiftShader where Debian's chromium ships it (as vitest.config.ts does).
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const data = (p: string) => fileURLToPath(new URL(`../../../shared/data/weather/${p}`, import.meta.url));
const seed = Number(process.env.BENCH_SEED ?? 1);
const station = (kind: 'mlp' | 'gru'): StationForecastConfig =>
  stationForecastSchema.parse({ kind: 'stations', data: { file: data('wind_ireland.csv'), locations: data('wind_ireland_loc.csv'), units: 'kn' }, model: { kind }, training: { seed } });
const storm = (v: string) => ({ file: data(`storm_jan1996/${v}storm.cdf`) });
const grid: GridForecastConfig = gridForecastSchema.parse({
  kind: 'grid',
  data: { variables: { temperature: { ...storm('T'), units: 'K' }, pressure: { ...storm('P'), units: 'Pa' }, u: { ...storm('U'), units: 'm/s' }, v: { ...storm('V'), units: 'm/s' } } },
  training: { seed },
});

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function row(label: string, c: Comparison, units: string): string {
  const refs = Object.entries(c.references)
    .map(([name, r]) => `${name} ${fmt(r.scores.rmse)} (RMSE ${pct(r.rmse_reduction)} lower, MSE skill ${fmt(r.skill)})`)
    .join('; ');
  return `   ${label.padEnd(12)} RMSE ${fmt(c.model.rmse)} ${units}, MAE ${fmt(c.model.mae)}, r ${fmt(c.model.pearson)}, r of change ${fmt(c.model.change_pearson)} | ${refs}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Forecast benchmark on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.versions.node}, seed ${seed}`);
  const configs = { mlp: station('mlp'), gru: station('gru') };
  const stations = await prepareStations(configs.mlp);
  const storms = await prepareGrid(grid);
  const stationData = fitData(stations);
  const gridData = gridFitData(storms);
  const features = featuresPerStep(stations.layout);

  // 1. Throughput per backend.
  const backends = process.env.BENCH_BACKENDS?.split(',') ?? [...BACKEND_ORDER];
  console.log('\n1. Training throughput (after one warm-up batch; up to 5 s or 2000 batches each)');
  const jobs = [
    { label: describeModel(configs.mlp.model), data: stationData, training: configs.mlp.training, build: (tf: typeof import('@tensorflow/tfjs')) => buildStationModel(tf, configs.mlp.model, stations.layout.lookback, features, stations.layout.targets.length, seed) },
    { label: describeModel(configs.gru.model), data: stationData, training: configs.gru.training, build: (tf: typeof import('@tensorflow/tfjs')) => buildStationModel(tf, configs.gru.model, stations.layout.lookback, features, stations.layout.targets.length, seed) },
    { label: describeModel(grid.model), data: gridData, training: grid.training, build: (tf: typeof import('@tensorflow/tfjs')) => buildGridModel(tf, grid.model, storms.layout.channels.length, storms.layout.targets.length, seed) },
  ];
  // webgpu last: SwiftShader's threads stay busy after its jobs and slowed the CPU backends measured after it.
  const order = [...BACKEND_ORDER.filter((b) => b !== 'webgpu'), 'webgpu' as const];
  for (const name of order.filter((b) => backends.includes(b))) {
    const problem = await activateBackend(name);
    if (problem) {
      console.log(`   ${name.padEnd(10)} not available: ${problem}`);
      continue;
    }
    const tf = await import('@tensorflow/tfjs');
    for (const job of jobs) {
      const label = `${name.padEnd(10)} ${job.label.padEnd(22)}`;
      const model = job.build(tf);
      try {
        const t = await measureFitThroughput(tf, model, job.data, job.training, 5, 2000);
        console.log(`   ${label} ${fmt(t.samplesPerS, 1).padStart(9)} samples/s (batches of ${t.batch}, ${t.batches} timed); first batch ${t.warmupS.toFixed(2)} s`);
      } catch (err) {
        console.log(`   ${label} cannot train: ${describeFailure(err as Error)}`);
      } finally {
        model.dispose();
      }
    }
  }

  // 2. Station forecasts, 3. the gridded forecast, on the backend a job chooses.
  const s = stations.config.data.splits!;
  console.log(`\n2. Next-day mean wind at 12 Irish stations: train ${s.train.join('-')}, validation ${s.validation.join('-')} (early stopping), test ${s.test.join('-')} (held out)`);
  for (const kind of ['mlp', 'gru'] as const) {
    const r = await trainStationForecast(configs[kind], { terraVersion: 'bench' });
    const t = r.test!;
    console.log(`   ${describeModel(configs[kind].model)}: ${r.status} after ${r.epochs} epochs (best ${r.bestEpoch}), ${r.seconds.toFixed(1)} s on ${r.backend}; ${t.samples} test windows`);
    console.log(row('pooled', t.pooled, 'kn'));
    const gains = Object.entries(t.stations).map(([n, c]) => [n, c.references.persistence!.rmse_reduction] as const);
    const worst = gains.reduce((a, b) => (b[1] < a[1] ? b : a));
    const best = gains.reduce((a, b) => (b[1] > a[1] ? b : a));
    console.log(`   per station, RMSE below persistence: ${pct(worst[1])} (${worst[0]}) to ${pct(best[1])} (${best[0]})`);
  }

  const g = await trainGridForecast(grid, { terraVersion: 'bench' });
  const gt = g.test!;
  console.log(`\n3. 6-hour forecast of the January 1996 storm, ${describeModel(grid.model)}: train ${g.samples.train}, validation ${g.samples.validation}, test ${g.samples.test} samples (targets ${gt.first_target} to ${gt.last_target}, held out)`);
  console.log(`   ${g.status} after ${g.epochs} epochs (best ${g.bestEpoch}), ${g.seconds.toFixed(1)} s on ${g.backend}`);
  for (const [name, c] of Object.entries(gt.targets)) console.log(row(name, c, gt.units[name] ?? ''));

  console.log(`\nTotal ${((performance.now() - started) / 60000).toFixed(1)} min (targets: station RMSE >= 10% below persistence; gridded T and P below persistence)`);
}

await main();
