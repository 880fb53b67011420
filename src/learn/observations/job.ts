/**
 * What the two forecast jobs (station-job.ts, grid-job.ts) share: progress
 * events, options, and the fit itself on the chosen backend. The backend is
 * chosen as for the flood surrogates (backend/select.ts): each candidate
 * must run one training step of the real network, so one that lacks a
 * kernel (a recurrent layer's gradient, say) is reported and skipped.
 */
import { availableParallelism } from 'node:os';
import type * as Tf from '@tensorflow/tfjs';
import { selectBackend, type BackendReport } from '../backend/select';
import { fit, type FitData, type FitEvent, type FitResult } from '../train/fit';
import { makeOptimiser } from '../train/optimiser';
import { makeStep } from '../train/step';
import type { FitConfig } from './config';

export type ForecastEvent = { type: 'data'; lines: string[] } | { type: 'backend'; report: BackendReport } | FitEvent;

export interface ForecastJobOptions {
  /** Model folder to write; nothing is saved without it. */
  outDir?: string;
  terraVersion: string;
  /** A tfjs backend to try first (else TERRA_BACKEND, else the best available). */
  backend?: string;
  signal?: AbortSignal;
  onEvent?: (event: ForecastEvent) => void;
}

export interface FittedModel {
  tf: typeof Tf;
  model: Tf.LayersModel;
  fit: FitResult;
  backend: BackendReport;
}

/** Chooses the backend, builds the network from the seed and fits it; the caller disposes the model. */
export async function fitOnBackend(build: (tf: typeof Tf, seed: number) => Tf.LayersModel, data: FitData, training: FitConfig, options: ForecastJobOptions): Promise<FittedModel> {
  const tf = await import('@tensorflow/tfjs');
  const probe = async () => {
    const model = build(tf, 0);
    const optimiser = makeOptimiser(tf, training.optimiser, 1e-6);
    const tensors = [tf.zeros([1, ...data.xShape]), tf.zeros([1, ...data.yShape])];
    const weights = data.weights ? tf.tensor(data.weights.values, [1, ...data.weights.shape]) : undefined;
    try {
      await makeStep(tf, model, optimiser, training.l2, weights)(tensors[0]!, tensors[1]!);
    } finally {
      tf.dispose([...tensors, ...(weights ? [weights] : [])]);
      optimiser.dispose();
      model.dispose();
    }
  };
  const backend = await selectBackend({ override: options.backend, probe });
  options.onEvent?.({ type: 'backend', report: backend });
  const model = build(tf, training.seed);
  try {
    const result = await fit(tf, model, data, training, { signal: options.signal, onEvent: options.onEvent });
    return { tf, model, fit: result, backend };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Provenance every forecast model records about how it was trained. */
export function runProvenance(fitted: FittedModel, training: FitConfig, terraVersion: string): Record<string, unknown> {
  return {
    seed: training.seed,
    backend: fitted.backend.backend,
    backend_notes: fitted.backend.notes,
    tfjs: fitted.backend.tfjs,
    cpu_threads: availableParallelism(),
    terra_version: terraVersion,
    trained: new Date().toISOString(),
    training_seconds: fitted.fit.seconds,
  };
}

/** The training record every forecast model keeps in metrics.json. */
export function fitMetrics(result: FitResult): Record<string, unknown> {
  return { status: result.status, epochs: result.epochs, best_epoch: result.bestEpoch, best_val_loss: result.bestValLoss, history: result.history };
}
