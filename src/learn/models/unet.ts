/**
 * U-Net (Ronneberger et al. 2015), field to field: per level convolutions,
 * 2x2 max pooling down, nearest upsampling and a skip connection up, a 1x1
 * head. The first convolution of a decoder level runs on the upsampled
 * field and on the skip separately and sums them: the same function as one
 * convolution over their concatenation, without copying both into one
 * tensor (channel concatenation costs as much as the convolutions on wasm).
 * The head starts with tiny weights: the output is a residual on the
 * response-surface baseline (inputs.ts), so training starts next to it, and
 * not at zero, so the layers below get gradients from the first step.
 * Layer names are fixed so weights, checkpoints and optimiser state match by
 * name across processes. Any input size that is a multiple of 2^(levels-1)
 * works, so it trains on patches and predicts on the whole grid.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { UnetConfig } from './config';

type Tensor = Tf.SymbolicTensor;

export function buildUnet(tf: typeof Tf, config: UnetConfig, channels: number, seed: () => number, outputs = 1): Tf.LayersModel {
  const input = tf.input({ shape: [null, null, channels] as unknown as number[], name: 'fields' });
  const conv = (name: string, filters: number, activation: UnetConfig['activation'] | 'linear', useBias = true) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize: config.kernel_size,
      padding: 'same',
      activation,
      useBias,
      kernelInitializer: tf.initializers.heNormal({ seed: seed() }),
    });
  const dropout = (x: Tensor, name: string): Tensor =>
    // tfjs reuses a dropout seed for every mask, so this one draws from tfjs's own generator.
    config.dropout > 0 ? (tf.layers.dropout({ name: `${name}_dropout`, rate: config.dropout }).apply(x) as Tensor) : x;

  const levels = config.widths.length;
  const skips: Tensor[] = [];
  let x: Tensor = input;
  for (let l = 0; l < levels; l++) {
    for (let i = 0; i < config.convs_per_level; i++) x = conv(`enc${l}_conv${i}`, config.widths[l]!, config.activation).apply(x) as Tensor;
    x = dropout(x, `enc${l}`);
    if (l < levels - 1) {
      skips.push(x);
      x = tf.layers.maxPooling2d({ name: `pool${l}`, poolSize: 2 }).apply(x) as Tensor;
    }
  }
  for (let l = levels - 2; l >= 0; l--) {
    const filters = config.widths[l]!;
    const up = tf.layers.upSampling2d({ name: `up${l}`, size: [2, 2] }).apply(x) as Tensor;
    const fromUp = conv(`dec${l}_conv0_up`, filters, 'linear', false).apply(up) as Tensor;
    const fromSkip = conv(`dec${l}_conv0_skip`, filters, 'linear').apply(skips[l]!) as Tensor;
    x = tf.layers.add({ name: `dec${l}_sum` }).apply([fromUp, fromSkip]) as Tensor;
    x = tf.layers.activation({ name: `dec${l}_act0`, activation: config.activation }).apply(x) as Tensor;
    for (let i = 1; i < config.convs_per_level; i++) x = conv(`dec${l}_conv${i}`, filters, config.activation).apply(x) as Tensor;
    x = dropout(x, `dec${l}`);
  }
  const output = tf.layers
    .conv2d({ name: 'head', filters: outputs, kernelSize: 1, kernelInitializer: tf.initializers.randomNormal({ stddev: 1e-3, seed: seed() }) })
    .apply(x) as Tensor;
  return tf.model({ inputs: input, outputs: output, name: 'unet' });
}
