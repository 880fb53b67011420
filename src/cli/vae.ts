/**
 * `terra vae`: a convolutional VAE of field patches (learn/vae/).
 *
 *   terra vae train SOURCE --out MODEL [--latent 16] [--beta 1] [--patch 64]   SOURCE: a flood dataset folder or a DEM raster
 *   terra vae evaluate MODEL [--samples 256]                                     held-out reconstruction vs mean field and PCA; sample statistics
 *   terra vae sample MODEL -n 16 --out DIR                                       patches from the prior: samples.npy + one .asc each
 *   terra vae reconstruct MODEL [--scenario ID] --out DIR                        a whole field through the VAE, tile by tile
 *
 * Training prints the patches per split, the backend, a line per epoch,
 * then the held-out scores. Ctrl-C stops after the current batch and saves
 * nothing.
 */
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TerraError } from '../api/errors';
import { makeGeoref } from '../core/georef';
import { writeFileAtomic } from '../core/atomic-write';
import { writeEsriAscii } from '../io/esri-ascii';
import { writeGeoTiff } from '../io/geotiff-write';
import { encodeNpyFloat32 } from '../io/npy-write';
import { forwardProbe, selectBackend } from '../learn/backend/select';
import { parseVaeConfig, type VaeConfig } from '../learn/vae/config';
import type { VaeEvaluation } from '../learn/vae/evaluate';
import { disposeVae, evaluateSavedVae, reconstructField, sampleVae, trainVae, type VaeEvent } from '../learn/vae/job';
import { loadVae, VAE_FILE } from '../learn/vae/store';
import { abortOnInterrupt } from './interrupt';

export interface VaeTrainCliOptions {
  out: string;
  config?: string;
  patch?: number;
  stride?: number;
  latent?: number;
  beta?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  samples?: number;
  backend?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

async function readConfig(file: string | undefined): Promise<Record<string, unknown>> {
  if (!file) return {};
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('not a JSON object');
    return raw as Record<string, unknown>;
  } catch (err) {
    throw new TerraError('INVALID_PARAMS', `${file}: cannot read the VAE config (${(err as Error).message})`, { file });
  }
}

export async function runVaeTrain(source: string | undefined, opts: VaeTrainCliOptions, version: string): Promise<void> {
  const log = (line: string) => !opts.quiet && !opts.json && console.error(line);
  const base = await readConfig(opts.config);
  const data: Record<string, unknown> = { ...((base.data ?? {}) as object) };
  if (source) {
    const isDir = await stat(source).then(
      (s) => s.isDirectory(),
      () => {
        throw new TerraError('NOT_FOUND', `${source}: no such file or folder (a flood dataset folder or a DEM raster)`, { file: source, field: 'source' });
      },
    );
    delete data.dataset;
    delete data.file;
    Object.assign(data, isDir ? { kind: 'flood', dataset: source } : { kind: 'raster', file: source });
  }
  for (const [k, v] of Object.entries({ patch: opts.patch, stride: opts.stride })) if (v !== undefined) data[k] = v;
  const model = { ...((base.model ?? {}) as object), ...(opts.latent !== undefined ? { latent: opts.latent } : {}) };
  const training: Record<string, unknown> = { ...((base.training ?? {}) as object) };
  for (const [k, v] of Object.entries({ beta: opts.beta, epochs: opts.epochs, batch_size: opts.batchSize, learning_rate: opts.lr, seed: opts.seed })) if (v !== undefined) training[k] = v;
  const config = parseVaeConfig({ ...base, data, model, training }, opts.config);
  const out = resolve(opts.out);
  const there = await access(join(out, VAE_FILE)).then(
    () => true,
    () => false,
  );
  if (there && !opts.force) throw new TerraError('INVALID_PARAMS', `${out}: holds a model already (${VAE_FILE}); pass --force to replace it, or choose another --out`, { field: 'out' });
  const t = config.training;
  log(`VAE ${config.model.widths.join('/')} -> ${config.model.latent} latents, beta ${t.beta}, lr ${t.learning_rate}, up to ${t.epochs} epochs, batches of ${t.batch_size}, seed ${t.seed} -> ${out}`);
  const interrupt = abortOnInterrupt('Stopping after this batch: nothing will be saved', log);
  const onEvent = (e: VaeEvent) => {
    if (e.type === 'data') for (const line of e.lines) log(`  ${line}`);
    else if (e.type === 'backend') {
      log(`backend: ${e.report.backend} (tfjs ${e.report.tfjs})`);
      for (const note of e.report.notes) log(`  skipped ${note}`);
    } else if (e.type === 'epoch') {
      const r = e.record;
      log(`epoch ${r.epoch}/${e.epochs}: loss ${r.loss.toFixed(1)}, val ${r.val_loss.toFixed(1)} (reconstruction ${r.val_reconstruction.toFixed(1)} + KL ${r.val_kl.toFixed(1)})${e.improved ? ' *' : ''}, ${r.samples_per_s.toFixed(0)} patches/s, ${r.seconds.toFixed(1)} s`);
    } else if (e.type === 'early-stop') log(`early stop at epoch ${e.epoch}: best was epoch ${e.bestEpoch}`);
  };
  try {
    await mkdir(out, { recursive: true });
    const result = await trainVae(config, { outDir: out, terraVersion: version, backend: opts.backend, samples: opts.samples, signal: interrupt.signal, onEvent });
    if (result.status === 'cancelled') {
      log(`cancelled after ${result.epochs} epoch(s); nothing saved`);
      process.exitCode = 130;
      return;
    }
    if (opts.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    log(`${result.status} after ${result.epochs} epochs (${result.seconds.toFixed(0)} s), best epoch ${result.bestEpoch}; saved ${out}`);
    printEvaluation(result.evaluation!, config);
  } finally {
    interrupt.dispose();
  }
}

export async function runVaeEvaluate(modelDir: string, opts: { samples: number; seed: number; backend?: string; json?: boolean; out?: string }): Promise<void> {
  await selectBackend({ override: opts.backend, probe: forwardProbe });
  const saved = await loadVae(resolve(modelDir));
  try {
    const evaluation = await evaluateSavedVae(saved, opts.samples, opts.seed);
    const report = { model: resolve(modelDir), ...evaluation };
    if (opts.out) await writeFileAtomic(resolve(opts.out), `${JSON.stringify(report, null, 2)}\n`);
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else printEvaluation(evaluation, saved.meta.config);
  } finally {
    disposeVae(saved);
  }
}

export async function runVaeSample(modelDir: string, opts: { count: number; seed: number; out: string; backend?: string; quiet?: boolean }): Promise<void> {
  await selectBackend({ override: opts.backend, probe: forwardProbe });
  const saved = await loadVae(resolve(modelDir));
  try {
    const { patch: p } = saved.meta;
    const values = await sampleVae(saved, opts.count, opts.seed);
    const out = resolve(opts.out);
    await mkdir(out, { recursive: true });
    await writeFileAtomic(join(out, 'samples.npy'), encodeNpyFloat32(values, [opts.count, p, p]));
    // Samples belong to no place: a local grid in metres at the source's cell size.
    const cell = saved.meta.cell_m;
    const georef = makeGeoref({ nx: p, ny: p, x0: 0, y0: p * cell, dx: cell, dy: cell, crs: 'unknown' });
    const digits = String(opts.count - 1).length;
    for (let i = 0; i < opts.count; i++) await writeEsriAscii(join(out, `sample_${String(i).padStart(digits, '0')}.asc`), { data: values.subarray(i * p * p, (i + 1) * p * p), georef, units: 'm' });
    await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify({ model: resolve(modelDir), samples: opts.count, seed: opts.seed, patch: p, cell_m: cell, units: saved.meta.config.data.kind === 'flood' ? 'm of max depth' : 'm of relief' }, null, 2)}\n`);
    if (!opts.quiet) console.error(`${opts.count} samples of ${p} x ${p} cells -> ${out} (samples.npy, sample_*.asc)`);
  } finally {
    disposeVae(saved);
  }
}

export async function runVaeReconstruct(modelDir: string, opts: { scenario?: string; out: string; backend?: string; json?: boolean }): Promise<void> {
  await selectBackend({ override: opts.backend, probe: forwardProbe });
  const saved = await loadVae(resolve(modelDir));
  try {
    const r = await reconstructField(saved, opts.scenario);
    const out = resolve(opts.out);
    await mkdir(out, { recursive: true });
    const units = 'm';
    for (const [name, data] of [
      ['original', r.values],
      ['reconstruction', r.reconstruction],
    ] as const) {
      await writeEsriAscii(join(out, `${name}.asc`), { data, georef: r.source.georef, units });
      await writeGeoTiff(join(out, `${name}.tif`), { data, georef: r.source.georef, units });
    }
    const summary = { model: resolve(modelDir), field: r.id, tiles: r.tiles, units: r.source.units, ...r.scores };
    await writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (opts.json) console.log(JSON.stringify(summary, null, 2));
    else console.log(`${r.id}: ${r.tiles} tiles; RMSE ${r.scores.rmse.toFixed(3)} ${r.source.units}${r.scores.csi !== undefined ? `, CSI ${r.scores.csi.toFixed(3)}` : ''} -> ${out}`);
  } finally {
    disposeVae(saved);
  }
}

const f3 = (v: number | undefined) => (v === undefined ? '-' : Number.isFinite(v) ? v.toFixed(3) : String(v));

function printEvaluation(e: VaeEvaluation, config: VaeConfig): void {
  const r = e.reconstruction;
  const flood = config.data.kind === 'flood';
  console.log(`\nheld-out reconstruction (${e.patches} test patches, new ground; ${e.units}):`);
  console.log(`  ${''.padEnd(22)} ${'RMSE std'.padStart(9)} ${'RMSE'.padStart(9)}${flood ? ` ${'wet RMSE'.padStart(9)} ${'CSI'.padStart(6)}` : ''}`);
  for (const [name, s] of [[`VAE (${e.latent} latents)`, r.vae], [`PCA (${e.latent} components)`, r.pca], ['mean field', r.mean_field]] as const) {
    console.log(`  ${name.padEnd(22)} ${f3(s.rmse_standardised).padStart(9)} ${f3(s.rmse).padStart(9)}${flood ? ` ${f3(s.rmse_wet).padStart(9)} ${f3(s.csi).padStart(6)}` : ''}`);
  }
  console.log(`  (PCA's components hold ${(100 * e.pca_variance_share).toFixed(1)}% of the training patches' variance)`);
  const s = e.samples;
  console.log(`\n${s.n} samples from the prior (seed ${s.seed}) against the training patches:`);
  console.log(`  ${''.padEnd(10)} ${'p10'.padStart(8)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'p99'.padStart(8)} ${'rough'.padStart(8)} ${'r lag1'.padStart(7)} ${'r lag8'.padStart(7)} ${'W1'.padStart(8)}${flood ? ` ${'wet %'.padStart(6)}` : ''}`);
  for (const [name, st, w1] of [
    ['train', s.train, 0],
    ['test', s.test, s.w1.test],
    ['VAE', s.vae, s.w1.vae],
    ['PCA', s.pca, s.w1.pca],
  ] as const) {
    const ac = (lag: number) => f3(st.autocorrelation.find((a) => a.lag === lag)?.r);
    const v = st.values;
    console.log(
      `  ${name.padEnd(10)} ${f3(v.p10).padStart(8)} ${f3(v.p50).padStart(8)} ${f3(v.p90).padStart(8)} ${f3(v.p99).padStart(8)} ${f3(st.roughness).padStart(8)} ${ac(1).padStart(7)} ${ac(8).padStart(7)} ${f3(w1).padStart(8)}${flood ? ` ${(100 * (st.wet?.share.mean ?? NaN)).toFixed(1).padStart(6)}` : ''}`,
    );
  }
}
