/**
 * A convolutional variational autoencoder (Kingma and Welling 2014) for
 * square single-channel patches:
 *
 *   encoder  [p, p, 1] -> per level a 3x3 convolution and 2x2 max pooling
 *            -> dense -> mu, log variance    [latent] each
 *   z        mu + exp(logvar / 2) * eps, eps ~ N(0, I)   (the reparameterisation trick)
 *   decoder  z -> dense -> [p / 2^L, p / 2^L, last width] -> per level nearest
 *            upsampling and a 3x3 convolution -> a 3x3 convolution to 1 channel
 *
 * Only stride-1 'same' convolutions, pooling and upsampling, as in the
 * U-Net, so wasm trains it with the fast gradient kernels (backend/). The
 * loss per patch is the negative ELBO of a unit-variance Gaussian decoder on
 * standardised values, with the KL weighted by beta:
 *
 *   sum over cells of (x - x_hat)^2 / 2  +  beta * sum over latents of (mu^2 + e^logvar - 1 - logvar) / 2
 *
 * eps is drawn from the job's seed in JS and passed in, so a run repeats on
 * any backend. Layer names are fixed, so saved weights match by name.
 */
import type * as Tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import type { VaeModelConfig } from './config';

type Tensor = Tf.SymbolicTensor;

export interface Vae {
  encoder: Tf.LayersModel;
  decoder: Tf.LayersModel;
}

export function buildVae(tf: typeof Tf, config: VaeModelConfig, patch: number, seed: number): Vae {
  const rng = new Rng(seed);
  const init = () => tf.initializers.heNormal({ seed: rng.seed() });
  const levels = config.widths.length;
  const conv = (name: string, filters: number, activation: VaeModelConfig['activation'] | 'linear') =>
    tf.layers.conv2d({ name, filters, kernelSize: 3, padding: 'same', activation, kernelInitializer: init() });

  const input = tf.input({ shape: [patch, patch, 1], name: 'patch' });
  let x: Tensor = input;
  config.widths.forEach((w, l) => {
    x = conv(`enc${l}_conv`, w, config.activation).apply(x) as Tensor;
    x = tf.layers.maxPooling2d({ name: `enc${l}_pool`, poolSize: 2 }).apply(x) as Tensor;
  });
  x = tf.layers.flatten({ name: 'enc_flatten' }).apply(x) as Tensor;
  // Small initial weights on the heads: the posterior starts near the prior, log variance near 0.
  const head = (name: string) =>
    tf.layers.dense({ name, units: config.latent, kernelInitializer: tf.initializers.randomNormal({ stddev: 1e-2, seed: rng.seed() }) }).apply(x) as Tensor;
  const encoder = tf.model({ inputs: input, outputs: [head('mu'), head('logvar')], name: 'vae_encoder' });

  const side = patch / 2 ** levels;
  const last = config.widths[levels - 1]!;
  const z = tf.input({ shape: [config.latent], name: 'z' });
  let y: Tensor = tf.layers.dense({ name: 'dec_dense', units: side * side * last, activation: config.activation, kernelInitializer: init() }).apply(z) as Tensor;
  y = tf.layers.reshape({ name: 'dec_reshape', targetShape: [side, side, last] }).apply(y) as Tensor;
  for (let l = levels - 1; l >= 0; l--) {
    y = tf.layers.upSampling2d({ name: `dec${l}_up`, size: [2, 2] }).apply(y) as Tensor;
    y = conv(`dec${l}_conv`, config.widths[l]!, config.activation).apply(y) as Tensor;
  }
  const output = conv('dec_out', 1, 'linear').apply(y) as Tensor;
  const decoder = tf.model({ inputs: z, outputs: output, name: 'vae_decoder' });
  return { encoder, decoder };
}

export interface VaeLoss {
  /** Per patch: reconstruction term, KL term (unweighted), their weighted sum. */
  reconstruction: Tf.Scalar;
  kl: Tf.Scalar;
  total: Tf.Scalar;
}

/** The loss of a batch x [b, p, p, 1] with noise eps [b, latent]; call inside tidy or a gradient. */
export function vaeLoss(tf: typeof Tf, vae: Vae, x: Tf.Tensor4D, eps: Tf.Tensor2D, beta: number, training: boolean): VaeLoss {
  const [mu, logvar] = vae.encoder.apply(x, { training }) as Tf.Tensor2D[];
  const z = mu!.add(logvar!.mul(0.5).exp().mul(eps));
  const xHat = vae.decoder.apply(z, { training }) as Tf.Tensor4D;
  const b = x.shape[0];
  const reconstruction = xHat.sub(x).square().sum().mul(0.5 / b) as Tf.Scalar;
  const kl = mu!.square().add(logvar!.exp()).sub(1).sub(logvar!).sum().mul(0.5 / b) as Tf.Scalar;
  return { reconstruction, kl, total: reconstruction.add(kl.mul(beta)) as Tf.Scalar };
}

/** Posterior means of patches [n, p, p] (standardised), in batches. */
export async function encodeMeans(tf: typeof Tf, vae: Vae, x: Float32Array, patch: number, batch = 128): Promise<Float32Array> {
  const per = patch * patch;
  const n = x.length / per;
  const latent = (vae.encoder.outputs[0]!.shape[1] as number) ?? 0;
  const out = new Float32Array(n * latent);
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const mu = tf.tidy(() => (vae.encoder.predict(tf.tensor4d(x.subarray(i * per, (i + m) * per), [m, patch, patch, 1])) as Tf.Tensor[])[0]!);
    out.set((await mu.data()) as Float32Array, i * latent);
    mu.dispose();
  }
  return out;
}

/** Decoded patches [n, p, p] (standardised) of latents z [n, latent], in batches. */
export async function decodeLatents(tf: typeof Tf, vae: Vae, z: Float32Array, latent: number, patch: number, batch = 128): Promise<Float32Array> {
  const n = z.length / latent;
  const per = patch * patch;
  const out = new Float32Array(n * per);
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const y = tf.tidy(() => vae.decoder.predict(tf.tensor2d(z.subarray(i * latent, (i + m) * latent), [m, latent])) as Tf.Tensor);
    out.set((await y.data()) as Float32Array, i * per);
    y.dispose();
  }
  return out;
}

/** Standard normal draws from a seeded generator (Box-Muller). */
export function gaussian(rng: Rng, n: number, out = new Float32Array(n)): Float32Array {
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}
