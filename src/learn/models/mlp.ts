/**
 * A multilayer perceptron over the channels of each cell: tfjs dense layers
 * act on the last axis, so the same model maps [batch, rows, cols, channels]
 * fields cell by cell (and [n, channels] tables alike). Cheap to train and
 * run; it sees the neighbourhood only through the static channels. The head
 * starts with tiny weights: the output is a residual on the response-surface
 * baseline (see unet.ts).
 */
import type * as Tf from '@tensorflow/tfjs';
import type { MlpConfig } from './config';

type Tensor = Tf.SymbolicTensor;

export function buildMlp(tf: typeof Tf, config: MlpConfig, channels: number, seed: () => number): Tf.LayersModel {
  const input = tf.input({ shape: [null, null, channels] as unknown as number[], name: 'fields' });
  let x: Tensor = input;
  config.hidden.forEach((units, i) => {
    x = tf.layers
      .dense({ name: `dense${i}`, units, activation: config.activation, kernelInitializer: tf.initializers.heNormal({ seed: seed() }) })
      .apply(x) as Tensor;
    if (config.dropout > 0) x = tf.layers.dropout({ name: `dropout${i}`, rate: config.dropout }).apply(x) as Tensor;
  });
  const output = tf.layers.dense({ name: 'head', units: 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 1e-3, seed: seed() }) }).apply(x) as Tensor;
  return tf.model({ inputs: input, outputs: output, name: 'mlp' });
}
