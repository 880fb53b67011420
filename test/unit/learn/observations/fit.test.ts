/** The generic trainer on tiny synthetic data: progress, early stopping with the best weights, cancel, seeds, masked loss. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../../../src/learn/backend/activate';
import { fit, predictAll, weightedMse, type FitData, type FitEvent } from '../../../../src/learn/train/fit';
import { fitSchema } from '../../../../src/learn/observations/config';
import { buildStationModel } from '../../../../src/learn/observations/models';

beforeAll(async () => {
  expect(await activateBackend('cpu')).toBeNull();
});

const settings = (extra: object = {}) => fitSchema({ learning_rate: 1e-2, batch_size: 8, epochs: 6, patience: 1 }).parse({ schedule: { type: 'constant' }, seed: 3, ...extra });
const model = (seed = 3) => buildStationModel(tf, { kind: 'mlp', hidden: [8], activation: 'elu', dropout: 0 }, 2, 3, 1, seed);

/** Targets a fixed linear function of the inputs. */
function linear(n: number, offset: number): FitData['train'] {
  const x = Float32Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 0.7 + offset));
  const y = Float32Array.from({ length: n }, (_, i) => 0.5 * x[i * 6]! - 0.3 * x[i * 6 + 5]!);
  return { x, y };
}

describe('fit', () => {
  it('reports batches and epochs, learns, and is reproducible from its seed', async () => {
    const data: FitData = { xShape: [2, 3], yShape: [1], train: linear(40, 0), validation: linear(16, 100) };
    const events: FitEvent[] = [];
    const m = model();
    const r = await fit(tf, m, data, settings({ early_stopping: null }), { onEvent: (e) => events.push(e) });
    expect(r.status).toBe('completed');
    expect(events.filter((e) => e.type === 'batch')).toHaveLength(6 * 5);
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.record] : []));
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(epochs.every((e) => e.samples_per_s > 0)).toBe(true);
    expect(epochs.at(-1)!.val_loss).toBeLessThan(epochs[0]!.val_loss);
    const again = await fit(tf, model(), data, settings({ early_stopping: null }));
    expect(again.history.map((h) => h.val_loss)).toEqual(r.history.map((h) => h.val_loss));
    m.dispose();
  });

  it('stops early and keeps the best epoch\'s weights', async () => {
    // Validation targets opposite to the training ones: every epoch after the first is worse.
    const train = linear(40, 0);
    const validation = { x: train.x, y: train.y.map((v) => -v - 1) };
    const m = model();
    const r = await fit(tf, m, { xShape: [2, 3], yShape: [1], train, validation }, settings({ epochs: 20 }));
    expect(r.status).toBe('early-stopped');
    expect(r.bestEpoch).toBe(1);
    expect(r.epochs).toBe(2);
    const out = await predictAll(tf, m, validation.x, [2, 3], 64);
    expect(weightedMse(out, validation.y, [1])).toBeCloseTo(r.history[0]!.val_loss, 5);
    m.dispose();
  });

  it('cancels between batches', async () => {
    const controller = new AbortController();
    const m = model();
    const r = await fit(tf, m, { xShape: [2, 3], yShape: [1], train: linear(40, 0), validation: linear(8, 1) }, settings(), {
      signal: controller.signal,
      onEvent: (e) => e.type === 'batch' && e.batch === 1 && controller.abort(),
    });
    expect(r.status).toBe('cancelled');
    expect(r.epochs).toBe(0);
    m.dispose();
  });

  it('weights the loss by a cell mask as tfjs does', () => {
    // [2 samples, 2 cells, 2 targets], the second cell masked out.
    const a = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = Float32Array.from([0, 0, 9, 9, 5, 8, 0, 0]);
    const w = { values: Float32Array.from([1, 0]), shape: [2, 1] };
    expect(weightedMse(a, b, [2, 2], w)).toBeCloseTo((1 + 4 + 0 + 4) / 4, 12);
    const ours = tf.tidy(() => tf.losses.meanSquaredError(tf.tensor(b, [2, 2, 2]), tf.tensor(a, [2, 2, 2]), tf.tensor(w.values, [1, 2, 1])).dataSync()[0]!);
    expect(ours).toBeCloseTo(9 / 4, 5);
  });
});
