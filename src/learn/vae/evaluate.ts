/**
 * How good a field VAE is, against the two baselines of the same size:
 *
 * - reconstruction of held-out patches (new ground) from the posterior
 *   mean, beside the training patches' mean field and a PCA of the training
 *   patches with as many components as latents (the best linear code of
 *   that size): RMSE of the standardised values (what the loss sees) and in
 *   the field's units; for depth also over cells wet in either field, and
 *   the CSI of the flood map;
 * - samples from the prior, beside samples of the Gaussian the PCA implies:
 *   field statistics (field-stats.ts) of each, of the training patches and
 *   of the test patches, and the 1-Wasserstein distance of their value
 *   distributions from the training patches' (the test patches' own
 *   distance gives the scale of "close").
 */
import type * as Tf from '@tensorflow/tfjs';
import { contingency, csi } from '../metrics';
import { Rng } from '../rng';
import { fieldStatistics, wasserstein1, type FieldStatistics } from './field-stats';
import { decodeLatents, encodeMeans, gaussian, type Vae } from './model';
import type { VaeData } from './config';
import { decodeValues, type PatchNormalisation } from './patches';
import { fitPca, pcaReconstruct, pcaSample } from './pca';

export interface ReconstructionScores {
  rmse_standardised: number;
  /** In the field's units (m of depth or relief). */
  rmse: number;
  /** Depth: over cells at or above the threshold in the data or the reconstruction, and CSI of the flood map. */
  rmse_wet?: number;
  csi?: number;
}

export interface VaeEvaluation {
  patches: number;
  latent: number;
  units: string;
  reconstruction: { vae: ReconstructionScores; pca: ReconstructionScores; mean_field: ReconstructionScores };
  pca_variance_share: number;
  samples: {
    n: number;
    seed: number;
    train: FieldStatistics;
    test: FieldStatistics;
    vae: FieldStatistics;
    pca: FieldStatistics;
    /** 1-Wasserstein distance (field units) of each set's value distribution from the training patches'. */
    w1: { test: number; vae: number; pca: number };
  };
}

export function reconstructionScores(kind: VaeData['kind'], data: Float32Array, recon: Float32Array, norm: PatchNormalisation, wetDepth?: number): ReconstructionScores {
  let s = 0;
  for (let i = 0; i < data.length; i++) s += (data[i]! - recon[i]!) ** 2;
  const d = decodeValues(kind, data, norm);
  const r = decodeValues(kind, recon, norm);
  let sm = 0;
  let sw = 0;
  let nw = 0;
  for (let i = 0; i < d.length; i++) {
    const e = (d[i]! - r[i]!) ** 2;
    sm += e;
    if (wetDepth !== undefined && (d[i]! >= wetDepth || r[i]! >= wetDepth)) {
      sw += e;
      nw++;
    }
  }
  const out: ReconstructionScores = { rmse_standardised: Math.sqrt(s / data.length), rmse: Math.sqrt(sm / d.length) };
  if (wetDepth !== undefined) {
    out.rmse_wet = Math.sqrt(sw / Math.max(1, nw));
    out.csi = csi(contingency(d, r, wetDepth));
  }
  return out;
}

export async function evaluateVae(
  tf: typeof Tf,
  vae: Vae,
  sets: { train: Float32Array; test: Float32Array },
  data: Pick<VaeData, 'kind' | 'patch'> & { wet_depth_m?: number },
  latent: number,
  norm: PatchNormalisation,
  options: { samples: number; seed: number; units: string },
): Promise<VaeEvaluation> {
  const { kind, patch } = data;
  const w = kind === 'flood' ? data.wet_depth_m : undefined;
  const d = patch * patch;
  const n = sets.test.length / d;
  const mu = await encodeMeans(tf, vae, sets.test, patch);
  const vaeRecon = await decodeLatents(tf, vae, mu, latent, patch);
  const pca = fitPca(tf, sets.train, d, latent, options.seed);
  const pcaRecon = pcaReconstruct(tf, pca, sets.test);
  const meanField = new Float32Array(sets.test.length);
  for (let i = 0; i < n; i++) meanField.set(pca.mean, i * d);
  let total = 0;
  const nTrain = sets.train.length / d;
  for (let j = 0; j < d; j++) {
    let v = 0;
    for (let i = 0; i < nTrain; i++) v += (sets.train[i * d + j]! - pca.mean[j]!) ** 2;
    total += v / Math.max(1, nTrain - 1);
  }
  const explained = pca.variances.reduce((a, b) => a + b, 0) / total;

  const rng = new Rng(options.seed);
  const z = gaussian(rng, options.samples * latent);
  const vaeSamples = decodeValues(kind, await decodeLatents(tf, vae, z, latent, patch), norm);
  const pcaSamples = decodeValues(kind, pcaSample(pca, options.samples, rng), norm);
  const train = decodeValues(kind, sets.train, norm);
  const test = decodeValues(kind, sets.test, norm);
  return {
    patches: n,
    latent,
    units: options.units,
    reconstruction: {
      vae: reconstructionScores(kind, sets.test, vaeRecon, norm, w),
      pca: reconstructionScores(kind, sets.test, pcaRecon, norm, w),
      mean_field: reconstructionScores(kind, sets.test, meanField, norm, w),
    },
    pca_variance_share: explained,
    samples: {
      n: options.samples,
      seed: options.seed,
      train: fieldStatistics(train, patch, w),
      test: fieldStatistics(test, patch, w),
      vae: fieldStatistics(vaeSamples, patch, w),
      pca: fieldStatistics(pcaSamples, patch, w),
      w1: { test: wasserstein1(test, train), vae: wasserstein1(vaeSamples, train), pca: wasserstein1(pcaSamples, train) },
    },
  };
}
