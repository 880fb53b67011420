import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/learn/models/build';
import { learnConfigSchema, sizeMultiple } from '../../../src/learn/models/config';
import { makeOptimiser, setLearningRate } from '../../../src/learn/train/optimiser';
import { learningRateAt } from '../../../src/learn/train/schedule';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('learning config', () => {
  it('fills defaults and checks every field by name', () => {
    const c = learnConfigSchema.parse({});
    expect(c.model.kind).toBe('unet');
    expect(c.training.optimiser.name).toBe('adam');
    const bad = learnConfigSchema.safeParse({ model: { kind: 'unet', kernel_size: 4 }, training: { optimiser: { name: 'sgd', momentum: 1.5 } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(['model.kernel_size', 'training.optimiser.momentum']);
    expect(learnConfigSchema.safeParse({ model: { kind: 'cnn' } }).success).toBe(false);
  });
});

describe('networks', () => {
  it('U-Net maps a field to a field of the same size, for any multiple of 2^(levels-1)', () => {
    const config = learnConfigSchema.parse({ model: { kind: 'unet', widths: [4, 6, 8], convs_per_level: 1, activation: 'elu' } }).model;
    expect(sizeMultiple(config)).toBe(4);
    const model = buildModel(tf, config, 5, 1);
    for (const [h, w] of [
      [8, 12],
      [16, 4],
    ] as const) {
      const y = model.predict(tf.ones([2, h, w, 5])) as tf.Tensor;
      expect(y.shape).toEqual([2, h, w, 1]);
      y.dispose();
    }
    expect(model.layers.map((l) => l.name)).toEqual(expect.arrayContaining(['dec0_conv0_up', 'dec0_conv0_skip', 'dec0_sum']));
    model.dispose();
  });

  it('MLP maps each cell alone: changing one cell changes only its output', () => {
    const config = learnConfigSchema.parse({ model: { kind: 'mlp', hidden: [8, 8], activation: 'tanh' } }).model;
    expect(sizeMultiple(config)).toBe(1);
    const model = buildModel(tf, config, 3, 2);
    const x = tf.randomNormal([1, 3, 4, 3], 0, 1, 'float32', 7);
    const y0 = (model.predict(x) as tf.Tensor).dataSync();
    const bump = tf.zeros([1, 3, 4, 3]).bufferSync();
    bump.set(1, 0, 1, 2, 0);
    const y1 = (model.predict(x.add(bump.toTensor())) as tf.Tensor).dataSync();
    const changed = Array.from(y0).map((v, i) => (v !== y1[i] ? i : -1)).filter((i) => i >= 0);
    expect(changed).toEqual([1 * 4 + 2]);
    model.dispose();
  });

  it('draws the same weights from the same seed, other weights from another', () => {
    const config = learnConfigSchema.parse({ model: { kind: 'mlp', hidden: [4] } }).model;
    const weights = (seed: number) => {
      const m = buildModel(tf, config, 2, seed);
      const w = m.getWeights()[0]!.dataSync().slice();
      m.dispose();
      return Array.from(w);
    };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });
});

describe('learning-rate schedules', () => {
  const base = { learning_rate: 0.1, epochs: 11 };
  it('follow their formulas', () => {
    expect(learningRateAt({ ...base, schedule: { type: 'constant' } }, 7)).toBe(0.1);
    expect(learningRateAt({ ...base, schedule: { type: 'step', every: 3, factor: 0.5 } }, 7)).toBeCloseTo(0.025, 12);
    expect(learningRateAt({ ...base, schedule: { type: 'exponential', decay: 0.9 } }, 2)).toBeCloseTo(0.081, 12);
    const cosine = { ...base, schedule: { type: 'cosine' as const, min_lr: 0.01 } };
    expect(learningRateAt(cosine, 0)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(cosine, 5)).toBeCloseTo(0.055, 12);
    expect(learningRateAt(cosine, 10)).toBeCloseTo(0.01, 12);
  });

  it('reach the optimisers: a step of plain SGD moves a weight by rate x gradient', () => {
    for (const config of [{ name: 'sgd' as const, momentum: 0, nesterov: false }, { name: 'adam' as const, beta1: 0.9, beta2: 0.999 }]) {
      const v = tf.variable(tf.scalar(1));
      const opt = makeOptimiser(tf, config, 1);
      setLearningRate(opt, 0.01);
      opt.minimize(() => v.mul(3).sum() as tf.Scalar, false, [v]);
      // d(3v)/dv = 3: SGD moves 0.03; Adam's first step moves the rate itself.
      expect(v.dataSync()[0]).toBeCloseTo(config.name === 'sgd' ? 0.97 : 0.99, 5);
      opt.dispose();
      v.dispose();
    }
  });
});
