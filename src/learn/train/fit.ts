/**
 * A small generic trainer for datasets that fit in memory as whole samples
 * (observation forecasts): shuffled minibatches from the job's seed, the
 * optimisers, schedules and step of the flood trainer, a validation loss per
 * epoch, early stopping that keeps the best epoch's weights, progress events
 * (batch and epoch: loss, validation loss, samples/s) and cancel between
 * batches. The flood trainer (trainer.ts) draws patches and checkpoints
 * instead; these jobs take seconds to minutes and restart rather than resume.
 */
import type * as Tf from '@tensorflow/tfjs';
import { TerraError } from '../../api/errors';
import type { TrainingConfig } from '../models/config';
import { Rng } from '../rng';
import { namedWeights, type EpochRecord } from './checkpoint';
import { makeOptimiser, setLearningRate } from './optimiser';
import { learningRateAt } from './schedule';
import { makeStep } from './step';

export interface FitSettings {
  optimiser: TrainingConfig['optimiser'];
  learning_rate: number;
  schedule: TrainingConfig['schedule'];
  l2: number;
  batch_size: number;
  epochs: number;
  early_stopping: { patience: number; min_delta: number } | null;
  seed: number;
}

/** Samples laid out one after another. */
export interface FitArrays {
  x: Float32Array;
  y: Float32Array;
}

export interface FitData {
  /** Shape of one sample's input and target. */
  xShape: number[];
  yShape: number[];
  train: FitArrays;
  validation: FitArrays;
  /** Loss weights broadcast over each target (a cell mask), with their shape. */
  weights?: { values: Float32Array; shape: number[] };
}

export type FitEvent =
  | { type: 'batch'; epoch: number; epochs: number; batch: number; batches: number; loss: number; samplesPerS: number }
  | { type: 'epoch'; record: EpochRecord; epochs: number; improved: boolean }
  | { type: 'early-stop'; epoch: number; bestEpoch: number };

export interface FitOptions {
  signal?: AbortSignal;
  onEvent?: (event: FitEvent) => void;
}

export interface FitResult {
  status: 'completed' | 'early-stopped' | 'cancelled';
  epochs: number;
  bestEpoch: number;
  bestValLoss: number | null;
  /** Wall time, validation included (s). */
  seconds: number;
  history: EpochRecord[];
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Copies samples `ids` into `into` (a batch buffer), sample size `per`. */
function gather(from: Float32Array, ids: ArrayLike<number>, per: number, into: Float32Array): Float32Array {
  for (let i = 0; i < ids.length; i++) into.set(from.subarray(ids[i]! * per, (ids[i]! + 1) * per), i * per);
  return into.subarray(0, ids.length * per);
}

/** Model outputs for every sample of `x`, in batches, forward only. */
export async function predictAll(tf: typeof Tf, model: Tf.LayersModel, x: Float32Array, xShape: number[], batch: number): Promise<Float32Array> {
  const per = size(xShape);
  const n = x.length / per;
  const parts: Float32Array[] = [];
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const out = tf.tidy(() => model.predict(tf.tensor(x.subarray(i * per, (i + m) * per), [m, ...xShape])) as Tf.Tensor);
    parts.push((await out.data()) as Float32Array);
    out.dispose();
  }
  const total = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    total.set(p, o);
    o += p.length;
  }
  return total;
}

/** Weighted mean square of the difference (weights repeat over samples and broadcast over the last axis). */
export function weightedMse(a: Float32Array, b: Float32Array, yShape: number[], weights?: FitData['weights']): number {
  let sum = 0;
  let count = 0;
  if (!weights) {
    for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
    return sum / a.length;
  }
  const last = yShape[yShape.length - 1]!;
  const w = weights.values;
  for (let i = 0; i < a.length; i++) {
    const wi = w[Math.floor(i / last) % w.length]!;
    if (wi === 0) continue;
    sum += wi * (a[i]! - b[i]!) ** 2;
    count += 1;
  }
  return count ? sum / count : NaN;
}

export async function fit(tf: typeof Tf, model: Tf.LayersModel, data: FitData, settings: FitSettings, options: FitOptions = {}): Promise<FitResult> {
  const xPer = size(data.xShape);
  const yPer = size(data.yShape);
  const n = data.train.x.length / xPer;
  const nv = data.validation.x.length / xPer;
  if (!(n >= 1) || !Number.isInteger(n) || data.train.y.length !== n * yPer) throw new TerraError('INVALID_DATA', `training data: ${n} samples of ${xPer} inputs with ${data.train.y.length} target values`, { field: 'train' });
  if (!(nv >= 1) || !Number.isInteger(nv) || data.validation.y.length !== nv * yPer) {
    throw new TerraError('INVALID_DATA', `validation data: ${nv} samples of ${xPer} inputs with ${data.validation.y.length} target values (early stopping needs some)`, { field: 'validation' });
  }
  const batch = Math.min(settings.batch_size, n);
  const batches = Math.ceil(n / batch);
  const rng = new Rng(settings.seed ^ 0x5eed);
  const optimiser = makeOptimiser(tf, settings.optimiser, learningRateAt(settings, 0));
  const weights = data.weights ? tf.tensor(data.weights.values, [1, ...data.weights.shape]) : undefined;
  const step = makeStep(tf, model, optimiser, settings.l2, weights);
  const xb = new Float32Array(batch * xPer);
  const yb = new Float32Array(batch * yPer);
  let best: { name: string; tensor: Tf.Tensor }[] | null = null;
  const history: EpochRecord[] = [];
  let status: FitResult['status'] = 'completed';
  let bestVal: number | null = null;
  let bestEpoch = 0;
  let badEpochs = 0;
  const started = performance.now();
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const learningRate = learningRateAt(settings, epoch);
      setLearningRate(optimiser, learningRate);
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const t0 = performance.now();
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          status = 'cancelled';
          break;
        }
        const ids = order.slice(b * batch, (b + 1) * batch);
        const x = tf.tensor(gather(data.train.x, ids, xPer, xb), [ids.length, ...data.xShape]);
        const y = tf.tensor(gather(data.train.y, ids, yPer, yb), [ids.length, ...data.yShape]);
        const loss = await step(x, y);
        tf.dispose([x, y]);
        if (!Number.isFinite(loss)) throw diverged(epoch, b, loss);
        lossSum += loss * ids.length;
        const seconds = (performance.now() - t0) / 1000;
        options.onEvent?.({ type: 'batch', epoch, epochs: settings.epochs, batch: b, batches, loss, samplesPerS: Math.min(n, (b + 1) * batch) / seconds });
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (status === 'cancelled') break;
      const trainSeconds = (performance.now() - t0) / 1000;
      const out = await predictAll(tf, model, data.validation.x, data.xShape, Math.max(batch, 64));
      const valLoss = weightedMse(out, data.validation.y, data.yShape, data.weights);
      if (!Number.isFinite(valLoss)) throw diverged(epoch, batches, valLoss);
      const minDelta = settings.early_stopping?.min_delta ?? 0;
      const improved = bestVal === null || valLoss < bestVal - minDelta;
      if (improved) {
        if (best) tf.dispose(best.map((w) => w.tensor));
        best = namedWeights(model).map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
        bestVal = valLoss;
        bestEpoch = epoch + 1;
        badEpochs = 0;
      } else badEpochs++;
      const record: EpochRecord = {
        epoch: epoch + 1,
        loss: lossSum / n,
        val_loss: valLoss,
        learning_rate: learningRate,
        samples_per_s: n / trainSeconds,
        seconds: (performance.now() - t0) / 1000,
      };
      history.push(record);
      options.onEvent?.({ type: 'epoch', record, epochs: settings.epochs, improved });
      if (settings.early_stopping && badEpochs >= settings.early_stopping.patience) {
        status = 'early-stopped';
        options.onEvent?.({ type: 'early-stop', epoch: epoch + 1, bestEpoch });
        break;
      }
    }
    if (best) model.loadWeights(Object.fromEntries(best.map((w) => [w.name, w.tensor])));
    return { status, epochs: history.length, bestEpoch, bestValLoss: bestVal, seconds: (performance.now() - started) / 1000, history };
  } finally {
    if (best) tf.dispose(best.map((w) => w.tensor));
    weights?.dispose();
    optimiser.dispose();
  }
}

/** Training samples/s of `model` on the active backend: one warm-up batch, then batches for about `seconds`. */
export async function measureFitThroughput(
  tf: typeof Tf,
  model: Tf.LayersModel,
  data: FitData,
  settings: FitSettings,
  seconds: number,
  maxBatches = 200,
): Promise<{ samplesPerS: number; batches: number; warmupS: number; batch: number }> {
  const xPer = size(data.xShape);
  const yPer = size(data.yShape);
  const n = data.train.x.length / xPer;
  const batch = Math.min(settings.batch_size, n);
  const rng = new Rng(settings.seed);
  const optimiser = makeOptimiser(tf, settings.optimiser, settings.learning_rate);
  const weights = data.weights ? tf.tensor(data.weights.values, [1, ...data.weights.shape]) : undefined;
  const step = makeStep(tf, model, optimiser, settings.l2, weights);
  const xb = new Float32Array(batch * xPer);
  const yb = new Float32Array(batch * yPer);
  const once = async () => {
    const ids = Array.from({ length: batch }, () => rng.int(n));
    const x = tf.tensor(gather(data.train.x, ids, xPer, xb), [batch, ...data.xShape]);
    const y = tf.tensor(gather(data.train.y, ids, yPer, yb), [batch, ...data.yShape]);
    await step(x, y);
    tf.dispose([x, y]);
  };
  try {
    let t0 = performance.now();
    await once();
    const warmupS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    let batches = 0;
    while (batches < maxBatches && (batches === 0 || performance.now() - t0 < seconds * 1000)) {
      await once();
      batches++;
    }
    return { samplesPerS: (batches * batch) / ((performance.now() - t0) / 1000), batches, warmupS, batch };
  } finally {
    weights?.dispose();
    optimiser.dispose();
  }
}

function diverged(epoch: number, batch: number, loss: number): TerraError {
  return new TerraError('INTERNAL', `training diverged: loss ${loss} at epoch ${epoch + 1}, batch ${batch + 1}; lower training.learning_rate`, {
    field: 'training.learning_rate',
    epoch: epoch + 1,
    batch: batch + 1,
  });
}
