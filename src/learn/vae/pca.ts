/**
 * Principal components of patches, the linear baseline a VAE of the same
 * latent size must be judged against: the k directions of largest variance
 * of the training patches (the best k-dimensional linear reconstruction in
 * squared error), by subspace iteration (Golub and Van Loan, 8.2.4) on the
 * covariance applied as X^T (X Q), products on the tfjs backend.
 */
import type * as Tf from '@tensorflow/tfjs';
import { gaussian } from './model';
import { Rng } from '../rng';

export interface Pca {
  mean: Float32Array;
  /** [k, d], orthonormal rows, largest variance first. */
  components: Float32Array;
  /** Variance along each component. */
  variances: Float64Array;
  k: number;
  d: number;
}

export function fitPca(tf: typeof Tf, x: Float32Array, d: number, k: number, seed: number, iterations = 40): Pca {
  const n = x.length / d;
  const mean = new Float32Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]! / n;
  const centred = tf.tidy(() => tf.tensor2d(x, [n, d]).sub(tf.tensor2d(mean, [1, d])));
  const transposed = centred.transpose();
  let q = orthonormalise(gaussian(new Rng(seed), d * k), d, k);
  try {
    for (let it = 0; it < iterations; it++) {
      const next = tf.tidy(() => {
        const qt = tf.tensor2d(q, [d, k]);
        return transposed.matMul(centred.matMul(qt));
      });
      q = orthonormalise(next.dataSync() as Float32Array, d, k);
      next.dispose();
    }
    // Rayleigh quotients and the order by them.
    const projected = tf.tidy(() => centred.matMul(tf.tensor2d(q, [d, k])));
    const p = projected.dataSync();
    projected.dispose();
    const variances = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) variances[c]! += p[i * k + c]! ** 2 / Math.max(1, n - 1);
    const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => variances[b]! - variances[a]!);
    const components = new Float32Array(k * d);
    order.forEach((c, row) => {
      for (let j = 0; j < d; j++) components[row * d + j] = q[j * k + c]!;
    });
    return { mean, components, variances: Float64Array.from(order, (c) => variances[c]!), k, d };
  } finally {
    tf.dispose([centred, transposed]);
  }
}

/** Modified Gram-Schmidt on the k columns of a [d, k] matrix, in float64. */
function orthonormalise(m: ArrayLike<number>, d: number, k: number): Float32Array {
  const cols = Array.from({ length: k }, (_, c) => Float64Array.from({ length: d }, (_, j) => m[j * k + c]!));
  for (let c = 0; c < k; c++) {
    const v = cols[c]!;
    for (let prev = 0; prev < c; prev++) {
      const u = cols[prev]!;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += u[j]! * v[j]!;
      for (let j = 0; j < d; j++) v[j]! -= dot * u[j]!;
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += v[j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < d; j++) v[j]! /= norm;
  }
  const out = new Float32Array(d * k);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[j * k + c] = cols[c]![j]!;
  return out;
}

/** Projection of patches onto the components and back: the best reconstruction in their span. */
export function pcaReconstruct(tf: typeof Tf, pca: Pca, x: Float32Array): Float32Array {
  const { d, k } = pca;
  const n = x.length / d;
  const out = tf.tidy(() => {
    const c = tf.tensor2d(pca.components, [k, d]);
    const m = tf.tensor2d(pca.mean, [1, d]);
    const centred = tf.tensor2d(x, [n, d]).sub(m);
    return centred.matMul(c.transpose()).matMul(c).add(m);
  });
  try {
    return out.dataSync() as Float32Array;
  } finally {
    out.dispose();
  }
}

/** Samples of the Gaussian the PCA implies: mean + sum_c sqrt(variance_c) * N(0, 1) * component_c. */
export function pcaSample(pca: Pca, n: number, rng: Rng): Float32Array {
  const { d, k } = pca;
  const out = new Float32Array(n * d);
  const z = new Float32Array(k);
  for (let i = 0; i < n; i++) {
    gaussian(rng, k, z);
    for (let j = 0; j < d; j++) out[i * d + j] = pca.mean[j]!;
    for (let c = 0; c < k; c++) {
      const a = z[c]! * Math.sqrt(pca.variances[c]!);
      for (let j = 0; j < d; j++) out[i * d + j]! += a * pca.components[c * d + j]!;
    }
  }
  return out;
}
