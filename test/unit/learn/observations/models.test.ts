import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../../../src/learn/backend/activate';
import { gridModelSchema, stationModelSchema } from '../../../../src/learn/observations/config';
import { buildGridModel, buildStationModel, describeModel, gridMultiple } from '../../../../src/learn/observations/models';

beforeAll(async () => {
  expect(await activateBackend('cpu')).toBeNull();
});

describe('forecast networks', () => {
  it('station networks map [n, lookback, features] to [n, targets], start near persistence, and draw weights from the seed', () => {
    for (const kind of ['mlp', 'gru', 'lstm'] as const) {
      const config = stationModelSchema.parse({ kind, ...(kind === 'mlp' ? { hidden: [8] } : { units: 4, layers: 2, hidden: [4] }) });
      const m = buildStationModel(tf, config, 3, 5, 2, 11);
      const y = tf.tidy(() => (m.predict(tf.randomNormal([4, 3, 5], 0, 1, 'float32', 1)) as tf.Tensor).arraySync() as number[][]);
      expect([y.length, y[0]!.length]).toEqual([4, 2]);
      expect(Math.max(...y.flat().map(Math.abs))).toBeLessThan(0.1); // the head starts with tiny weights
      const twin = buildStationModel(tf, config, 3, 5, 2, 11);
      m.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(twin.getWeights()[i]!.dataSync()));
      expect(describeModel(config)).toMatch(kind === 'mlp' ? /^MLP 8$/ : new RegExp(`^${kind.toUpperCase()} 4/4 \\+ dense 4$`));
      m.dispose();
      twin.dispose();
    }
  });

  it('grid networks map fields to fields of the targets, the U-Net at its size multiple', () => {
    const cnn = gridModelSchema.parse({ kind: 'cnn', widths: [4] });
    const unet = gridModelSchema.parse({ kind: 'unet', widths: [4, 8] });
    expect([gridMultiple(cnn), gridMultiple(unet)]).toEqual([1, 2]);
    for (const [config, rows] of [[cnn, 33], [unet, 34]] as const) {
      const m = buildGridModel(tf, config, 6, 2, 5);
      const shape = tf.tidy(() => (m.predict(tf.zeros([1, rows, 36, 6])) as tf.Tensor).shape);
      expect(shape).toEqual([1, rows, 36, 2]);
      m.dispose();
    }
  });
});
