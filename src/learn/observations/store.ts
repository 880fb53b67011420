/**
 * A trained forecast model's folder:
 *
 *   model.json, weights.bin   tfjs artefacts (layers-model format, models/store.ts)
 *   terra-forecast.json       format + version, the resolved config (data files,
 *                             columns or variables, splits), the sample layout, units
 *   normalisation.json        training-split statistics (and the station climatology)
 *   provenance.json           files with SHA-256, samples per split, seed, backend, versions, timings
 *   metrics.json              training history, validation and test scores
 *
 * Every file is written atomically and terra-forecast.json last: a folder
 * without it (an interrupted first save) is not a model.
 */
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { TerraError } from '../../api/errors';
import { writeFileAtomic } from '../../core/atomic-write';
import { json, readJson, readLayersModel, writeLayersModel } from '../models/store';
import { forecastConfigSchema, type ForecastConfig, type GridForecastConfig, type StationForecastConfig } from './config';
import type { Climatology } from './climatology';
import type { GridNormalisation } from './grid-samples';
import type { StationNormalisation } from './windows';

export const FORECAST_FORMAT = 'terra-forecast';
export const FORECAST_VERSION = 1;
export const FORECAST_FILE = 'terra-forecast.json';

const finite = z.number().refine(Number.isFinite, 'a finite number');
const positive = finite.refine((v) => v > 0, 'a positive number');
const names = z.array(z.string().min(1)).min(1);
const meanStd = z.strictObject({ mean: finite, std: positive });

const stationLayoutSchema = z.strictObject({
  kind: z.literal('stations'),
  lookback: z.number().int().min(1),
  horizon: z.number().int().min(1),
  inputs: names,
  targets: names,
  harmonics: z.boolean(),
});
const gridLayoutSchema = z.strictObject({
  kind: z.literal('grid'),
  variables: names,
  targets: names,
  horizon: z.number().int().min(1),
  advection: z.boolean(),
  channels: names,
  rows: z.number().int().min(1),
  cols: z.number().int().min(1),
});

const metaSchema = z.strictObject({
  format: z.literal(FORECAST_FORMAT),
  version: z.literal(FORECAST_VERSION),
  created: z.string(),
  terra_version: z.string(),
  config: forecastConfigSchema,
  layout: z.discriminatedUnion('kind', [stationLayoutSchema, gridLayoutSchema]),
  /** Units of each target ("" when the data names none). */
  units: z.record(z.string(), z.string()),
});

const stationNormSchema = z.strictObject({
  columns: z.record(z.string(), meanStd),
  climatology: z.strictObject({ harmonics: z.number().int().min(0), coefficients: z.record(z.string(), z.array(finite)) }),
});
const gridNormSchema = z.strictObject({
  variables: z.record(z.string(), z.strictObject({ mean: finite, std: positive, step_std: positive, change_std: positive })),
});

export type ForecastMeta = z.infer<typeof metaSchema>;
export type StationNormFile = StationNormalisation & { climatology: Climatology };

export type StationMeta = ForecastMeta & { config: StationForecastConfig; layout: z.infer<typeof stationLayoutSchema> };
export type GridMeta = ForecastMeta & { config: GridForecastConfig; layout: z.infer<typeof gridLayoutSchema> };

export type SavedForecast =
  | { kind: 'stations'; model: Tf.LayersModel; meta: StationMeta; norm: StationNormFile }
  | { kind: 'grid'; model: Tf.LayersModel; meta: GridMeta; norm: GridNormalisation };

export function forecastMeta(config: ForecastConfig, layout: ForecastMeta['layout'], units: Record<string, string>, terraVersion: string): ForecastMeta {
  return { format: FORECAST_FORMAT, version: FORECAST_VERSION, created: new Date().toISOString(), terra_version: terraVersion, config, layout, units };
}

export async function saveForecast(
  dir: string,
  model: Tf.LayersModel,
  meta: ForecastMeta,
  norm: StationNormFile | GridNormalisation,
  extras: { provenance: Record<string, unknown>; metrics: Record<string, unknown> },
): Promise<void> {
  await writeLayersModel(dir, model);
  await writeFileAtomic(join(dir, 'normalisation.json'), json(norm));
  await writeFileAtomic(join(dir, 'provenance.json'), json(extras.provenance));
  await writeFileAtomic(join(dir, 'metrics.json'), json(extras.metrics));
  await writeFileAtomic(join(dir, FORECAST_FILE), json(meta));
}

/** Loads a forecast folder on the active tfjs backend, checking format, version, statistics and the network's shapes. */
export async function loadForecast(dir: string): Promise<SavedForecast> {
  const metaFile = join(dir, FORECAST_FILE);
  const fail = (file: string, field: string, problem: string) => new TerraError('INVALID_DATA', `${file}: ${field}: ${problem}`, { file, field });
  const raw = (await readJson(metaFile, 'not a Terra Twin forecast model folder (train one with terra forecast stations|grid)')) as { format?: unknown; version?: unknown } | null;
  if (raw?.format !== FORECAST_FORMAT) throw fail(metaFile, 'format', `not a Terra Twin forecast model (format ${JSON.stringify(raw?.format)})`);
  if (raw.version !== FORECAST_VERSION) throw fail(metaFile, 'version', `version ${JSON.stringify(raw.version)}; this Terra Twin reads version ${FORECAST_VERSION}: retrain it`);
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(metaFile, issue.path.join('.') || '(root)', issue.message);
  }
  const meta = parsed.data;
  if (meta.layout.kind !== meta.config.kind) throw fail(metaFile, 'layout.kind', `a ${meta.layout.kind} layout for a ${meta.config.kind} config`);
  const normFile = join(dir, 'normalisation.json');
  const normRaw = await readJson(normFile, 'no normalisation statistics in the model folder');
  const layout = meta.layout;
  const normParsed = layout.kind === 'stations' ? stationNormSchema.safeParse(normRaw) : gridNormSchema.safeParse(normRaw);
  if (!normParsed.success) {
    const issue = normParsed.error.issues[0]!;
    throw fail(normFile, issue.path.join('.') || '(root)', issue.message);
  }
  const norm = normParsed.data;
  const needed = layout.kind === 'stations' ? [...layout.inputs, ...layout.targets] : layout.variables;
  const have = layout.kind === 'stations' ? (norm as StationNormFile).columns : (norm as GridNormalisation).variables;
  for (const name of needed) if (!have[name]) throw fail(normFile, name, `no statistics for "${name}"`);
  if (layout.kind === 'stations') {
    for (const t of layout.targets) if (!(norm as StationNormFile).climatology.coefficients[t]) throw fail(normFile, `climatology.coefficients.${t}`, 'missing');
  }
  const model = await readLayersModel(dir);
  const shape = model.inputs[0]?.shape ?? [];
  const features = layout.kind === 'stations' ? layout.inputs.length + (layout.harmonics ? 2 : 0) : layout.channels.length;
  const expected = layout.kind === 'stations' ? [layout.lookback, features] : [features];
  const got = layout.kind === 'stations' ? shape.slice(1) : shape.slice(3);
  if (got.join() !== expected.join()) {
    model.dispose();
    throw fail(join(dir, 'model.json'), 'modelTopology', `the network takes inputs of shape [${got.join(', ')}] but ${FORECAST_FILE} describes [${expected.join(', ')}]`);
  }
  return layout.kind === 'stations' ? { kind: 'stations', model, meta: meta as StationMeta, norm: norm as StationNormFile } : { kind: 'grid', model, meta: meta as GridMeta, norm: norm as GridNormalisation };
}
