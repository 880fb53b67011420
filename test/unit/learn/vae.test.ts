/**
 * The field VAE (learn/vae/): patches and their symmetries, the loss
 * against a hand computation, the PCA baseline on data of known rank, the
 * field statistics, then short real-data runs on the Jacksboro DEM's relief
 * (held-out columns at the east end), a flood-dataset run on the synthetic
 * valley, the model folder, cancel, and the CLI.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../../src/learn/backend/activate';
import { Rng } from '../../../src/learn/rng';
import { parseVaeConfig } from '../../../src/learn/vae/config';
import { fieldStatistics, wasserstein1 } from '../../../src/learn/vae/field-stats';
import { disposeVae, reconstructField, sampleVae, trainVae, type VaeJobResult } from '../../../src/learn/vae/job';
import { buildVae, gaussian, vaeLoss } from '../../../src/learn/vae/model';
import { columnBands, corners, decodeValues, symmetry, transformPatch } from '../../../src/learn/vae/patches';
import { fitPca, pcaReconstruct } from '../../../src/learn/vae/pca';
import { loadVae } from '../../../src/learn/vae/store';
import { tempDir, writeSyntheticDataset } from './fixtures';
import { shared } from './observations/fixtures';

const JACKSBORO = shared('terrain/jacksboro_fault_dem.npz');
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const newDir = async () => {
  const d = await tempDir();
  dirs.push(d);
  return d;
};

describe('VAE patches and config', () => {
  it('cuts columns into bands west to east and patch corners flush with the end', () => {
    expect(columnBands(100, { patch: 16, test_share: 0.2, validation_share: 0.2 })).toEqual({ train: [0, 60], validation: [60, 80], test: [80, 100] });
    expect(() => columnBands(60, { patch: 16, test_share: 0.2, validation_share: 0.2 })).toThrow('data.validation_share: the validation band is 12 columns of the 60, narrower than a patch of 16');
    expect(corners(0, 50, 16, 16)).toEqual([0, 16, 32, 34]);
    expect(corners(10, 26, 16, 4)).toEqual([10]);
  });

  it('has 8 distinct symmetries of the square, each undone by its inverse', () => {
    const p = 3;
    const src = Float32Array.from({ length: 9 }, (_, i) => i);
    const seen = new Set<string>();
    for (let t = 0; t < 8; t++) {
      const out = new Float32Array(9);
      symmetry(src, p, t, out);
      seen.add(out.join());
      expect([...out].sort((a, b) => a - b)).toEqual([...src]);
    }
    expect(seen.size).toBe(8);
    const once = new Float32Array(9);
    symmetry(src, p, 4, once); // transpose is its own inverse
    const twice = new Float32Array(9);
    symmetry(once, p, 4, twice);
    expect([...twice]).toEqual([...src]);
  });

  it('transforms depth to its square root and terrain to relief, and back', () => {
    expect([...transformPatch('flood', Float32Array.from([0, 4, 9]))]).toEqual([0, 2, 3]);
    expect([...transformPatch('raster', Float32Array.from([10, 11, 12]))]).toEqual([-1, 0, 1]);
    const norm = { mean: 1, std: 2 };
    expect([...decodeValues('flood', Float32Array.from([-1, 0, 1]), norm)]).toEqual([0, 1, 9]); // sqrt -1 is dry
    expect([...decodeValues('raster', Float32Array.from([-1, 0, 1]), norm)]).toEqual([-1, 1, 3]);
  });

  it('names the field of a bad config', () => {
    expect(() => parseVaeConfig({ data: { kind: 'raster', file: 'x.tif', patch: 20 } })).toThrow('data.patch: 20 is not a multiple of 8 (2^levels, model.widths has 3)');
    expect(() => parseVaeConfig({ data: { kind: 'flood', dataset: 'd', test_share: 0.45, validation_share: 0.4 } })).toThrow('data.validation_share: test_share + validation_share must leave a training band');
    expect(() => parseVaeConfig({ data: { kind: 'raster', file: 'x' }, training: { beta: -1 } })).toThrow(/^training\.beta: /);
  });
});

describe('VAE pieces', () => {
  it('the loss is the Gaussian reconstruction term plus beta times the KL of the posterior, with z = mu + sigma * eps', async () => {
    await activateBackend('cpu');
    const config = parseVaeConfig({ data: { kind: 'raster', file: 'x', patch: 8 }, model: { latent: 3, widths: [2, 3] } });
    const vae = buildVae(tf, config.model, 8, 5);
    // Make the posterior spread visible: the log-variance head's weights are tiny at the start.
    const head = vae.encoder.getLayer('logvar');
    head.setWeights(head.getWeights().map((w) => w.add(0.3)));
    const rng = new Rng(2);
    const x = gaussian(rng, 2 * 64);
    const eps = gaussian(rng, 2 * 3);
    const beta = 0.7;
    const got = tf.tidy(() => {
      const l = vaeLoss(tf, vae, tf.tensor4d(x, [2, 8, 8, 1]), tf.tensor2d(eps, [2, 3]), beta, false);
      return [l.reconstruction, l.kl, l.total].map((t) => t.dataSync()[0]!);
    });
    const [mu, logvar] = (vae.encoder.predict(tf.tensor4d(x, [2, 8, 8, 1])) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array);
    const z = Float32Array.from(mu!, (m, i) => m + Math.exp(logvar![i]! / 2) * eps[i]!);
    const xHat = (vae.decoder.predict(tf.tensor2d(z, [2, 3])) as tf.Tensor).dataSync() as Float32Array;
    const rec = x.reduce((s, v, i) => s + (v - xHat[i]!) ** 2, 0) / 2 / 2;
    const kl = mu!.reduce((s, m, i) => s + (m * m + Math.exp(logvar![i]!) - 1 - logvar![i]!), 0) / 2 / 2;
    expect(kl).toBeGreaterThan(0.01);
    const close = (a: number, b: number) => expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-5);
    close(got[0]!, rec);
    close(got[1]!, kl);
    close(got[2]!, rec + beta * kl);
    disposeVae(vae);
  });

  it('PCA recovers data of rank 3: its variances, an orthonormal basis and a reconstruction at the noise level', async () => {
    await activateBackend('cpu');
    const rng = new Rng(4);
    const d = 50;
    const n = 300;
    const basis = gaussian(rng, 3 * d);
    const x = new Float32Array(n * d);
    const scales = [5, 3, 1];
    for (let i = 0; i < n; i++) {
      const a = gaussian(rng, 3);
      for (let j = 0; j < d; j++) x[i * d + j] = 2 + scales.reduce((s, sc, c) => s + sc * a[c]! * basis[c * d + j]!, 0) + 0.01 * gaussian(rng, 1)[0]!;
    }
    const pca = fitPca(tf, x, d, 3, 1);
    const dot = (a: number, b: number) => pca.components.subarray(a * d, (a + 1) * d).reduce((s, v, j) => s + v * pca.components[b * d + j]!, 0);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(dot(a, b)).toBeCloseTo(a === b ? 1 : 0, 4);
    expect(pca.variances[0]).toBeGreaterThan(pca.variances[1]!);
    expect(pca.variances[1]).toBeGreaterThan(pca.variances[2]!);
    const recon = pcaReconstruct(tf, pca, x);
    const rmse = Math.sqrt(x.reduce((s, v, i) => s + (v - recon[i]!) ** 2, 0) / x.length);
    expect(rmse).toBeLessThan(0.012);
  });

  it('field statistics: a checkerboard is rough and anticorrelated at lag 1; W1 of a shift is the shift', () => {
    const p = 8;
    const board = Float32Array.from({ length: p * p }, (_, k) => ((Math.floor(k / p) + (k % p)) % 2 === 0 ? 1 : 0));
    const s = fieldStatistics(board, p, 0.5);
    expect(s.roughness).toBe(1);
    expect(s.autocorrelation[0]).toEqual({ lag: 1, r: -1 });
    expect(s.autocorrelation[1]!.r).toBeCloseTo(1, 10);
    expect(s.wet!.share.mean).toBe(0.5);
    const a = Float32Array.from({ length: 1000 }, (_, i) => i / 1000);
    expect(wasserstein1(a, a.map((v) => v + 0.25))).toBeCloseTo(0.25, 6);
  });
});

describe('VAE on real terrain: the Jacksboro DEM, 32 x 32 patches of relief, east columns held out', () => {
  let out: string;
  let result: VaeJobResult;
  const config = parseVaeConfig({
    data: { kind: 'raster', file: JACKSBORO, patch: 32, stride: 16 },
    model: { latent: 8, widths: [4, 8] },
    training: { epochs: 8, beta: 0.01, learning_rate: 3e-3, seed: 3 },
  });

  beforeAll(async () => {
    out = await newDir();
    result = await trainVae(config, { outDir: out, terraVersion: 'test', backend: 'wasm', samples: 64 });
  }, 60_000);

  it('reconstructs unseen ground well beyond the mean field, and reports PCA of the same size beside it', () => {
    const e = result.evaluation!;
    expect(result.patches.test).toBeGreaterThan(50);
    const r = e.reconstruction;
    // Measured: 35 m against the mean field's 43 m after 8 epochs (32 m after 20); PCA of 8 components 29 m (see the bench).
    expect(r.vae.rmse).toBeLessThan(0.9 * r.mean_field.rmse);
    expect(r.pca.rmse).toBeLessThan(r.mean_field.rmse);
    expect(e.units).toBe('m of relief');
    // Samples are smooth fields like the data: strong correlation at lag 1, none of NaN.
    expect(e.samples.vae.autocorrelation[0]!.r).toBeGreaterThan(0.8);
    expect(Number.isFinite(e.samples.w1.vae)).toBe(true);
  });

  it('saves a folder that reloads, samples and reconstructs the whole DEM tile by tile', async () => {
    expect((await readdir(out)).sort()).toEqual(['decoder', 'encoder', 'metrics.json', 'provenance.json', 'terra-vae.json']);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.history).toHaveLength(result.epochs);
    const saved = await loadVae(out);
    const tensors = tf.memory().numTensors;
    const samples = await sampleVae(saved, 5, 9);
    expect(samples.length).toBe(5 * 32 * 32);
    expect(samples.every(Number.isFinite)).toBe(true);
    expect([...(await sampleVae(saved, 5, 9))]).toEqual([...samples]);
    const r = await reconstructField(saved);
    expect(r.tiles).toBe(11 * 13); // 344 x 403 cells: 10 + 1 rows and 12 + 1 columns of tiles
    expect(r.reconstruction.length).toBe(344 * 403);
    expect(r.scores.rmse_standardised).toBeLessThan(0.6); // the whole grid, training ground included (the mean field: 1)
    await expect(reconstructField(saved, 'nope')).rejects.toThrow('scenario: "nope" is not one of jacksboro_fault_dem.npz');
    expect(tf.memory().numTensors).toBe(tensors); // nothing leaks
    disposeVae(saved);
  });

  it('cancels on the signal and saves nothing', async () => {
    const dir = await newDir();
    const controller = new AbortController();
    const r = await trainVae(config, { outDir: dir, terraVersion: 'test', backend: 'wasm', signal: controller.signal, onEvent: (e) => e.type === 'batch' && controller.abort() });
    expect(r.status).toBe('cancelled');
    expect(r.evaluation).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('VAE on flood max-depth fields (a synthetic dataset: the mechanics)', () => {
  it('cuts bands by the dataset split, trains, and scores depth with wet RMSE and CSI', async () => {
    const dir = await newDir();
    await writeSyntheticDataset(dir, 90, 24);
    const config = parseVaeConfig({ data: { kind: 'flood', dataset: dir, patch: 16, stride: 4, min_wet: 0 }, model: { latent: 2, widths: [2] }, training: { epochs: 2, seed: 1 } });
    const events: string[] = [];
    const r = await trainVae(config, { terraVersion: 'test', backend: 'cpu', samples: 8, onEvent: (e) => e.type === 'data' && events.push(...e.lines) });
    // The fixture's splits: 4 train, 1 validation, 1 test scenario; 3 rows and 2 columns of corners per held-out band.
    expect(events.slice(1)).toEqual(['train: columns 0-53, 4 field(s), 132 patches', 'validation: columns 54-71, 1 field(s), 6 patches', 'test: columns 72-89, 1 field(s), 6 patches']);
    const e = r.evaluation!;
    expect(e.units).toBe('m of max depth');
    expect(e.reconstruction.vae.csi).toBeGreaterThanOrEqual(0);
    expect(e.samples.vae.wet).toBeDefined();
  });
});

describe('terra vae', () => {
  it('names a missing source and a bad flag', async () => {
    const terra = fileURLToPath(new URL('../../../bin/terra.js', import.meta.url));
    const run = promisify(execFile);
    const fail = (args: string[]) =>
      run(process.execPath, [terra, 'vae', ...args]).then(
        () => '',
        (e: { stderr: string }) => e.stderr.trim().split('\n').at(-1)!,
      );
    const dir = await newDir();
    expect(await fail(['train', join(dir, 'none.tif'), '-o', join(dir, 'm')])).toBe(`terra: NOT_FOUND: ${join(dir, 'none.tif')}: no such file or folder (a flood dataset folder or a DEM raster)`);
    expect(await fail(['train', JACKSBORO, '--patch', '20', '-o', join(dir, 'm')])).toBe('terra: INVALID_PARAMS: data.patch: 20 is not a multiple of 8 (2^levels, model.widths has 3)');
    expect(await fail(['sample', dir, '-o', join(dir, 's')])).toBe(`terra: NOT_FOUND: ${join(dir, 'terra-vae.json')}: not a Terra Twin VAE folder (train one with terra vae train)`);
  });
});
