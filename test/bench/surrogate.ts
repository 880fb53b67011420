/**
 * Max-depth surrogate benchmark on the Jacksboro sample site: builds the
 * rain-scenario ensemble with the fv solver (finished scenarios in the
 * dataset folder are reused), measures training throughput per tfjs
 * backend, trains the two surrogates (U-Net, per-cell MLP) on the best
 * backend, scores them and the response surface they refine on the held-out
 * test scenarios (CSI at 5 cm, wet-cell RMSE, ...) and times every test
 * scenario with the fv solver and with each surrogate, in this run.
 *
 *   npx tsx test/bench/surrogate.ts
 *   BENCH_QUICK=1        a 96 x 96 window, short storms, a few epochs (a smoke run)
 *   BENCH_DIR=dir        where the dataset and model go (default scratch/bench/surrogate[-quick])
 *   BENCH_BACKENDS=a,b   backends to measure throughput on (default all)
 *
 * Never a test: it prints what it measured, whatever it is.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_ORDER } from '../../src/compute/tfjs-backend';
import { activateBackend } from '../../src/learn/backend/activate';
import { describeFailure, forwardProbe, selectBackend } from '../../src/learn/backend/select';
import { buildDataset, cropRaster } from '../../src/learn/dataset/build';
import { rainFamilySchema } from '../../src/learn/dataset/family';
import { loadDataset } from '../../src/learn/dataset/load';
import { simulateMaxDepth } from '../../src/learn/dataset/simulate';
import { evaluateSurrogate, type Evaluation } from '../../src/learn/evaluate';
import { learnConfigSchema, type LearnConfig } from '../../src/learn/models/config';
import { Surrogate } from '../../src/learn/predict';
import { measureThroughput } from '../../src/learn/train/throughput';
import { train } from '../../src/learn/train/trainer';
import { SiteRegistry } from '../../src/sites/registry';

// WebGPU without a GPU: SwiftShader where Debian's chromium ships it (as vitest.config.ts does).
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const quick = process.env.BENCH_QUICK === '1';
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = resolve(process.env.BENCH_DIR ?? join(root, 'scratch', 'bench', quick ? 'surrogate-quick' : 'surrogate'));

/**
 * 15-45 min storms plus 15 min for the flood wave: 7-320 s of fv each on a
 * shared 2-core machine, ~40 min for the ensemble (longer storms cost more).
 */
const family = rainFamilySchema.parse(
  quick
    ? { scenarios: 8, seed: 7, intensity_mm_h: [30, 80], duration_min: [10, 20], tail_min: 5, crop: { row: 144, col: 272, rows: 128, cols: 128 } }
    : { scenarios: 24, seed: 7, intensity_mm_h: [15, 60], duration_min: [15, 45], tail_min: 15 },
);

/** The default networks (models/config.ts); quick mode trains a few epochs. */
const training = quick ? { epochs: 3, batches_per_epoch: 8 } : {};
const configs = [learnConfigSchema.parse({ model: { kind: 'unet' }, training }), learnConfigSchema.parse({ model: { kind: 'mlp' }, training })];
const describe = (c: LearnConfig) => (c.model.kind === 'unet' ? `U-Net ${c.model.widths.join('/')}` : `MLP ${c.model.hidden.join('/')}`);

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`Surrogate benchmark on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.versions.node}${quick ? ' (quick)' : ''}`);
  const dem = await new SiteRegistry(join(root, 'assets', 'sites')).readDem('jacksboro');

  // 1. The ensemble.
  console.log(`\n1. Ensemble: ${family.scenarios} scenarios, ${family.intensity_mm_h.join('-')} mm/h for ${family.duration_min.join('-')} min (+${family.tail_min} min), fv, open edges -> ${dir}/dataset`);
  let simulated = 0;
  const manifest = await buildDataset({
    dem,
    demSource: 'site:jacksboro',
    family,
    outDir: join(dir, 'dataset'),
    terraVersion: 'bench',
    onProgress: (p) => {
      if (p.fvWallS !== undefined) simulated++;
      if (p.reused || p.fvWallS !== undefined) console.log(`   ${p.scenario} ${p.reused ? 'reused' : `simulated in ${p.fvWallS!.toFixed(1)} s`}`);
    },
  });
  const fvTotal = manifest.scenarios.reduce((s, e) => s + e.fv_wall_s, 0);
  const { nx, ny } = manifest.source.georef;
  console.log(`   ${nx} x ${ny} cells; ${simulated} simulated now, ${manifest.scenarios.length - simulated} reused; fv time of the ensemble as recorded: ${(fvTotal / 60).toFixed(1)} min`);
  const dataset = await loadDataset(join(dir, 'dataset'));

  // 2. Training throughput per backend.
  const backends = process.env.BENCH_BACKENDS?.split(',') ?? [...BACKEND_ORDER];
  console.log(`\n2. Training throughput (batches of ${configs[0]!.training.batch_size} patches; the first batch, kernel set-up included, is timed apart)`);
  for (const name of BACKEND_ORDER.filter((b) => backends.includes(b))) {
    const problem = await activateBackend(name);
    if (problem) {
      console.log(`   ${name.padEnd(10)} not available: ${problem}`);
      continue;
    }
    const tf = await import('@tensorflow/tfjs');
    for (const config of configs) {
      const label = `${name.padEnd(10)} ${describe(config).padEnd(16)}`;
      try {
        const t = await measureThroughput(tf, dataset, config, quick ? 3 : 15, 20);
        console.log(
          `   ${label} ${fmt(t.samplesPerS, 2).padStart(8)} samples/s of ${t.patch}x${t.patch} (${(t.cellsPerS / 1e3).toFixed(1).padStart(6)} k cells/s) over ${t.batches} batches; first batch ${t.warmupS.toFixed(1)} s`,
        );
      } catch (err) {
        console.log(`   ${label} cannot train: ${describeFailure(err as Error)}`);
      }
    }
  }

  // 3. Training on the best backend, 4. held-out scores.
  const surrogates: { label: string; surrogate: Surrogate }[] = [];
  let inference = '';
  let baselineShown = false;
  for (const config of configs) {
    const modelDir = join(dir, `model-${config.model.kind}`);
    await rm(modelDir, { recursive: true, force: true });
    console.log(`\n3. Training ${describe(config)} -> ${modelDir}`);
    const result = await train({
      dataset,
      config,
      outDir: modelDir,
      terraVersion: 'bench',
      onEvent: (e) => {
        if (e.type === 'backend') console.log(`   backend ${e.report.backend}${e.report.notes.length ? ` (${e.report.notes.join('; ')})` : ''}`);
        if (e.type === 'epoch' && (e.improved || e.record.epoch % 5 === 0)) {
          const r = e.record;
          console.log(`   epoch ${String(r.epoch).padStart(3)}: loss ${fmt(r.loss, 4)}, val ${fmt(r.val_loss, 4)}${e.improved ? ' *' : '  '} ${fmt(r.samples_per_s, 1)} samples/s, ${r.seconds.toFixed(0)} s`);
        }
      },
    });
    console.log(`   ${result.status} after ${result.epochs} epochs (${(result.seconds / 60).toFixed(1)} min), best epoch ${result.bestEpoch}`);

    inference = (await selectBackend({ probe: forwardProbe })).backend;
    const surrogate = await Surrogate.load(modelDir);
    surrogates.push({ label: describe(config), surrogate });
    if (!baselineShown) {
      baselineShown = true;
      printScores('the response surface alone (no network)', await evaluateSurrogate(surrogate, dataset, 'test', 0.05, true));
    }
    printScores(`${describe(config)} (backend ${inference})`, await evaluateSurrogate(surrogate, dataset, 'test', 0.05));
  }

  // 5. Speed on each test scenario: the fv solver and the surrogates, measured now.
  const threads = family.solver.threads ?? Math.min(2, availableParallelism());
  const g = manifest.source.georef;
  const bed = Float64Array.from(family.crop ? cropRaster(dem, family.crop).data : dem.data);
  console.log(`\n5. Speed per test scenario: fv solver (${threads} thread(s)) against each surrogate (median of 5 predictions on ${inference}, after one warm-up)`);
  for (const s of dataset.scenarios.filter((e) => e.split === 'test')) {
    const fv = await simulateMaxDepth({ nx: g.nx, ny: g.ny, dx: g.dxMetres, dy: g.dyMetres, bed }, s, { scheme: family.solver.scheme, cfl: family.solver.cfl, manning: family.manning, threads });
    const parts = [`   ${s.id} (${fmt(s.intensity_mm_h, 1)} mm/h, ${fmt(s.duration_min, 1)} min): fv ${fv.wallS.toFixed(1)} s (${fv.steps} steps)`];
    for (const { label, surrogate } of surrogates) {
      await surrogate.predict(s);
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await surrogate.predict(s);
        times.push(performance.now() - t0);
      }
      const ms = times.sort((a, b) => a - b)[2]!;
      parts.push(`${label} ${ms.toFixed(0)} ms = ${((fv.wallS * 1000) / ms).toFixed(0)}x`);
    }
    console.log(parts.join('; '));
  }
  for (const { surrogate } of surrogates) surrogate.dispose();
  console.log(`\nTotal ${((performance.now() - started) / 60000).toFixed(1)} min (targets: CSI >= 0.9, wet RMSE <= 5 cm, >= 100x faster than fv)`);
}

function printScores(title: string, report: Evaluation): void {
  console.log(`\n4. Test scenarios (held out), threshold 5 cm: ${title}`);
  console.log('   scenario   mm/h    min    CSI    POD    FAR  wet RMSE cm  RMSE cm    NSE      r  skill');
  for (const s of report.scenarios) {
    console.log(
      `   ${s.id.padEnd(8)} ${fmt(s.intensity_mm_h, 1).padStart(6)} ${fmt(s.duration_min, 1).padStart(6)} ${fmt(s.csi).padStart(6)} ${fmt(s.pod).padStart(6)} ${fmt(s.far).padStart(6)} ` +
        `${fmt(s.rmse_wet_m * 100, 2).padStart(11)} ${fmt(s.rmse_m * 100, 2).padStart(8)} ${fmt(s.nse).padStart(6)} ${fmt(s.pearson).padStart(6)} ${fmt(s.skill_climatology).padStart(6)}`,
    );
  }
  const p = report.pooled;
  console.log(`   pooled: CSI ${fmt(p.csi)}, wet RMSE ${fmt(p.rmse_wet_m * 100, 2)} cm over ${p.wet_cells} cells, NSE ${fmt(p.nse)}, r ${fmt(p.pearson)}, skill vs climatology ${fmt(p.skill_climatology)}`);
}

await main();
