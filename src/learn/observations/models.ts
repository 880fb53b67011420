/**
 * Networks of the observation forecasts, weights drawn from the job's seed.
 *
 * Stations, [lookback, features] -> [targets]:
 *   mlp         the window flattened, dense layers
 *   gru, lstm   recurrent layers over the rows of the window, dense layers on the last state
 * Grids, [rows, cols, channels] -> [rows, cols, targets]:
 *   cnn         'same' convolutions at full resolution, any grid size
 *   unet        the flood surrogate's U-Net (models/unet.ts), grids padded to its multiple
 *
 * Every head starts with tiny weights, so training starts at persistence
 * (an output of 0, see windows.ts and grid-samples.ts). Layer names are
 * fixed, so saved weights match by name.
 */
import type * as Tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { buildUnet } from '../models/unet';
import type { GridModelConfig, StationModelConfig } from './config';

type Tensor = Tf.SymbolicTensor;

export function buildStationModel(tf: typeof Tf, config: StationModelConfig, lookback: number, features: number, targets: number, seed: number): Tf.LayersModel {
  const rng = new Rng(seed);
  const next = () => rng.seed();
  const input = tf.input({ shape: [lookback, features], name: 'window' });
  let x: Tensor = input;
  let hidden: number[];
  if (config.kind === 'mlp') {
    x = tf.layers.flatten({ name: 'flatten' }).apply(x) as Tensor;
    hidden = config.hidden;
  } else {
    for (let l = 0; l < config.layers; l++) {
      const args = {
        name: `${config.kind}${l}`,
        units: config.units,
        returnSequences: l < config.layers - 1,
        kernelInitializer: tf.initializers.glorotUniform({ seed: next() }),
        // Not tfjs's orthogonal default: it warns of slowness at every build and load; on windows of a few rows Glorot trains as well.
        recurrentInitializer: tf.initializers.glorotUniform({ seed: next() }),
      };
      x = (config.kind === 'gru' ? tf.layers.gru(args) : tf.layers.lstm(args)).apply(x) as Tensor;
    }
    hidden = config.hidden;
  }
  hidden.forEach((units, i) => {
    x = tf.layers.dense({ name: `dense${i}`, units, activation: config.activation, kernelInitializer: tf.initializers.heNormal({ seed: next() }) }).apply(x) as Tensor;
    if (config.dropout > 0) x = tf.layers.dropout({ name: `dropout${i}`, rate: config.dropout }).apply(x) as Tensor;
  });
  const output = tf.layers.dense({ name: 'head', units: targets, kernelInitializer: tf.initializers.randomNormal({ stddev: 1e-3, seed: next() }) }).apply(x) as Tensor;
  return tf.model({ inputs: input, outputs: output, name: `station_${config.kind}` });
}

export function buildGridModel(tf: typeof Tf, config: GridModelConfig, channels: number, targets: number, seed: number): Tf.LayersModel {
  const rng = new Rng(seed);
  const next = () => rng.seed();
  if (config.kind === 'unet') return buildUnet(tf, config, channels, next, targets);
  const input = tf.input({ shape: [null, null, channels] as unknown as number[], name: 'fields' });
  let x: Tensor = input;
  config.widths.forEach((filters, i) => {
    x = tf.layers
      .conv2d({ name: `conv${i}`, filters, kernelSize: config.kernel_size, padding: 'same', activation: config.activation, kernelInitializer: tf.initializers.heNormal({ seed: next() }) })
      .apply(x) as Tensor;
    if (config.dropout > 0) x = tf.layers.dropout({ name: `dropout${i}`, rate: config.dropout }).apply(x) as Tensor;
  });
  const output = tf.layers
    .conv2d({ name: 'head', filters: targets, kernelSize: 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 1e-3, seed: next() }) })
    .apply(x) as Tensor;
  return tf.model({ inputs: input, outputs: output, name: 'grid_cnn' });
}

/** Fields sizes must be a multiple of this (U-Net: 2^(levels-1)). */
export function gridMultiple(config: GridModelConfig): number {
  return config.kind === 'unet' ? 2 ** (config.widths.length - 1) : 1;
}

export function describeModel(config: StationModelConfig | GridModelConfig): string {
  switch (config.kind) {
    case 'mlp':
      return `MLP ${config.hidden.join('/')}`;
    case 'gru':
    case 'lstm':
      return `${config.kind.toUpperCase()} ${Array(config.layers).fill(config.units).join('/')}${config.hidden.length ? ` + dense ${config.hidden.join('/')}` : ''}`;
    case 'cnn':
      return `CNN ${config.widths.join('/')} (${config.kernel_size}x${config.kernel_size})`;
    case 'unet':
      return `U-Net ${config.widths.join('/')}`;
  }
}
