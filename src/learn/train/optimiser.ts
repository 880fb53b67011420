/** tfjs optimisers from the config, and setting their rate between epochs. */
import type * as Tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../models/config';

export function makeOptimiser(tf: typeof Tf, config: TrainingConfig['optimiser'], learningRate: number): Tf.Optimizer {
  return config.name === 'adam'
    ? tf.train.adam(learningRate, config.beta1, config.beta2)
    : tf.train.momentum(learningRate, config.momentum, config.nesterov);
}

export function setLearningRate(optimiser: Tf.Optimizer, rate: number): void {
  // SGD/momentum cache the rate in a scalar (setLearningRate); Adam reads the field at every step.
  const o = optimiser as unknown as { setLearningRate?: (r: number) => void; learningRate: number };
  if (o.setLearningRate) o.setLearningRate(rate);
  else o.learningRate = rate;
}
