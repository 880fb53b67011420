/**
 * Fitting the VAE (model.ts): shuffled minibatches from the seed, each patch
 * in one of the 8 symmetries of the square when augmenting, Adam on the
 * encoder and decoder weights, the validation loss per epoch with noise
 * from a fixed seed (so epochs compare), early stopping that keeps the best
 * epoch's weights, progress events and cancel between batches, as the
 * generic trainer (train/fit.ts) does for plain regression.
 */
import type * as Tf from '@tensorflow/tfjs';
import { TerraError } from '../../api/errors';
import { Rng } from '../rng';
import type { VaeTraining } from './config';
import { gaussian, vaeLoss, type Vae } from './model';
import { symmetry } from './patches';

export interface VaeEpoch {
  epoch: number;
  /** Mean training loss per patch (reconstruction + beta KL). */
  loss: number;
  val_loss: number;
  val_reconstruction: number;
  val_kl: number;
  samples_per_s: number;
  seconds: number;
}

export type VaeFitEvent =
  | { type: 'batch'; epoch: number; epochs: number; batch: number; batches: number; loss: number; samplesPerS: number }
  | { type: 'epoch'; record: VaeEpoch; epochs: number; improved: boolean }
  | { type: 'early-stop'; epoch: number; bestEpoch: number };

export interface VaeFitResult {
  status: 'completed' | 'early-stopped' | 'cancelled';
  epochs: number;
  bestEpoch: number;
  bestValLoss: number | null;
  seconds: number;
  history: VaeEpoch[];
}

/** Mean loss terms per patch over a set, noise from `seed`. */
export async function evaluateLoss(tf: typeof Tf, vae: Vae, x: Float32Array, patch: number, latent: number, beta: number, seed: number, batch = 64): Promise<{ loss: number; reconstruction: number; kl: number }> {
  const per = patch * patch;
  const n = x.length / per;
  const rng = new Rng(seed);
  let rec = 0;
  let kl = 0;
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const eps = gaussian(rng, m * latent);
    const terms = tf.tidy(() => {
      const l = vaeLoss(tf, vae, tf.tensor4d(x.subarray(i * per, (i + m) * per), [m, patch, patch, 1]), tf.tensor2d(eps, [m, latent]), beta, false);
      return tf.stack([l.reconstruction, l.kl]);
    });
    const [r, k] = (await terms.data()) as Float32Array;
    terms.dispose();
    rec += r! * m;
    kl += k! * m;
  }
  return { loss: (rec + beta * kl) / n, reconstruction: rec / n, kl: kl / n };
}

export async function fitVae(
  tf: typeof Tf,
  vae: Vae,
  data: { patch: number; latent: number; train: Float32Array; validation: Float32Array },
  settings: VaeTraining,
  options: { signal?: AbortSignal; onEvent?: (e: VaeFitEvent) => void } = {},
): Promise<VaeFitResult> {
  const { patch, latent } = data;
  const per = patch * patch;
  const n = data.train.length / per;
  if (!(n >= 1) || !Number.isInteger(n)) throw new TerraError('INVALID_DATA', `training patches: ${data.train.length} values are not whole patches of ${patch} x ${patch}`, { field: 'train' });
  if (data.validation.length < per) throw new TerraError('INVALID_DATA', 'validation patches: none (early stopping needs some)', { field: 'validation' });
  const batch = Math.min(settings.batch_size, n);
  const batches = Math.ceil(n / batch);
  const rng = new Rng(settings.seed ^ 0x7ae);
  const optimiser = tf.train.adam(settings.learning_rate);
  const variables = [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights].map((w) => w.read() as Tf.Variable);
  const xb = new Float32Array(batch * per);
  const weights = () => [...vae.encoder.getWeights(), ...vae.decoder.getWeights()];
  let best: Tf.Tensor[] | null = null;
  let bestVal: number | null = null;
  let bestEpoch = 0;
  let bad = 0;
  let status: VaeFitResult['status'] = 'completed';
  const history: VaeEpoch[] = [];
  const started = performance.now();
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const t0 = performance.now();
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          status = 'cancelled';
          break;
        }
        const ids = order.slice(b * batch, (b + 1) * batch);
        ids.forEach((id, i) => symmetry(data.train.subarray(id * per, (id + 1) * per), patch, settings.augment ? rng.int(8) : 0, xb, i * per));
        const eps = gaussian(rng, ids.length * latent);
        const x = tf.tensor4d(xb.subarray(0, ids.length * per), [ids.length, patch, patch, 1]);
        const e = tf.tensor2d(eps, [ids.length, latent]);
        const cost = optimiser.minimize(() => vaeLoss(tf, vae, x, e, settings.beta, true).total, true, variables)!;
        const loss = (await cost.data())[0]!;
        tf.dispose([x, e, cost]);
        if (!Number.isFinite(loss)) {
          throw new TerraError('INTERNAL', `training diverged: loss ${loss} at epoch ${epoch + 1}, batch ${b + 1}; lower training.learning_rate`, { field: 'training.learning_rate' });
        }
        lossSum += loss * ids.length;
        options.onEvent?.({ type: 'batch', epoch, epochs: settings.epochs, batch: b, batches, loss, samplesPerS: Math.min(n, (b + 1) * batch) / ((performance.now() - t0) / 1000) });
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (status === 'cancelled') break;
      const trainSeconds = (performance.now() - t0) / 1000;
      const val = await evaluateLoss(tf, vae, data.validation, patch, latent, settings.beta, settings.seed + 1);
      const improved = bestVal === null || val.loss < bestVal;
      if (improved) {
        if (best) tf.dispose(best);
        best = weights().map((w) => w.clone());
        bestVal = val.loss;
        bestEpoch = epoch + 1;
        bad = 0;
      } else bad++;
      const record: VaeEpoch = {
        epoch: epoch + 1,
        loss: lossSum / n,
        val_loss: val.loss,
        val_reconstruction: val.reconstruction,
        val_kl: val.kl,
        samples_per_s: n / trainSeconds,
        seconds: (performance.now() - t0) / 1000,
      };
      history.push(record);
      options.onEvent?.({ type: 'epoch', record, epochs: settings.epochs, improved });
      if (settings.early_stopping && bad >= settings.early_stopping.patience) {
        status = 'early-stopped';
        options.onEvent?.({ type: 'early-stop', epoch: epoch + 1, bestEpoch });
        break;
      }
    }
    if (best) {
      const ne = vae.encoder.getWeights().length;
      vae.encoder.setWeights(best.slice(0, ne));
      vae.decoder.setWeights(best.slice(ne));
    }
    return { status, epochs: history.length, bestEpoch, bestValLoss: bestVal, seconds: (performance.now() - started) / 1000, history };
  } finally {
    if (best) tf.dispose(best);
    optimiser.dispose();
  }
}
