/**
 * One optimisation step: mean squared error of the encoded target plus l2
 * times the sum of squared kernel weights, minimised over the model's
 * trainable weights only (other models in the process keep theirs).
 * Optional loss weights (a cell mask, broadcast over the batch) average the
 * error over the cells they select.
 */
import type * as Tf from '@tensorflow/tfjs';

export type Step = (x: Tf.Tensor, y: Tf.Tensor) => Promise<number>;

export function makeStep(tf: typeof Tf, model: Tf.LayersModel, optimiser: Tf.Optimizer, l2: number, weights?: Tf.Tensor): Step {
  const variables = model.trainableWeights.map((w) => w.read() as Tf.Variable);
  const kernels = variables.filter((v) => /kernel/.test(v.name));
  return async (x, y) => {
    const loss = optimiser.minimize(
      () =>
        tf.tidy(() => {
          const mse = tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as Tf.Tensor, weights) as Tf.Scalar;
          return l2 > 0 ? mse.add(tf.addN(kernels.map((k) => k.square().sum())).mul(l2)) : mse;
        }),
      true,
      variables,
    )!;
    try {
      return (await loss.data())[0]!;
    } finally {
      loss.dispose();
    }
  };
}
