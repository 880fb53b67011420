/**
 * The VAE jobs: train (patches -> backend -> fit -> held-out evaluation ->
 * model folder), evaluate a saved model on its dataset again, sample from
 * it, and reconstruct a whole field of the dataset tile by tile.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { TerraError } from '../../api/errors';
import { selectBackend, type BackendReport } from '../backend/select';
import { Rng } from '../rng';
import type { VaeConfig, VaeData } from './config';
import { evaluateVae, reconstructionScores, type ReconstructionScores, type VaeEvaluation } from './evaluate';
import { buildVae, decodeLatents, encodeMeans, gaussian, vaeLoss, type Vae } from './model';
import { decodeValues, loadFieldPatches, readSource, transformPatch, type FieldPatches, type SourceFields } from './patches';
import { saveVae, vaeMeta, type SavedVae } from './store';
import { fitVae, type VaeFitEvent, type VaeFitResult } from './train';

export type VaeEvent = { type: 'data'; lines: string[] } | { type: 'backend'; report: BackendReport } | VaeFitEvent;

export interface VaeJobOptions {
  outDir?: string;
  terraVersion: string;
  backend?: string;
  /** Prior samples for the evaluation. */
  samples?: number;
  signal?: AbortSignal;
  onEvent?: (e: VaeEvent) => void;
}

export interface VaeJobResult {
  status: VaeFitResult['status'];
  epochs: number;
  bestEpoch: number;
  seconds: number;
  backend: string;
  patches: Record<'train' | 'validation' | 'test', number>;
  evaluation?: VaeEvaluation;
}

export function describePatches(p: FieldPatches, data: VaeData): string[] {
  const { bands, sets, patch, source } = p;
  const fields = (split: 'train' | 'validation' | 'test') => new Set(sets[split].origins.map((o) => o.field)).size;
  const what = data.kind === 'flood' ? `${data.dataset}: ${source.fields.length} max-depth fields` : `${data.file}: relief (each patch less its mean)`;
  const values = data.kind === 'flood' ? 'sqrt(max depth)' : 'relief';
  return [
    `${what}, ${source.nx} x ${source.ny} cells; ${patch} x ${patch} patches of ${values}, standardised (mean ${p.norm.mean.toFixed(3)}, sd ${p.norm.std.toFixed(3)})`,
    ...(['train', 'validation', 'test'] as const).map((s) => `${s}: columns ${bands[s][0]}-${bands[s][1] - 1}, ${fields(s)} field(s), ${sets[s].n} patches`),
  ];
}

/** Where the source lives, absolute, so a saved model finds it from anywhere. */
function resolveData(data: VaeData): VaeData {
  return data.kind === 'flood' ? { ...data, dataset: resolve(data.dataset) } : { ...data, file: resolve(data.file) };
}

export async function trainVae(config: VaeConfig, options: VaeJobOptions): Promise<VaeJobResult> {
  const tf = await import('@tensorflow/tfjs');
  const data = await loadFieldPatches(config.data);
  options.onEvent?.({ type: 'data', lines: describePatches(data, config.data) });
  const { patch } = data;
  const latent = config.model.latent;
  const probe = async () => {
    const vae = buildVae(tf, config.model, patch, 0);
    const optimiser = tf.train.adam(1e-6);
    const x = tf.zeros([1, patch, patch, 1]) as Tf.Tensor4D;
    const e = tf.zeros([1, latent]) as Tf.Tensor2D;
    try {
      const cost = optimiser.minimize(() => vaeLoss(tf, vae, x, e, 1, true).total, true);
      await cost!.data();
      cost!.dispose();
    } finally {
      tf.dispose([x, e]);
      optimiser.dispose();
      disposeVae(vae);
    }
  };
  const backend = await selectBackend({ override: options.backend, probe });
  options.onEvent?.({ type: 'backend', report: backend });
  const vae = buildVae(tf, config.model, patch, config.training.seed);
  try {
    const fit = await fitVae(tf, vae, { patch, latent, train: data.sets.train.x, validation: data.sets.validation.x }, config.training, { signal: options.signal, onEvent: options.onEvent });
    const patches = { train: data.sets.train.n, validation: data.sets.validation.n, test: data.sets.test.n };
    const result: VaeJobResult = { status: fit.status, epochs: fit.epochs, bestEpoch: fit.bestEpoch, seconds: fit.seconds, backend: backend.backend, patches };
    if (fit.status === 'cancelled' || fit.epochs === 0) return result;
    result.evaluation = await evaluateVae(tf, vae, { train: data.sets.train.x, test: data.sets.test.x }, config.data, latent, data.norm, {
      samples: options.samples ?? 256,
      seed: config.training.seed,
      units: data.source.units,
    });
    if (options.outDir) {
      const resolved: VaeConfig = { ...config, data: resolveData(config.data) };
      const fields = (split: 'train' | 'validation' | 'test') => [...new Set(data.sets[split].origins.map((o) => o.field))];
      await saveVae(options.outDir, vae, vaeMeta(resolved, data.norm, data.bands, data.source.georef.dxMetres, options.terraVersion), {
        provenance: {
          source: config.data.kind === 'flood' ? resolve(config.data.dataset) : resolve(config.data.file),
          ...(data.source.dataset ? { dem_sha256: data.source.dataset.manifest.source.dem_sha256 } : {}),
          splits: Object.fromEntries((['train', 'validation', 'test'] as const).map((s) => [s, { columns: data.bands[s], fields: fields(s), patches: patches[s] }])),
          normalisation: `mean and standard deviation of ${config.data.kind === 'flood' ? 'sqrt(max depth)' : 'relief'} over the training patches`,
          seed: config.training.seed,
          backend: backend.backend,
          backend_notes: backend.notes,
          tfjs: backend.tfjs,
          cpu_threads: availableParallelism(),
          terra_version: options.terraVersion,
          trained: new Date().toISOString(),
          training_seconds: fit.seconds,
        },
        metrics: { status: fit.status, epochs: fit.epochs, best_epoch: fit.bestEpoch, best_val_loss: fit.bestValLoss, history: fit.history, test: result.evaluation },
      });
    }
    return result;
  } finally {
    disposeVae(vae);
  }
}

export function disposeVae(vae: Vae): void {
  vae.encoder.dispose();
  vae.decoder.dispose();
}

/** Scores a saved VAE on its source's held-out patches again (the source must still be there). */
export async function evaluateSavedVae(saved: SavedVae, samples: number, seed: number): Promise<VaeEvaluation> {
  const tf = await import('@tensorflow/tfjs');
  const data = await loadFieldPatches(saved.meta.config.data, saved.meta.norm);
  return evaluateVae(tf, saved, { train: data.sets.train.x, test: data.sets.test.x }, saved.meta.config.data, saved.meta.latent, saved.meta.norm, { samples, seed, units: data.source.units });
}

/** Patches [n, patch, patch] in the field's units, decoded from latents drawn from the prior with `seed`. */
export async function sampleVae(saved: SavedVae, n: number, seed: number): Promise<Float32Array> {
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new TerraError('INVALID_PARAMS', `samples: ${n}: a whole number from 1 to 100000`, { field: 'samples' });
  const tf = await import('@tensorflow/tfjs');
  const { latent, patch, norm } = saved.meta;
  return decodeValues(saved.meta.config.data.kind, await decodeLatents(tf, saved, gaussian(new Rng(seed), n * latent), latent, patch), norm);
}

/**
 * A whole field of the source through the VAE, tile by tile: the grid is cut
 * into patch-size tiles (the last row and column of tiles flush with the
 * edge, overlapping the one before), each encoded to its posterior mean and
 * decoded; where tiles overlap, the later one wins. Relief comes back on
 * each tile's own mean (the model sees shape, not level). `field` names a
 * flood scenario; a raster source has one field.
 */
export async function reconstructField(
  saved: SavedVae,
  field?: string,
): Promise<{ source: SourceFields; id: string; values: Float32Array; reconstruction: Float32Array; scores: ReconstructionScores; tiles: number }> {
  const tf = await import('@tensorflow/tfjs');
  const { patch: p, norm, latent } = saved.meta;
  const data = saved.meta.config.data;
  const source = await readSource(data);
  const f = field === undefined && source.fields.length === 1 ? source.fields[0] : source.fields.find((x) => x.id === field);
  if (!f) throw new TerraError('INVALID_PARAMS', `scenario: ${field === undefined ? 'name one' : `"${field}" is not one`} of ${source.fields.map((x) => x.id).join(', ')}`, { field: 'scenario' });
  const { nx, ny } = source;
  if (nx < p || ny < p) throw new TerraError('INVALID_DATA', `a ${nx} x ${ny} grid is smaller than the model's ${p} x ${p} patches`, { field: 'grid' });
  const starts = (size: number) => {
    const out: number[] = [];
    for (let s = 0; s + p <= size; s += p) out.push(s);
    if (out.at(-1) !== size - p) out.push(size - p);
    return out;
  };
  const tiles = starts(ny).flatMap((r) => starts(nx).map((c) => [r, c] as const));
  const x = new Float32Array(tiles.length * p * p);
  const levels = new Float32Array(tiles.length);
  const cut = new Float32Array(p * p);
  tiles.forEach(([r0, c0], t) => {
    for (let i = 0; i < p; i++) cut.set(f.values.subarray((r0 + i) * nx + c0, (r0 + i) * nx + c0 + p), i * p);
    levels[t] = data.kind === 'raster' ? cut.reduce((a, b) => a + b, 0) / cut.length : 0;
    transformPatch(data.kind, cut).forEach((v, k) => (x[t * p * p + k] = (v - norm.mean) / norm.std));
  });
  const recon = await decodeLatents(tf, saved, await encodeMeans(tf, saved, x, p), latent, p);
  const encoded = new Float32Array(nx * ny);
  const decoded = new Float32Array(nx * ny);
  const rec = new Float32Array(nx * ny);
  tiles.forEach(([r0, c0], t) => {
    const back = decodeValues(data.kind, recon.subarray(t * p * p, (t + 1) * p * p), norm);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        const k = (r0 + i) * nx + c0 + j;
        encoded[k] = x[t * p * p + i * p + j]!;
        decoded[k] = recon[t * p * p + i * p + j]!;
        rec[k] = back[i * p + j]! + levels[t]!;
      }
    }
  });
  const scores = reconstructionScores(data.kind, encoded, decoded, norm, data.kind === 'flood' ? data.wet_depth_m : undefined);
  return { source, id: f.id, values: f.values, reconstruction: rec, scores, tiles: tiles.length };
}
