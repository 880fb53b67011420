/**
 * Training throughput of a configuration on the active tfjs backend: one
 * warm-up batch (kernel compilation, allocation), then timed batches for
 * about `seconds`. For comparing backends on one machine (the benchmark).
 */
import type * as Tf from '@tensorflow/tfjs';
import type { Dataset } from '../dataset/load';
import { buildModel } from '../models/build';
import { sizeMultiple, type LearnConfig } from '../models/config';
import { Rng } from '../rng';
import { trainingData } from './data';
import { makeOptimiser } from './optimiser';
import { PatchSampler } from './patches';
import { makeStep } from './step';

export interface Throughput {
  samplesPerS: number;
  /** Cells per second (samples x patch cells). */
  cellsPerS: number;
  batches: number;
  warmupS: number;
  patch: number;
}

export async function measureThroughput(tf: typeof Tf, dataset: Dataset, config: LearnConfig, seconds: number, maxBatches = 50): Promise<Throughput> {
  const { training } = config;
  const data = trainingData(dataset);
  const multiple = sizeMultiple(config.model);
  const patch = Math.min(training.patch_size, Math.floor(Math.min(dataset.nx, dataset.ny) / multiple) * multiple);
  const model = buildModel(tf, config.model, data.inputs.channels, training.seed);
  const optimiser = makeOptimiser(tf, training.optimiser, training.learning_rate);
  const sampler = new PatchSampler(data.inputs, data.train, { size: patch, batch: training.batch_size, wetFraction: training.wet_patch_fraction, augment: training.augment }, new Rng(training.seed));
  const step = makeStep(tf, model, optimiser, training.l2);
  const once = async () => {
    const { x, y } = sampler.next(tf);
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
    const samplesPerS = (batches * training.batch_size) / ((performance.now() - t0) / 1000);
    return { samplesPerS, cellsPerS: samplesPerS * patch * patch, batches, warmupS, patch };
  } finally {
    optimiser.dispose();
    model.dispose();
  }
}
