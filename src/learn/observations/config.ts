/**
 * Configuration of an observation forecast job (the JSON of `terra forecast
 * --config`, stored in the model folder): which data and how it is cut into
 * samples, the network, and how to train it. Every field is checked with a
 * message naming it; defaults train in seconds on a 2-core CPU.
 */
import { z } from 'zod';
import { optimiserSchema, scheduleSchema, unetSchema } from '../models/config';

const activation = z.enum(['relu', 'elu', 'tanh', 'swish', 'sigmoid']).default('elu');
/** Dropout masks come from tfjs's own generator: with dropout > 0 a seed no longer fixes the run. */
const dropout = z.number().min(0).lt(1).default(0);
const width = z.number().int().min(1).max(1024);
const year = z.number().int().min(1).max(9999);
/** Calendar years, first and last included. */
const yearRange = z.tuple([year, year]).refine(([a, b]) => a <= b, 'first year after last year');

/** Stations: windows of the last `lookback` rows at every input column -> the targets `horizon` rows later. */
export const stationDataSchema = z.strictObject({
  file: z.string().min(1),
  /** Station coordinate CSV (kept in provenance; stations are columns of `file`). */
  locations: z.string().min(1).optional(),
  /** Units of columns whose header names none ("kn"). */
  units: z.string().min(1).optional(),
  /** Zone of timestamps without an offset (UTC unless given). */
  time_zone: z.string().min(1).optional(),
  /** Input columns; default every numeric column. */
  inputs: z.array(z.string().min(1)).min(1).optional(),
  /** Predicted columns; default the inputs. */
  targets: z.array(z.string().min(1)).min(1).optional(),
  lookback: z.number().int().min(1).max(366).default(3),
  horizon: z.number().int().min(1).max(366).default(1),
  /** Day-of-year sine and cosine beside the values of each input row. */
  harmonics: z.boolean().default(true),
  /** Chronological split by calendar year; default the last ~15% of the years test, the ~15% before validation. */
  splits: z.strictObject({ train: yearRange, validation: yearRange, test: yearRange }).optional(),
});

export const gridVariableSchema = z.strictObject({
  file: z.string().min(1),
  /** NetCDF variable; default the file's largest gridded one. */
  variable: z.string().min(1).optional(),
  /** Units for reports where the file names none. */
  units: z.string().min(1).optional(),
});

/** Gridded fields: the last two frames of every variable -> the targets' tendency `horizon` steps on. */
export const gridDataSchema = z.strictObject({
  /** Variables by name; `u` and `v` (the wind) also give advection channels. */
  variables: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'), gridVariableSchema).refine((v) => Object.keys(v).length > 0, 'at least one variable'),
  targets: z.array(z.string().min(1)).min(1).default(['temperature', 'pressure']),
  horizon: z.number().int().min(1).max(64).default(1),
  /** The last time steps held out: test targets are the last `test_steps`, validation the `validation_steps` before them. */
  splits: z.strictObject({ validation_steps: z.number().int().min(1).default(8), test_steps: z.number().int().min(1).default(12) }).default({ validation_steps: 8, test_steps: 12 }),
});

export const stationMlpSchema = z.strictObject({ kind: z.literal('mlp'), hidden: z.array(width).min(1).max(8).default([64, 32]), activation, dropout });
const recurrent = {
  units: width.default(32),
  layers: z.number().int().min(1).max(3).default(1),
  /** Dense layers after the recurrent ones. */
  hidden: z.array(width).max(4).default([]),
  activation,
  dropout,
};
export const stationGruSchema = z.strictObject({ kind: z.literal('gru'), ...recurrent });
export const stationLstmSchema = z.strictObject({ kind: z.literal('lstm'), ...recurrent });
export const stationModelSchema = z.discriminatedUnion('kind', [stationMlpSchema, stationGruSchema, stationLstmSchema]);

/** Convolutions at full resolution ('same' padding), any grid size. */
export const gridCnnSchema = z.strictObject({
  kind: z.literal('cnn'),
  widths: z.array(width).min(1).max(8).default([32, 32, 32]),
  kernel_size: z.number().int().min(1).max(7).refine((k) => k % 2 === 1, 'an odd kernel size').default(3),
  activation,
  dropout,
});
export const gridModelSchema = z.discriminatedUnion('kind', [gridCnnSchema, unetSchema]);

/** How to fit: the flood trainer's optimiser and schedule settings, on whole samples instead of patches. */
export function fitSchema(defaults: { learning_rate: number; batch_size: number; epochs: number; patience: number }) {
  return z.strictObject({
    optimiser: optimiserSchema.default({ name: 'adam', beta1: 0.9, beta2: 0.999 }),
    learning_rate: z.number().gt(0).max(10).default(defaults.learning_rate),
    schedule: scheduleSchema.default({ type: 'cosine', min_lr: defaults.learning_rate / 20 }),
    l2: z.number().min(0).default(0),
    batch_size: z.number().int().min(1).max(4096).default(defaults.batch_size),
    epochs: z.number().int().min(1).max(100_000).default(defaults.epochs),
    /** Stop when the validation loss has not improved by min_delta for `patience` epochs; null to run every epoch. */
    early_stopping: z
      .strictObject({ patience: z.number().int().min(1).default(defaults.patience), min_delta: z.number().min(0).default(0) })
      .nullable()
      .default({ patience: defaults.patience, min_delta: 0 }),
    seed: z.number().int().min(0).default(1),
  });
}

const stationFit = fitSchema({ learning_rate: 2e-3, batch_size: 64, epochs: 30, patience: 6 });
const gridFit = fitSchema({ learning_rate: 2e-3, batch_size: 4, epochs: 60, patience: 12 });

export const stationForecastSchema = z.strictObject({
  kind: z.literal('stations'),
  data: stationDataSchema,
  model: stationModelSchema.default(stationMlpSchema.parse({ kind: 'mlp' })),
  training: stationFit.default(stationFit.parse({})),
});

export const gridForecastSchema = z.strictObject({
  kind: z.literal('grid'),
  data: gridDataSchema,
  model: gridModelSchema.default(gridCnnSchema.parse({ kind: 'cnn' })),
  training: gridFit.default(gridFit.parse({})),
});

export const forecastConfigSchema = z.discriminatedUnion('kind', [stationForecastSchema, gridForecastSchema]);

export type StationData = z.infer<typeof stationDataSchema>;
export type GridData = z.infer<typeof gridDataSchema>;
export type GridVariableSpec = z.infer<typeof gridVariableSchema>;
export type StationModelConfig = z.infer<typeof stationModelSchema>;
export type GridModelConfig = z.infer<typeof gridModelSchema>;
export type FitConfig = z.infer<ReturnType<typeof fitSchema>>;
export type StationForecastConfig = z.infer<typeof stationForecastSchema>;
export type GridForecastConfig = z.infer<typeof gridForecastSchema>;
export type ForecastConfig = z.infer<typeof forecastConfigSchema>;
