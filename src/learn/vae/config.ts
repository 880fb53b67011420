/**
 * Configuration of a field VAE (the JSON of `terra vae train --config`,
 * stored in the model folder): which fields and how they are cut into
 * patches, the network, and how to train it. Every field is checked with a
 * message naming it.
 */
import { z } from 'zod';
import { TerraError } from '../../api/errors';

const width = z.number().int().min(1).max(256);

const patchFields = {
  /** Side of the square patches, cells; a multiple of 2^levels. */
  patch: z.number().int().min(8).max(256).default(64),
  /** Step between patch corners within a band, cells. */
  stride: z.number().int().min(1).max(256).default(16),
  /** Share of the columns, at the east end, held out for the test; the band west of it, for validation. */
  test_share: z.number().gt(0).lt(0.5).default(0.2),
  validation_share: z.number().gt(0).lt(0.5).default(0.2),
};

/** A flood dataset's max-depth fields (terra dataset): each band takes its own split's scenarios. */
export const floodSourceSchema = z.strictObject({
  kind: z.literal('flood'),
  dataset: z.string().min(1),
  ...patchFields,
  /** Patches with a smaller share of cells at or above `wet_depth_m` are left out (dry hillsides say nothing about floods). */
  min_wet: z.number().min(0).max(1).default(0.02),
  wet_depth_m: z.number().gt(0).default(0.05),
});

/** One raster of terrain (what terra's DEM readers take, in metres): its relief, each patch less its own mean. */
export const rasterSourceSchema = z.strictObject({
  kind: z.literal('raster'),
  file: z.string().min(1),
  ...patchFields,
});

export const vaeDataSchema = z
  .discriminatedUnion('kind', [floodSourceSchema, rasterSourceSchema])
  .refine((d) => d.test_share + d.validation_share < 0.8, { message: 'test_share + validation_share must leave a training band (< 0.8)', path: ['validation_share'] });

export const vaeModelSchema = z.strictObject({
  /** Dimensions of the latent space. */
  latent: z.number().int().min(1).max(512).default(16),
  /** Filters per level, full resolution first; each level halves the patch (max pooling), the decoder mirrors it. */
  widths: z.array(width).min(1).max(5).default([8, 16, 32]),
  activation: z.enum(['relu', 'elu', 'tanh', 'swish']).default('elu'),
});

export const vaeTrainingSchema = z.strictObject({
  /** Weight of the KL term: 1 is the ELBO with a unit-variance Gaussian decoder on standardised values; < 1 favours reconstruction. */
  beta: z.number().min(0).max(100).default(1),
  learning_rate: z.number().gt(0).max(1).default(1e-3),
  batch_size: z.number().int().min(1).max(1024).default(32),
  epochs: z.number().int().min(1).max(10_000).default(20),
  /** Random flips and transposes of training patches (no preferred direction). */
  augment: z.boolean().default(true),
  early_stopping: z.strictObject({ patience: z.number().int().min(1).default(5) }).nullable().default({ patience: 5 }),
  seed: z.number().int().min(0).default(1),
});

export const vaeConfigSchema = z.strictObject({
  data: vaeDataSchema,
  model: vaeModelSchema.default(vaeModelSchema.parse({})),
  training: vaeTrainingSchema.default(vaeTrainingSchema.parse({})),
});

export type VaeData = z.infer<typeof vaeDataSchema>;
export type FloodSource = z.infer<typeof floodSourceSchema>;
export type RasterSource = z.infer<typeof rasterSourceSchema>;
export type VaeModelConfig = z.infer<typeof vaeModelSchema>;
export type VaeTraining = z.infer<typeof vaeTrainingSchema>;
export type VaeConfig = z.infer<typeof vaeConfigSchema>;

/** The config as zod parses it, each problem named by its field. */
export function parseVaeConfig(raw: unknown, source?: string): VaeConfig {
  const parsed = vaeConfigSchema.safeParse(raw);
  if (parsed.success) {
    const c = parsed.data;
    const multiple = 2 ** c.model.widths.length;
    if (c.data.patch % multiple !== 0) throw configError(source, 'data.patch', `${c.data.patch} is not a multiple of ${multiple} (2^levels, model.widths has ${c.model.widths.length})`);
    return c;
  }
  const issue = parsed.error.issues[0]!;
  throw configError(source, issue.path.join('.') || '(root)', issue.message);
}

function configError(source: string | undefined, field: string, problem: string): TerraError {
  return new TerraError('INVALID_PARAMS', `${source ? `${source}: ` : ''}${field}: ${problem}`, { field, ...(source ? { file: source } : {}) });
}
