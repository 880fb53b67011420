/**
 * U-Net (Ronneberger et al. 2015), field to field: per level convolutions,
 * 2x2 max pooling down, nearest upsampling and skip concatenation up, a 1x1
 * head with tiny initial weights (the output is a residual on the
 * response-surface baseline, so training starts next to it; see inputs.ts;
 * not zero, so the layers below get gradients from the first step). Layer names are fixed so weights, checkpoints and optimiser state
 * match by name across processes. Any input size that is a multiple of
 * 2^(levels-1) works, so it trains on patches and predicts on the whole grid.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { UnetConfig } from './config';

type Tensor = Tf.SymbolicTensor;

export function buildUnet(tf: typeof Tf, config: UnetConfig, channels: number, seed: () => number): Tf.LayersModel {
  const input = tf.input({ shape: [null, null, channels] as unknown as number[], name: 'fields' });
  const block = (x: Tensor, filters: number, name: string): Tensor => {
    for (let i = 0; i < config.convs_per_level; i++) {
      x = tf.layers
        .conv2d({
          name: `${name}_conv${i}`,
          filters,
          kernelSize: config.kernel_size,
          padding: 'same',
          activation: config.activation,
          kernelInitializer: tf.initializers.heNormal({ seed: seed() }),
        })
        .apply(x) as Tensor;
    }
    // tfjs reuses a dropout seed for every mask, so this one draws from tfjs's own generator.
    if (config.dropout > 0) x = tf.layers.dropout({ name: `${name}_dropout`, rate: config.dropout }).apply(x) as Tensor;
    return x;
  };
  const levels = config.widths.length;
  const skips: Tensor[] = [];
  let x: Tensor = input;
  for (let l = 0; l < levels; l++) {
    x = block(x, config.widths[l]!, `enc${l}`);
    if (l < levels - 1) {
      skips.push(x);
      x = tf.layers.maxPooling2d({ name: `pool${l}`, poolSize: 2 }).apply(x) as Tensor;
    }
  }
  for (let l = levels - 2; l >= 0; l--) {
    x = tf.layers.upSampling2d({ name: `up${l}`, size: [2, 2] }).apply(x) as Tensor;
    x = tf.layers.concatenate({ name: `skip${l}` }).apply([x, skips[l]!]) as Tensor;
    x = block(x, config.widths[l]!, `dec${l}`);
  }
  const output = tf.layers
    .conv2d({ name: 'head', filters: 1, kernelSize: 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 1e-3, seed: seed() }) })
    .apply(x) as Tensor;
  return tf.model({ inputs: input, outputs: output, name: 'unet' });
}
