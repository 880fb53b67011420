/**
 * A learning job's configuration (the JSON of `terra train --config`): the
 * network and how to train it. Defaults are what trains well in minutes on a
 * 2-core CPU (wasm) for the Jacksboro rain family; every field is checked
 * with a message naming it.
 */
import { z } from 'zod';

const activation = z.enum(['relu', 'elu', 'tanh', 'swish', 'sigmoid']).default('elu');
const dropout = z.number().min(0).lt(1).default(0);
const width = z.number().int().min(1).max(1024);

export const unetSchema = z.strictObject({
  kind: z.literal('unet'),
  /** Filters per level, full resolution first; each further level halves the grid. */
  widths: z.array(width).min(1).max(6).default([4, 8, 16, 24]),
  convs_per_level: z.number().int().min(1).max(4).default(1),
  kernel_size: z.number().int().min(1).max(7).refine((k) => k % 2 === 1, 'an odd kernel size').default(3),
  activation,
  /** After each level's convolutions, while training. */
  dropout,
});

/** A per-cell MLP: dense layers over the channels of each cell (a field in, a field out). */
export const mlpSchema = z.strictObject({
  kind: z.literal('mlp'),
  hidden: z.array(width).min(1).max(16).default([32, 32]),
  activation,
  dropout,
});

export const optimiserSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('adam'), beta1: z.number().min(0).lt(1).default(0.9), beta2: z.number().min(0).lt(1).default(0.999) }),
  z.strictObject({ name: z.literal('sgd'), momentum: z.number().min(0).lt(1).default(0.9), nesterov: z.boolean().default(false) }),
]);

export const scheduleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant') }),
  /** Multiplies the rate by `factor` every `every` epochs. */
  z.strictObject({ type: z.literal('step'), every: z.number().int().min(1), factor: z.number().gt(0).max(1) }),
  z.strictObject({ type: z.literal('exponential'), decay: z.number().gt(0).max(1) }),
  /** Cosine from the rate down to min_lr over the epochs. */
  z.strictObject({ type: z.literal('cosine'), min_lr: z.number().min(0).default(0) }),
]);

export const trainingSchema = z.strictObject({
  optimiser: optimiserSchema.default({ name: 'adam', beta1: 0.9, beta2: 0.999 }),
  learning_rate: z.number().gt(0).max(10).default(2e-3),
  schedule: scheduleSchema.default({ type: 'cosine', min_lr: 1e-4 }),
  /** Weight of the sum of squared kernel weights in the loss. */
  l2: z.number().min(0).default(0),
  batch_size: z.number().int().min(1).max(1024).default(8),
  /** Side of the square training patches (cells); a multiple of 2^(levels-1) for a U-Net. */
  patch_size: z.number().int().min(4).max(4096).default(64),
  batches_per_epoch: z.number().int().min(1).default(32),
  epochs: z.number().int().min(1).max(100_000).default(40),
  /** Stop when the validation loss has not improved by min_delta for `patience` epochs; null to run every epoch. */
  early_stopping: z
    .strictObject({ patience: z.number().int().min(1).default(10), min_delta: z.number().min(0).default(0) })
    .nullable()
    .default({ patience: 10, min_delta: 0 }),
  /** Random flips of the patches (the physics has no preferred direction along an axis). */
  augment: z.boolean().default(true),
  /** Share of patches centred on a cell that is wet (>= 5 cm) in the target: dry hillsides are most of the grid and easy. */
  wet_patch_fraction: z.number().min(0).max(1).default(0.6),
  seed: z.number().int().min(0).default(1),
});

export const learnConfigSchema = z.strictObject({
  model: z.discriminatedUnion('kind', [unetSchema, mlpSchema]).default(unetSchema.parse({ kind: 'unet' })),
  training: trainingSchema.default(trainingSchema.parse({})),
});

export type UnetConfig = z.infer<typeof unetSchema>;
export type MlpConfig = z.infer<typeof mlpSchema>;
export type ModelConfig = UnetConfig | MlpConfig;
export type TrainingConfig = z.infer<typeof trainingSchema>;
export type LearnConfig = z.infer<typeof learnConfigSchema>;

/** Fields sizes must be a multiple of this for the model (U-Net: 2^(levels-1)). */
export function sizeMultiple(model: ModelConfig): number {
  return model.kind === 'unet' ? 2 ** (model.widths.length - 1) : 1;
}
