import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { TerraError } from '../../../src/api/errors';
import { activateBackend } from '../../../src/learn/backend/activate';
import { describeFailure, parseBackendName, selectBackend } from '../../../src/learn/backend/select';

/** Gradients of a convolution's loss with respect to its filter and its input. */
const gradients = (stride: number, pad: 'same' | 'valid') => {
  const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const f = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
  const loss = (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.conv2d(xx, ff, stride, pad).square().sum();
  return [tf.grad((w: tf.Tensor) => loss(x, w as tf.Tensor4D))(f).dataSync(), tf.grad((v: tf.Tensor) => loss(v as tf.Tensor4D, f))(x).dataSync()];
};

describe('wasm backend for training', () => {
  it('gets fast convolution gradients that agree with the cpu backend', async () => {
    expect(await activateBackend('cpu')).toBeNull();
    const reference = [...gradients(1, 'same'), ...gradients(1, 'valid')];
    expect(await activateBackend('wasm')).toBeNull();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const got = [...gradients(1, 'same'), ...gradients(1, 'valid')];
    got.forEach((g, i) => g.forEach((v, k) => expect(v).toBeCloseTo(reference[i]![k]!, 2)));
    expect(() => gradients(2, 'same')).toThrow(/only NHWC, stride 1/);
    await activateBackend('cpu');
  });

  it('multiplies transposed operands and concatenates as the cpu backend does', async () => {
    const a = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3);
    const b = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 4);
    const c = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 5);
    const d = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 6);
    const products = () => [
      tf.matMul(a, b, true, false).dataSync(),
      tf.matMul(b, c, false, false).dataSync(),
      tf.matMul(a, c, false, true).dataSync(),
      tf.concat([a, b, tf.zeros([2, 5, 0])], 2).dataSync(),
      tf.concat([a, d], 1).dataSync(),
    ];
    await activateBackend('cpu');
    const reference = products();
    await activateBackend('wasm');
    products().forEach((p, i) => p.forEach((v, k) => expect(v).toBeCloseTo(reference[i]![k]!, 4)));
    await activateBackend('cpu');
  });
});

describe('backend choice for a learning job', () => {
  it('falls back past backends that lack a kernel, saying which', async () => {
    const tried: string[] = [];
    const report = await selectBackend({
      override: 'wasm',
      probe: async () => {
        tried.push(tf.getBackend());
        if (tf.getBackend() !== 'cpu') throw new Error(`Kernel 'FancyGrad' not registered for backend '${tf.getBackend()}'`);
      },
    });
    expect(report.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(tried[0]).toBe('wasm');
    expect(tried.at(-1)).toBe('cpu');
    expect(report.notes).toContain('wasm: lacks the FancyGrad kernel this model needs; trying the next backend');
  });

  it('puts TERRA_BACKEND first when no flag names one', async () => {
    process.env.TERRA_BACKEND = 'cpu';
    try {
      expect((await selectBackend({ probe: async () => undefined })).backend).toBe('cpu');
    } finally {
      delete process.env.TERRA_BACKEND;
    }
  });

  it('refuses an unknown backend name', async () => {
    expect(() => parseBackendName('gpu')).toThrow(TerraError);
    await expect(selectBackend({ override: 'cuda', probe: async () => undefined })).rejects.toThrow(/backend: "cuda" is not one of tensorflow, webgpu, wasm, cpu/);
  });

  it('describes other failures by their message', () => {
    expect(describeFailure(new Error('out of memory'))).toBe('out of memory');
  });
});
