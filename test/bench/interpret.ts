/**
 * Monitoring, interpretability and the field VAE, measured in one run:
 *
 *   1. drift monitoring of a station model trained on 1961-1970 (validation
 *      1971-1972, test 1973-1974), scoring the later years 1975-1978 as they
 *      are, then copies with a fault injected at each station from each of
 *      five dates: readings 40% low, or stuck at the last value
 *   2. permutation importance of that model: pooled, and the rank of each
 *      station's own last value in the forecast of that station
 *   3. saliency of the trained Jacksboro surrogates (scratch/bench/surrogate,
 *      from test/bench/surrogate.ts) at wet cells: where the gradient lies
 *   4. the VAE against PCA of the same size and the mean field, on the flood
 *      dataset's max-depth patches and on the Trinidad DEM's relief
 *
 *   npx tsx test/bench/interpret.ts
 *   BENCH_SEED=n          seed of weights, shuffles and samples (default 3)
 *   BENCH_VAE_EPOCHS=n    epochs of each VAE (default 8)
 *   BENCH_SKIP=a,b        parts to leave out: monitor, importance, saliency, vae
 *
 * Never a test: it prints what it measured, whatever it is.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../../src/learn/backend/activate';
import { stationImportance } from '../../src/learn/interpret/stations';
import { surrogateSaliency } from '../../src/learn/interpret/saliency';
import { loadModel } from '../../src/learn/models/store';
import { DEFAULT_MONITOR, monitorTable, type MonitorReport } from '../../src/learn/monitor/monitor';
import { stationForecastSchema } from '../../src/learn/observations/config';
import { trainStationForecast } from '../../src/learn/observations/station-job';
import { loadStationTable, type StationTable } from '../../src/learn/observations/station-table';
import { loadForecast, type SavedForecast } from '../../src/learn/observations/store';
import { rowsIn } from '../../src/learn/observations/windows';
import { Surrogate } from '../../src/learn/predict';
import { parseVaeConfig } from '../../src/learn/vae/config';
import type { VaeEvaluation } from '../../src/learn/vae/evaluate';
import { trainVae } from '../../src/learn/vae/job';

const root = fileURLToPath(new URL('../../', import.meta.url));
const data = (p: string) => fileURLToPath(new URL(`../../../shared/data/${p}`, import.meta.url));
const WIND = data('weather/wind_ireland.csv');
const SURROGATE = join(root, 'scratch', 'bench', 'surrogate');
const seed = Number(process.env.BENCH_SEED ?? 3);
const vaeEpochs = Number(process.env.BENCH_VAE_EPOCHS ?? 8);
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
const day = 86_400_000;
const quantile = (a: number[], q: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

async function stationModel(dir: string): Promise<SavedForecast & { kind: 'stations' }> {
  const config = stationForecastSchema.parse({
    kind: 'stations',
    data: { file: WIND, units: 'kn', lookback: 3, splits: { train: [1961, 1970], validation: [1971, 1972], test: [1973, 1974] } },
    model: { kind: 'mlp' },
    training: { seed },
  });
  const r = await trainStationForecast(config, { outDir: dir, terraVersion: 'bench', backend: 'wasm' });
  console.log(`   MLP 64/32 trained on 1961-1970 in ${r.seconds.toFixed(1)} s (${r.epochs} epochs, best ${r.bestEpoch}); test 1973-1974 RMSE ${f(r.test!.pooled.model.rmse, 3)} kn, persistence ${f(r.test!.pooled.references.persistence!.scores.rmse, 3)} kn`);
  return (await loadForecast(dir)) as SavedForecast & { kind: 'stations' };
}

async function monitoring(saved: SavedForecast & { kind: 'stations' }, dir: string): Promise<void> {
  const full = await loadStationTable(WIND, { units: 'kn' });
  const [s, e] = rowsIn(full.times, [1975, 1978]);
  const later: StationTable = { ...full, times: full.times.slice(s, e), values: full.values.map((v) => v.slice(s, e)) };
  const run = async (table: StationTable, window: number) => (await monitorTable(tf, saved, dir, table, { ...DEFAULT_MONITOR, window }))!;
  for (const window of [30, 60]) {
    const { report, series } = await run(later, window);
    const plain = Object.entries(series.stations).filter(([, r]) => r.plainRatio.some((v) => v > 1.5)).length;
    const flagged = report.stations.filter((x) => x.episodes.length);
    console.log(
      `   clean 1975-1978, window ${window}: flagged ${flagged.map((x) => `${x.name} (max ${f(x.max_ratio)}x, first ${x.episodes[0]!.flagged})`).join(', ') || 'none'}; ` +
        `highest elsewhere ${f(Math.max(...report.stations.filter((x) => !x.episodes.length).map((x) => x.max_ratio)))}x; ` +
        `without the weather adjustment ${plain} of 12 stations would cross 1.5x`,
    );
  }
  const onsets = [Date.UTC(1975, 8, 1), Date.UTC(1976, 2, 1), Date.UTC(1977, 2, 1), Date.UTC(1977, 8, 1), Date.UTC(1978, 2, 1)];
  const faults = { '40% low': (v: number) => v * 0.6, 'stuck at the last value': (_: number, last: number) => last } as const;
  for (const window of [30, 60]) {
    for (const [name, fault] of Object.entries(faults)) {
      const delays: number[] = [];
      let missed = 0;
      let first = 0;
      let others = 0;
      let stuck = 0;
      for (const station of full.columns) {
        const c = later.columns.indexOf(station);
        for (const onset of onsets) {
          const k0 = later.times.findIndex((t) => t >= onset);
          const values = later.values.map((v) => v.slice());
          for (let k = k0; k < later.times.length; k++) values[c]![k] = fault(later.values[c]![k]!, later.values[c]![k0 - 1]!);
          const r: MonitorReport = (await run({ ...later, values }, window)).report;
          const st = r.stations.find((x) => x.name === station)!;
          const ep = st.episodes.find((x) => Date.parse(x.flagged) >= onset);
          if (r.stuck.some((x) => x.column === station)) stuck++;
          if (!ep) {
            missed++;
            continue;
          }
          delays.push((Date.parse(ep.flagged) - onset) / day);
          if (r.stations.reduce((a, b) => (b.max_ratio > a.max_ratio ? b : a)).name === station) first++;
          others += r.stations.filter((x) => x.name !== station && x.episodes.some((y) => Date.parse(y.flagged) >= onset)).length;
        }
      }
      const n = full.columns.length * onsets.length;
      console.log(
        `   ${name.padEnd(23)} window ${window}: flagged ${n - missed}/${n}, days from onset median ${quantile(delays, 0.5)}, 90th pct ${quantile(delays, 0.9)}, max ${Math.max(...delays)}; ` +
          `the faulty station ranked first ${first}/${n - missed}; other stations flagged after onset ${f(others / n, 1)} per run; stuck check ${stuck}/${n}`,
      );
    }
  }
}

async function importance(saved: SavedForecast & { kind: 'stations' }): Promise<void> {
  const t0 = performance.now();
  const pooled = (await stationImportance(tf, saved, { split: 'test', repeats: 5, seed }))!;
  console.log(`   all targets, test 1973-1974 (RMSE ${f(pooled.baseline_rmse, 3)} kn), 5 shuffles each, ${((performance.now() - t0) / 1000).toFixed(1)} s:`);
  console.log(`     columns:  ${pooled.columns.slice(0, 8).map((c) => `${c.name} +${f(c.increase, 3)}`).join(', ')}; last: ${pooled.columns.at(-1)!.name} ${f(pooled.columns.at(-1)!.increase, 3)}`);
  console.log(`     stations: ${pooled.stations.slice(0, 6).map((c) => `${c.name} +${f(c.increase, 3)}`).join(', ')}`);
  const ranks: string[] = [];
  for (const target of saved.meta.layout.targets) {
    const r = (await stationImportance(tf, saved, { split: 'test', repeats: 3, seed, target }))!;
    ranks.push(`${target} ${r.columns.findIndex((c) => c.name === `${target} t-0`) + 1}`);
  }
  console.log(`   rank of a station's own last value (of 37 columns) in its own forecast: ${ranks.join(', ')}`);
}

async function saliency(): Promise<void> {
  for (const kind of ['unet', 'mlp']) {
    const dir = join(SURROGATE, `model-${kind}`);
    if (!existsSync(join(dir, 'terra-model.json'))) {
      console.log(`   ${kind}: no model in ${dir} (npx tsx test/bench/surrogate.ts trains it)`);
      continue;
    }
    const saved = await loadModel(dir);
    const scenario = { intensity_mm_h: 40, duration_min: 30 };
    const depth = await new Surrogate(tf, saved).predict(scenario);
    const { nx } = saved.meta.grid;
    const wet = Array.from(depth.keys())
      .filter((k) => depth[k]! >= 0.05)
      .sort((a, b) => depth[a]! - depth[b]!);
    const rows: string[] = [];
    const times: number[] = [];
    const sums = { near: 0, nearCells: 0, higher: 0, higherExp: 0, up: 0, upExp: 0, self: 0, n: 0 };
    for (let i = 0; i < 8; i++) {
      const k = wet[Math.floor(((i + 0.5) / 8) * wet.length)]!;
      const t0 = performance.now();
      const r = surrogateSaliency(tf, saved, scenario, { row: Math.floor(k / nx), col: k % nx, radius: 0 });
      times.push(performance.now() - t0);
      const w8 = r.terrain.within.find((w) => w.cells === 8)!;
      const self = r.all.within.find((w) => w.cells === 0)!.saliency_share;
      sums.near += w8.saliency_share;
      sums.nearCells += w8.cell_share;
      sums.higher += r.terrain.higher?.saliency_share ?? NaN;
      sums.higherExp += r.terrain.higher?.expected_share ?? NaN;
      sums.up += r.terrain.upstream?.saliency_share ?? NaN;
      sums.upExp += r.terrain.upstream?.expected_share ?? NaN;
      sums.self += self;
      sums.n++;
      rows.push(`${Math.floor(k / nx)},${k % nx} (${f(depth[k]!)} m): support ${r.all.support.cells} cells to ${r.all.support.max_distance}, terrain within 8 ${pct(w8.saliency_share)} on ${pct(w8.cell_share)} of the cells`);
    }
    const n = sums.n;
    console.log(`   ${kind}, 40 mm/h for 30 min, 8 wet cells (depth deciles); gradient ${f(quantile(times, 0.5) / 1000, 1)} s median on ${tf.getBackend()}:`);
    for (const r of rows) console.log(`     ${r}`);
    console.log(
      `     mean: the cell itself holds ${pct(sums.self / n)} of all channels' saliency (the baseline reaches it directly); terrain saliency within 8 cells ${pct(sums.near / n)} (those cells ${pct(sums.nearCells / n)} of the support); ` +
        `on higher ground ${pct(sums.higher / n)} (by distance alone ${pct(sums.higherExp / n)}), in the D8 catchment ${pct(sums.up / n)} (by distance alone ${pct(sums.upExp / n)})`,
    );
    saved.model.dispose();
  }
}

function printVae(label: string, e: VaeEvaluation, seconds: number, epochs: number): void {
  const r = e.reconstruction;
  const row = (name: string, s: VaeEvaluation['reconstruction']['vae']) =>
    `${name} ${f(s.rmse, 3)}${s.csi !== undefined ? ` (wet ${f(s.rmse_wet!, 3)}, CSI ${f(s.csi, 3)})` : ''}`;
  console.log(`   ${label}: ${epochs} epochs in ${seconds.toFixed(0)} s; held-out RMSE (${e.units}, ${e.patches} patches): ${row('VAE', r.vae)}, ${row(`PCA-${e.latent}`, r.pca)}, ${row('mean field', r.mean_field)}; PCA holds ${pct(e.pca_variance_share)} of the variance`);
  const s = e.samples;
  const line = (name: string, st: VaeEvaluation['samples']['vae'], w1?: number) =>
    `     ${name.padEnd(6)} p10 ${f(st.values.p10)} p50 ${f(st.values.p50)} p90 ${f(st.values.p90)} p99 ${f(st.values.p99)}, roughness ${f(st.roughness, 3)}, r lag 1/4/16 ${st.autocorrelation
      .filter((a) => [1, 4, 16].includes(a.lag))
      .map((a) => f(a.r))
      .join('/')}${st.wet ? `, wet ${pct(st.wet.share.mean)}` : ''}${w1 !== undefined ? `, W1 from train ${f(w1, 3)}` : ''}`;
  console.log(line('train', s.train));
  console.log(line('test', s.test, s.w1.test));
  console.log(line('VAE', s.vae, s.w1.vae));
  console.log(line('PCA', s.pca, s.w1.pca));
}

async function vaes(): Promise<void> {
  const dataset = join(SURROGATE, 'dataset');
  const sources = [
    existsSync(join(dataset, 'manifest.json')) ? { label: 'flood max depth (Jacksboro ensemble)', data: { kind: 'flood', dataset, stride: 32 } } : null,
    { label: 'terrain relief (Trinidad DEM)', data: { kind: 'raster', file: data('terrain/trinidad_colorado_3arcsec_feet.nc'), stride: 32 } },
  ];
  for (const source of sources) {
    if (!source) {
      console.log(`   flood: no dataset in ${dataset} (npx tsx test/bench/surrogate.ts builds it)`);
      continue;
    }
    const config = parseVaeConfig({ data: source.data, model: { latent: 16 }, training: { beta: 0.01, epochs: vaeEpochs, seed } });
    let lines: string[] = [];
    const r = await trainVae(config, { terraVersion: 'bench', backend: 'wasm', samples: 256, onEvent: (e) => e.type === 'data' && (lines = e.lines) });
    console.log(`   ${lines.join('; ')}`);
    printVae(source.label, r.evaluation!, r.seconds, r.epochs);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Interpretability bench on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.versions.node}, seed ${seed}`);
  await activateBackend('wasm');
  const dir = await mkdtemp(join(tmpdir(), 'terra-bench-interpret-'));
  try {
    let saved: (SavedForecast & { kind: 'stations' }) | undefined;
    if (!skip.has('monitor') || !skip.has('importance')) {
      console.log('\n1. Drift monitoring of next-day wind at 12 Irish stations (window of 30 or 60 days, threshold 1.5x)');
      saved = await stationModel(dir);
      if (!skip.has('monitor')) await monitoring(saved!, dir);
    }
    if (saved && !skip.has('importance')) {
      console.log('\n2. Permutation importance (increase of held-out RMSE, kn)');
      await importance(saved);
    }
    saved?.model.dispose();
    if (!skip.has('saliency')) {
      console.log('\n3. Saliency of the Jacksboro surrogates (gradient of the max depth at a cell)');
      await saliency();
    }
    if (!skip.has('vae')) {
      console.log(`\n4. VAE (16 latents, beta 0.01) against PCA with 16 components and the mean field; 64 x 64 patches, east 20% of the columns held out`);
      await vaes();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nTotal ${((performance.now() - started) / 60000).toFixed(1)} min`);
}

await main();
