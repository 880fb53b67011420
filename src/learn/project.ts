/**
 * Learning artefacts in a project folder: PROJECT/learn/datasets/NAME (terra
 * dataset's folder) and PROJECT/learn/models/NAME (terra train's folder, plus
 * train-job.json: the dataset and settings a training started with, so the
 * explorer can resume it after a restart). Listing reads each folder's own
 * files and reports, never deletes, what it cannot read.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TerraError } from '../api/errors';
import type { DatasetSummary, EpochPoint, GridWindow, LearnInventory, ModelSummary } from '../api/learn-types';
import { writeFileAtomic } from '../core/atomic-write';
import { rainFamilySchema, sampleScenarios } from './dataset/family';
import { readDatasetManifest } from './dataset/manifest';
import { learnConfigSchema, type LearnConfig } from './models/config';
import { MODEL_FILE } from './models/store';
import { CHECKPOINT_DIR } from './train/checkpoint';

export const TRAIN_JOB_FILE = 'train-job.json';
/** The file a dataset build in the explorer starts with: its family, so a partial build can be listed and resumed. */
export const DATASET_JOB_FILE = 'dataset-job.json';

export const datasetsDir = (projectDir: string) => join(projectDir, 'learn', 'datasets');
export const modelsDir = (projectDir: string) => join(projectDir, 'learn', 'models');

const trainJobSchema = z.strictObject({ dataset: z.string(), site: z.string().nullable(), config: learnConfigSchema });
export type TrainJob = z.infer<typeof trainJobSchema>;

const datasetJobSchema = z.strictObject({ site: z.string(), family: rainFamilySchema });
export type DatasetJob = z.infer<typeof datasetJobSchema>;

export async function writeTrainJob(modelDir: string, job: TrainJob): Promise<void> {
  await writeFileAtomic(join(modelDir, TRAIN_JOB_FILE), `${JSON.stringify(job, null, 2)}\n`);
}

export async function readTrainJob(modelDir: string): Promise<TrainJob> {
  return parsedJson(join(modelDir, TRAIN_JOB_FILE), trainJobSchema, 'no training started here from the explorer');
}

export async function writeDatasetJob(datasetDir: string, job: DatasetJob): Promise<void> {
  await writeFileAtomic(join(datasetDir, DATASET_JOB_FILE), `${JSON.stringify(job, null, 2)}\n`);
}

/** "site:jacksboro" -> "jacksboro"; a DEM path -> null. */
export function siteOf(demSource: string): string | null {
  return demSource.startsWith('site:') ? demSource.slice(5) : null;
}

export async function learnInventory(projectDir: string): Promise<LearnInventory> {
  const problems: LearnInventory['problems'] = [];
  const datasets: DatasetSummary[] = [];
  const models: ModelSummary[] = [];
  for (const name of await folders(datasetsDir(projectDir))) {
    const path = join(datasetsDir(projectDir), name);
    await datasetSummary(name, path).then(
      (s) => datasets.push(s),
      (err: Error) => problems.push({ path, problem: err.message }),
    );
  }
  for (const name of await folders(modelsDir(projectDir))) {
    const path = join(modelsDir(projectDir), name);
    await modelSummary(name, path).then(
      (s) => models.push(s),
      (err: Error) => problems.push({ path, problem: err.message }),
    );
  }
  return { projectDir, datasets, models, problems };
}

export async function datasetSummary(name: string, path: string): Promise<DatasetSummary> {
  const files = new Set(await readdir(path));
  if (files.has('manifest.json')) {
    const m = await readDatasetManifest(path);
    const values = (key: 'intensity_mm_h' | 'duration_min') => m.scenarios.map((s) => s[key]);
    return {
      name,
      path,
      site: siteOf(m.source.dem),
      status: 'complete',
      scenarios: m.scenarios.length,
      simulated: m.scenarios.length,
      intensity_mm_h: [Math.min(...values('intensity_mm_h')), Math.max(...values('intensity_mm_h'))],
      duration_min: [Math.min(...values('duration_min')), Math.max(...values('duration_min'))],
      window: m.family.crop ? { ...m.family.crop } : { col: 0, row: 0, cols: m.source.georef.nx, rows: m.source.georef.ny },
      created: m.created,
    };
  }
  const job = await parsedJson(join(path, DATASET_JOB_FILE), datasetJobSchema, 'neither a dataset manifest nor a dataset build started from the explorer');
  const ids = new Set(sampleScenarios(job.family).map((s) => s.id));
  const shards = await readdir(join(path, 'targets')).catch(() => [] as string[]);
  return {
    name,
    path,
    site: job.site,
    status: 'partial',
    scenarios: job.family.scenarios,
    simulated: shards.filter((f) => f.endsWith('.npy') && ids.has(f.slice(0, -4))).length,
    intensity_mm_h: job.family.intensity_mm_h,
    duration_min: job.family.duration_min,
    window: job.family.crop ? { ...job.family.crop } : null,
    created: null,
  };
}

const SCORE_KEYS = ['csi', 'pod', 'far', 'rmse_wet_m', 'wet_cells', 'rmse_m', 'nse', 'pearson'] as const;
const metricsSchema = z.object({
  epochs: z.number(),
  best_epoch: z.number(),
  history: z.array(z.object({ epoch: z.number(), loss: z.number(), val_loss: z.number(), learning_rate: z.number(), samples_per_s: z.number(), seconds: z.number() })),
    // Scores undefined for the storms (no wet cell: CSI 0/0) were written as null.
  validation: z.object({ pooled: z.object(Object.fromEntries(SCORE_KEYS.map((k) => [k, z.number().nullable()])) as Record<(typeof SCORE_KEYS)[number], z.ZodNullable<z.ZodNumber>>) }).optional(),
});
const metaSchema = z.object({
  config: learnConfigSchema,
  trained_on: z.object({ intensity_mm_h: z.tuple([z.number(), z.number()]), duration_min: z.tuple([z.number(), z.number()]) }),
});
const provenanceSchema = z.object({ dataset: z.string(), dem: z.string(), backend: z.string() });
const checkpointStateSchema = z.object({
  state: z.object({
    epoch: z.number(),
    best_epoch: z.number(),
    history: metricsSchema.shape.history,
  }),
});

export async function modelSummary(name: string, path: string): Promise<ModelSummary> {
  const files = new Set(await readdir(path));
  const job = files.has(TRAIN_JOB_FILE) ? await readTrainJob(path) : null;
  if (files.has(MODEL_FILE)) {
    const meta = await parsedJson(join(path, MODEL_FILE), metaSchema, 'no model');
    const metrics = await parsedJson(join(path, 'metrics.json'), metricsSchema, 'no metrics.json in the model folder');
    const provenance = await parsedJson(join(path, 'provenance.json'), provenanceSchema, 'no provenance.json in the model folder');
    const datasetWindow = await datasetWindowOf(provenance.dataset);
    return {
      name,
      path,
      kind: meta.config.model.kind,
      dataset: job?.dataset ?? lastSegment(provenance.dataset),
      site: siteOf(provenance.dem),
      status: 'complete',
      epochs_done: metrics.epochs,
      epochs: meta.config.training.epochs,
      best_epoch: metrics.best_epoch,
      history: metrics.history as EpochPoint[],
      validation: metrics.validation ? metrics.validation.pooled : null,
      trained_on: meta.trained_on as ModelSummary['trained_on'],
      window: datasetWindow,
      backend: provenance.backend,
    };
  }
  if (!job) throw new TerraError('INVALID_DATA', `${path}: neither a saved model nor a training started from the explorer`, { file: path });
  const state = files.has(CHECKPOINT_DIR)
    ? (await parsedJson(join(path, CHECKPOINT_DIR, 'checkpoint.json'), checkpointStateSchema, 'no checkpoint').catch(() => null))?.state
    : undefined;
  return {
    name,
    path,
    kind: job.config.model.kind,
    dataset: job.dataset,
    site: job.site,
    status: 'partial',
    epochs_done: state?.epoch ?? 0,
    epochs: job.config.training.epochs,
    best_epoch: state?.best_epoch ?? 0,
    history: (state?.history ?? []) as EpochPoint[],
    validation: null,
    trained_on: null,
    window: null,
    backend: null,
  };
}

/** The training config of the explorer's form: the defaults, with what the user set on top. */
export function trainConfig(kind: 'mlp' | 'unet', training: Partial<Record<'epochs' | 'batches_per_epoch' | 'batch_size' | 'learning_rate' | 'seed', number>>): LearnConfig {
  const set = Object.fromEntries(Object.entries(training).filter(([, v]) => v !== undefined));
  return learnConfigSchema.parse({ model: { kind }, training: set });
}

async function datasetWindowOf(datasetPath: string): Promise<GridWindow | null> {
  try {
    const m = await readDatasetManifest(datasetPath);
    return m.family.crop ? { ...m.family.crop } : { col: 0, row: 0, cols: m.source.georef.nx, rows: m.source.georef.ny };
  } catch {
    return null;
  }
}

function lastSegment(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

async function folders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw new TerraError('INVALID_DATA', `${dir}: cannot list (${err.code ?? err.message})`, { file: dir });
  });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

async function parsedJson<T>(file: string, schema: z.ZodType<T>, missing: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TerraError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_DATA', `${file}: ${code === 'ENOENT' ? missing : `cannot read (${code})`}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${file}: not JSON (${(err as Error).message})`, { file });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TerraError('INVALID_DATA', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, { file, field: issue.path.join('.') });
  }
  return parsed.data;
}
