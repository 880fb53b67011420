/** Builds the configured network with weights drawn from the job's seed. */
import type * as Tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import type { ModelConfig } from './config';
import { buildMlp } from './mlp';
import { buildUnet } from './unet';

export function buildModel(tf: typeof Tf, config: ModelConfig, channels: number, seed: number): Tf.LayersModel {
  const rng = new Rng(seed);
  const next = () => rng.seed();
  return config.kind === 'unet' ? buildUnet(tf, config, channels, next) : buildMlp(tf, config, channels, next);
}
