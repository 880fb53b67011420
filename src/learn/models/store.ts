/**
 * A trained model's folder:
 *
 *   model.json, weights.bin   tfjs artefacts (layers-model format)
 *   terra-model.json          format + version, config, input channels, target, grid
 *   normalisation.json        the dataset's statistics the inputs and target are scaled with
 *   static.npy                the static channels (terrain, response surface): prediction needs no dataset
 *   reach.npy                 1 on the cells the training storms flooded (reach.ts), else 0
 *   provenance.json           dataset, scenarios per split, seed, backend, versions, timings
 *   metrics.json              training history and validation scores
 *
 * Every file is written atomically and terra-model.json last: a folder
 * without it (an interrupted first save) is not a model.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { TerraError } from '../../api/errors';
import type { Georeference } from '../../api/types';
import { writeFileAtomic } from '../../core/atomic-write';
import type { NormalisationStats } from '../dataset/manifest';
import { encodeNpyFloat32 } from '../../io/npy-write';
import { readArray } from '../dataset/load';
import { learnConfigSchema, type LearnConfig } from './config';

export const MODEL_FORMAT = 'terra-model';
export const MODEL_VERSION = 1;
export const MODEL_FILE = 'terra-model.json';

const finite = z.number().refine(Number.isFinite, 'a finite number');
const stat = z.strictObject({ mean: finite, std: finite.refine((v) => v > 0, 'a positive number') });
const statsSchema = z.strictObject({ inputs: z.record(z.string(), stat), target: stat });

const modelMetaSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  created: z.string(),
  terra_version: z.string(),
  config: learnConfigSchema,
  inputs: z.strictObject({ static: z.array(z.string()).min(1), forcing: z.array(z.string()) }),
  target: z.strictObject({ name: z.literal('max_depth'), units: z.literal('m'), transform: z.literal('sqrt') }),
  grid: z.strictObject({ nx: z.number().int(), ny: z.number().int(), x0: finite, y0: finite, dx: finite, dy: finite, crs: z.string(), dxMetres: finite, dyMetres: finite }),
  /** The forcing the training scenarios spanned: beyond it the surrogate extrapolates. */
  trained_on: z.strictObject({ intensity_mm_h: z.tuple([finite, finite]), duration_min: z.tuple([finite, finite]) }),
  /** How the training storms were simulated (the dataset's family): "verify with physics" runs the same. */
  simulation: z
    .strictObject({ scheme: z.enum(['fv', 'inertial']), cfl: finite, manning: finite, tail_min: finite })
    .optional(),
  /** The cells some training storm flooded to depth_m or more (reach.ts); absent in older models. */
  reach: z.strictObject({ depth_m: finite, cells: z.number().int().min(0) }).optional(),
});

export type ModelMeta = z.infer<typeof modelMetaSchema>;

export interface SavedModel {
  model: Tf.LayersModel;
  meta: ModelMeta;
  stats: NormalisationStats;
  /** Static channels, channel-major. */
  static: Float32Array;
  /** Reach cells, ascending (reach.ts). */
  reach?: Int32Array;
}

export interface ModelExtras {
  provenance: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

export async function saveModel(dir: string, saved: SavedModel, extras: ModelExtras): Promise<void> {
  const { model, meta, stats } = saved;
  await writeLayersModel(dir, model);
  await writeFileAtomic(join(dir, 'normalisation.json'), json(stats));
  await writeFileAtomic(join(dir, 'static.npy'), encodeNpyFloat32(saved.static, [meta.inputs.static.length, meta.grid.ny, meta.grid.nx]));
  if (saved.reach) {
    const mask = new Float32Array(meta.grid.nx * meta.grid.ny);
    for (const k of saved.reach) mask[k] = 1;
    await writeFileAtomic(join(dir, 'reach.npy'), encodeNpyFloat32(mask, [meta.grid.ny, meta.grid.nx]));
  }
  await writeFileAtomic(join(dir, 'provenance.json'), json(extras.provenance));
  await writeFileAtomic(join(dir, 'metrics.json'), json(extras.metrics));
  await writeFileAtomic(join(dir, MODEL_FILE), json(meta));
}

/** The tfjs artefacts of a network: model.json (topology + weights manifest) and weights.bin, each written atomically. */
export async function writeLayersModel(dir: string, model: Tf.LayersModel): Promise<void> {
  await model.save({
    save: async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      await writeFileAtomic(join(dir, 'weights.bin'), weights);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    },
  });
}

/** Loads a model folder on the active tfjs backend, checking format, version, channels and shapes. */
export async function loadModel(dir: string): Promise<SavedModel> {
  const metaFile = join(dir, MODEL_FILE);
  const raw = await readJson(metaFile, 'not a Terra Twin model folder (train one with terra train)');
  const fail = (file: string, field: string, problem: string) => new TerraError('INVALID_DATA', `${file}: ${field}: ${problem}`, { file, field });
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (head?.format !== MODEL_FORMAT) throw fail(metaFile, 'format', `not a Terra Twin model (format ${JSON.stringify(head?.format)})`);
  if (head.version !== MODEL_VERSION) {
    throw fail(metaFile, 'version', `model format version ${JSON.stringify(head.version)}; this Terra Twin reads version ${MODEL_VERSION}: retrain it with terra train`);
  }
  const parsedMeta = modelMetaSchema.safeParse(raw);
  if (!parsedMeta.success) {
    const issue = parsedMeta.error.issues[0]!;
    throw fail(metaFile, issue.path.join('.') || '(root)', issue.message);
  }
  const meta = parsedMeta.data;
  const statsFile = join(dir, 'normalisation.json');
  const parsedStats = statsSchema.safeParse(await readJson(statsFile, 'no normalisation statistics in the model folder'));
  if (!parsedStats.success) {
    const issue = parsedStats.error.issues[0]!;
    throw fail(statsFile, issue.path.join('.') || '(root)', issue.message);
  }
  const stats = parsedStats.data;
  for (const name of [...meta.inputs.static, ...meta.inputs.forcing]) {
    if (!stats.inputs[name]) throw fail(statsFile, `inputs.${name}`, `no statistics for input channel ${name}`);
  }
  const model = await readLayersModel(dir);
  const modelFile = join(dir, 'model.json');
  // Static and forcing channels, and the response surface at the scenario (inputs.ts).
  const channels = meta.inputs.static.length + meta.inputs.forcing.length + 1;
  const inputChannels = model.inputs[0]?.shape[3];
  if (inputChannels !== channels) {
    model.dispose();
    throw fail(modelFile, 'modelTopology', `the network takes ${inputChannels} input channels but ${MODEL_FILE} lists ${channels} (static, forcing and the response surface)`);
  }
  const staticData = await readArray(join(dir, 'static.npy'), [meta.inputs.static.length, meta.grid.ny, meta.grid.nx], 'static channels');
  let reach: Int32Array | undefined;
  if (meta.reach) {
    const reachFile = join(dir, 'reach.npy');
    const mask = await readArray(reachFile, [meta.grid.ny, meta.grid.nx], 'reach mask');
    const cells: number[] = [];
    mask.forEach((v, k) => v === 1 && cells.push(k));
    if (cells.length !== meta.reach.cells) throw fail(reachFile, 'reach', `${cells.length} cells marked but ${MODEL_FILE} says ${meta.reach.cells}`);
    reach = Int32Array.from(cells);
  }
  return { model, meta, stats, static: staticData, reach };
}

/** Rebuilds the network of model.json + weights on the active backend. */
export async function readLayersModel(dir: string): Promise<Tf.LayersModel> {
  const tf = await import('@tensorflow/tfjs');
  const modelFile = join(dir, 'model.json');
  const fail = (field: string, problem: string) => new TerraError('INVALID_DATA', `${modelFile}: ${field}: ${problem}`, { file: modelFile, field });
  const topology = (await readJson(modelFile, 'no tfjs model topology')) as {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: Tf.io.WeightsManifestEntry[] }[];
  };
  const manifest = topology.weightsManifest?.[0];
  if (!topology.modelTopology || !manifest) throw fail('weightsManifest', 'not a tfjs layers model');
  const weightsFile = join(dir, manifest.paths[0] ?? 'weights.bin');
  let weightData: ArrayBuffer;
  try {
    const buf = await readFile(weightsFile);
    weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  } catch (err) {
    throw new TerraError('NOT_FOUND', `${weightsFile}: cannot read the weights (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file: weightsFile });
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology.modelTopology, weightSpecs: manifest.weights, weightData }));
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${modelFile}: cannot rebuild the network (${(err as Error).message})`, { file: modelFile });
  }
}

export function modelMeta(
  config: LearnConfig,
  inputs: ModelMeta['inputs'],
  grid: Georeference,
  trainedOn: ModelMeta['trained_on'],
  terraVersion: string,
  reach?: ModelMeta['reach'],
  simulation?: ModelMeta['simulation'],
): ModelMeta {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    created: new Date().toISOString(),
    terra_version: terraVersion,
    config,
    inputs,
    target: { name: 'max_depth', units: 'm', transform: 'sqrt' },
    grid,
    trained_on: trainedOn,
    ...(reach ? { reach } : {}),
    ...(simulation ? { simulation } : {}),
  };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function readJson(file: string, missing: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TerraError('NOT_FOUND', `${file}: ${missing}`, { file });
    throw new TerraError('INVALID_DATA', `${file}: cannot read (${code ?? (err as Error).message})`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${file}: not valid JSON (${(err as Error).message})`, { file });
  }
}
