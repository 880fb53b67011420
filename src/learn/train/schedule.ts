/** The learning rate of an epoch (0-based) under the configured schedule. */
import type { TrainingConfig } from '../models/config';

export function learningRateAt(training: Pick<TrainingConfig, 'learning_rate' | 'schedule' | 'epochs'>, epoch: number): number {
  const base = training.learning_rate;
  const s = training.schedule;
  switch (s.type) {
    case 'constant':
      return base;
    case 'step':
      return base * s.factor ** Math.floor(epoch / s.every);
    case 'exponential':
      return base * s.decay ** epoch;
    case 'cosine': {
      const progress = training.epochs > 1 ? Math.min(1, epoch / (training.epochs - 1)) : 1;
      return s.min_lr + 0.5 * (base - s.min_lr) * (1 + Math.cos(Math.PI * progress));
    }
  }
}
