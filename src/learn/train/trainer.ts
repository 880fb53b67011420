/**
 * Trains a surrogate on a dataset as a job: progress events per batch and
 * epoch (loss, validation loss, samples/s), cancel between batches, a
 * checkpoint after every epoch (resume continues exactly where it stopped:
 * weights, optimiser state and the batch generator are restored), early
 * stopping on the validation loss, and the best epoch's weights saved as a
 * model folder (models/store.ts) with its validation scores.
 *
 * The loss is the mean squared error of the encoded target (target.ts) plus
 * l2 times the sum of squared kernel weights. A loss that stops being finite
 * ends the job with an error; the last checkpoint is left as it was.
 */
import { availableParallelism } from 'node:os';
import type * as Tf from '@tensorflow/tfjs';
import { TerraError } from '../../api/errors';
import { selectBackend, type BackendReport } from '../backend/select';
import type { Dataset } from '../dataset/load';
import { evaluateSurrogate, type Evaluation } from '../evaluate';
import { buildModel } from '../models/build';
import { sizeMultiple, type LearnConfig } from '../models/config';
import { modelMeta, saveModel } from '../models/store';
import { FieldPredictor, Surrogate } from '../predict';
import { REACH_DEPTH_M, reachCells } from '../reach';
import { Rng } from '../rng';
import { CHECKPOINT_DIR, hasCheckpoint, loadCheckpoint, namedWeights, saveCheckpoint, type EpochRecord, type TrainerState } from './checkpoint';
import { makeOptimiser, setLearningRate } from './optimiser';
import { trainingData, WET_M } from './data';
import { PatchSampler } from './patches';
import { learningRateAt } from './schedule';
import { makeStep } from './step';

export type TrainEvent =
  | { type: 'backend'; report: BackendReport }
  | { type: 'resumed'; epoch: number }
  | { type: 'batch'; epoch: number; epochs: number; batch: number; batches: number; loss: number; samplesPerS: number }
  | { type: 'epoch'; record: EpochRecord; epochs: number; improved: boolean }
  | { type: 'early-stop'; epoch: number; bestEpoch: number };

export interface TrainOptions {
  dataset: Dataset;
  config: LearnConfig;
  outDir: string;
  terraVersion: string;
  /** A tfjs backend to try first (else TERRA_BACKEND, else the best available). */
  backend?: string;
  /** Continue from the checkpoint in outDir. Without it an existing checkpoint is an error, not overwritten. */
  resume?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
}

export interface TrainResult {
  status: 'completed' | 'early-stopped' | 'cancelled';
  epochs: number;
  bestEpoch: number;
  bestValLoss: number | null;
  /** Training wall time over all runs of the job, validation included (s). */
  seconds: number;
  backend: BackendReport;
  /** Scores of the saved model on the validation scenarios (absent when cancelled). */
  validation?: Evaluation;
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { dataset, config, outDir } = options;
  const { model: modelConfig, training } = config;
  const manifest = dataset.manifest;
  const names = { static: manifest.channels.static, forcing: manifest.channels.forcing };
  const channelNames = [...names.static, ...names.forcing];
  const trainSet = dataset.scenarios.filter((s) => s.split === 'train');
  const valSet = dataset.scenarios.filter((s) => s.split === 'validation');
  if (trainSet.length === 0 || valSet.length === 0) {
    throw new TerraError('INVALID_DATA', `${dataset.dir}: needs training and validation scenarios (has ${trainSet.length} and ${valSet.length})`, { field: 'scenarios' });
  }
  const multiple = sizeMultiple(modelConfig);
  const patch = Math.min(training.patch_size, Math.floor(Math.min(dataset.nx, dataset.ny) / multiple) * multiple);
  if (training.patch_size % multiple !== 0 || patch < multiple) {
    throw new TerraError('INVALID_PARAMS', `training.patch_size: ${training.patch_size} must be a multiple of ${multiple} (2^(levels-1)) that fits the ${dataset.nx} x ${dataset.ny} grid`, {
      field: 'training.patch_size',
    });
  }
  if (!options.resume && (await hasCheckpoint(outDir))) {
    throw new TerraError('INVALID_PARAMS', `${outDir}/${CHECKPOINT_DIR}: a checkpoint is there already; resume it, or train into another folder`, { field: 'out' });
  }

  const tf = await import('@tensorflow/tfjs');
  const data = trainingData(dataset);
  const inputs = data.inputs;
  const backend = await selectBackend({ override: options.backend, probe: () => probeStep(tf, config, inputs.channels, multiple) });
  options.onEvent?.({ type: 'backend', report: backend });

  const model = buildModel(tf, modelConfig, inputs.channels, training.seed);
  const optimiser = makeOptimiser(tf, training.optimiser, learningRateAt(training, 0));
  const step = makeStep(tf, model, optimiser, training.l2);
  const validator = new FieldPredictor(tf, model, inputs, multiple);
  let best: { name: string; tensor: Tf.Tensor }[] | null = null;
  let status: TrainResult['status'] = 'completed';
  try {
    let state: TrainerState = { epoch: 0, rng: new Rng(training.seed ^ 0x5eed).state, best_val: null, best_epoch: 0, bad_epochs: 0, history: [], elapsed_s: 0 };
    if (options.resume) {
      const restored = await loadCheckpoint(tf, outDir, { model, optimiser, config: modelConfig, channels: channelNames });
      state = restored.state;
      best = restored.best ? Object.entries(restored.best).map(([name, tensor]) => ({ name, tensor })) : null;
      options.onEvent?.({ type: 'resumed', epoch: state.epoch });
    }
    const rng = new Rng(0);
    rng.state = state.rng;

    const sampler = new PatchSampler(inputs, data.train, { size: patch, batch: training.batch_size, wetFraction: training.wet_patch_fraction, augment: training.augment }, rng);

    for (let epoch = state.epoch; epoch < training.epochs; epoch++) {
      const learningRate = learningRateAt(training, epoch);
      setLearningRate(optimiser, learningRate);
      const started = performance.now();
      let lossSum = 0;
      for (let b = 0; b < training.batches_per_epoch; b++) {
        if (options.signal?.aborted) {
          status = 'cancelled';
          break;
        }
        const { x, y } = sampler.next(tf);
        const loss = await step(x, y);
        tf.dispose([x, y]);
        if (!Number.isFinite(loss)) throw diverged(outDir, epoch, b, loss, state.epoch);
        lossSum += loss;
        const seconds = (performance.now() - started) / 1000;
        options.onEvent?.({ type: 'batch', epoch, epochs: training.epochs, batch: b, batches: training.batches_per_epoch, loss, samplesPerS: ((b + 1) * training.batch_size) / seconds });
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (status === 'cancelled') break;
      const trainSeconds = (performance.now() - started) / 1000;
      let valLoss = 0;
      for (const v of data.validation) valLoss += meanSquare(await validator.residual(v.inputs), v.target) / data.validation.length;
      if (!Number.isFinite(valLoss)) throw diverged(outDir, epoch, training.batches_per_epoch, valLoss, state.epoch);
      const minDelta = training.early_stopping?.min_delta ?? 0;
      const improved = state.best_val === null || valLoss < state.best_val - minDelta;
      if (improved) {
        if (best) tf.dispose(best.map((w) => w.tensor));
        best = namedWeights(model).map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
      }
      const record: EpochRecord = {
        epoch: epoch + 1,
        loss: lossSum / training.batches_per_epoch,
        val_loss: valLoss,
        learning_rate: learningRate,
        samples_per_s: (training.batches_per_epoch * training.batch_size) / trainSeconds,
        seconds: (performance.now() - started) / 1000,
      };
      state = {
        epoch: epoch + 1,
        rng: rng.state,
        best_val: improved ? valLoss : state.best_val,
        best_epoch: improved ? epoch + 1 : state.best_epoch,
        bad_epochs: improved ? 0 : state.bad_epochs + 1,
        history: [...state.history, record],
        elapsed_s: state.elapsed_s + record.seconds,
      };
      await saveCheckpoint(tf, outDir, { model, best, optimiser, config: modelConfig, channels: channelNames, state });
      options.onEvent?.({ type: 'epoch', record, epochs: training.epochs, improved });
      if (training.early_stopping && state.bad_epochs >= training.early_stopping.patience) {
        status = 'early-stopped';
        options.onEvent?.({ type: 'early-stop', epoch: state.epoch, bestEpoch: state.best_epoch });
        break;
      }
    }
    const result: TrainResult = { status, epochs: state.epoch, bestEpoch: state.best_epoch, bestValLoss: state.best_val, seconds: state.elapsed_s, backend };
    if (status === 'cancelled' || state.epoch === 0) return result;

    if (best) model.loadWeights(Object.fromEntries(best.map((w) => [w.name, w.tensor])));
    const span = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
    const trainedOn = { intensity_mm_h: span(trainSet.map((s) => s.intensity_mm_h)), duration_min: span(trainSet.map((s) => s.duration_min)) };
    const reach = reachCells(trainSet.map((s) => dataset.targets.get(s.id)!), dataset.nx * dataset.ny);
    const { family } = manifest;
    const simulation = { scheme: family.solver.scheme, cfl: family.solver.cfl, manning: family.manning, tail_min: family.tail_min };
    const meta = modelMeta(config, names, manifest.source.georef, trainedOn, options.terraVersion, { depth_m: REACH_DEPTH_M, cells: reach.length }, simulation);
    const saved = { model, meta, stats: manifest.stats, static: dataset.static, reach };
    result.validation = await evaluateSurrogate(new Surrogate(tf, saved), dataset, 'validation', WET_M);
    const bySplit = (split: string) => dataset.manifest.scenarios.filter((s) => s.split === split).map((s) => s.id);
    await saveModel(outDir, saved, {
      provenance: {
        dataset: dataset.dir,
        dataset_created: manifest.created,
        dem: manifest.source.dem,
        dem_sha256: manifest.source.dem_sha256,
        scenarios: { train: bySplit('train'), validation: bySplit('validation'), test: bySplit('test') },
        seed: training.seed,
        backend: backend.backend,
        backend_notes: backend.notes,
        tfjs: backend.tfjs,
        cpu_threads: availableParallelism(),
        terra_version: options.terraVersion,
        trained: new Date().toISOString(),
        training_seconds: state.elapsed_s,
      },
      metrics: {
        status,
        epochs: state.epoch,
        best_epoch: state.best_epoch,
        best_val_loss: state.best_val,
        patch_size: patch,
        history: state.history,
        validation: result.validation,
      },
    });
    return result;
  } finally {
    if (best) tf.dispose(best.map((w) => w.tensor));
    optimiser.dispose();
    model.dispose();
  }
}

/** One training step of the configured network on a tiny input: throws where the backend lacks a kernel. */
async function probeStep(tf: typeof Tf, config: LearnConfig, channels: number, multiple: number): Promise<void> {
  const size = Math.max(2, multiple);
  const model = buildModel(tf, config.model, channels, 0);
  const optimiser = makeOptimiser(tf, config.training.optimiser, 1e-6);
  try {
    const [x, y] = [tf.zeros([1, size, size, channels]) as Tf.Tensor4D, tf.zeros([1, size, size, 1]) as Tf.Tensor4D];
    await makeStep(tf, model, optimiser, config.training.l2)(x, y);
    tf.dispose([x, y]);
  } finally {
    optimiser.dispose();
    model.dispose();
  }
}

function meanSquare(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}

function diverged(outDir: string, epoch: number, batch: number, loss: number, checkpointEpoch: number): TerraError {
  const kept = checkpointEpoch > 0 ? `the checkpoint of epoch ${checkpointEpoch} in ${outDir}/${CHECKPOINT_DIR} is kept` : 'no checkpoint was written yet';
  return new TerraError('INTERNAL', `training diverged: loss ${loss} at epoch ${epoch + 1}, batch ${batch + 1}; lower training.learning_rate (${kept})`, {
    field: 'training.learning_rate',
    epoch: epoch + 1,
    batch: batch + 1,
    checkpoint_epoch: checkpointEpoch,
  });
}
