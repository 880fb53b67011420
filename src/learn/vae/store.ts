/**
 * A trained field VAE's folder:
 *
 *   encoder/, decoder/   tfjs artefacts of each network (models/store.ts)
 *   terra-vae.json       format + version, the resolved config, patch size, latent size,
 *                        the standardisation of sqrt depth, the column bands
 *   provenance.json      dataset, scenarios and patches per split, seed, backend, timings
 *   metrics.json         training history and the held-out evaluation
 *
 * Every file is written atomically and terra-vae.json last: a folder
 * without it (an interrupted first save) is not a model.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TerraError } from '../../api/errors';
import { writeFileAtomic } from '../../core/atomic-write';
import { json, readJson, readLayersModel, writeLayersModel } from '../models/store';
import { vaeConfigSchema, type VaeConfig } from './config';
import type { Vae } from './model';
import type { Bands, PatchNormalisation } from './patches';

export const VAE_FORMAT = 'terra-vae';
export const VAE_VERSION = 1;
export const VAE_FILE = 'terra-vae.json';

const finite = z.number().refine(Number.isFinite, 'a finite number');
const range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const metaSchema = z.strictObject({
  format: z.literal(VAE_FORMAT),
  version: z.literal(VAE_VERSION),
  created: z.string(),
  terra_version: z.string(),
  config: vaeConfigSchema,
  patch: z.number().int().min(1),
  latent: z.number().int().min(1),
  norm: z.strictObject({ mean: finite, std: finite.refine((v) => v > 0, 'a positive number') }),
  bands: z.strictObject({ train: range, validation: range, test: range }),
  /** The source's cell size (m): samples are drawn on a local grid of it. */
  cell_m: finite.refine((v) => v > 0, 'a positive number'),
});

export type VaeMeta = z.infer<typeof metaSchema>;

export interface SavedVae extends Vae {
  meta: VaeMeta;
}

export function vaeMeta(config: VaeConfig, norm: PatchNormalisation, bands: Bands, cellM: number, terraVersion: string): VaeMeta {
  return {
    format: VAE_FORMAT,
    version: VAE_VERSION,
    created: new Date().toISOString(),
    terra_version: terraVersion,
    config,
    patch: config.data.patch,
    latent: config.model.latent,
    norm,
    bands,
    cell_m: cellM,
  };
}

export async function saveVae(dir: string, vae: Vae, meta: VaeMeta, extras: { provenance: Record<string, unknown>; metrics: Record<string, unknown> }): Promise<void> {
  for (const part of ['encoder', 'decoder'] as const) {
    await mkdir(join(dir, part), { recursive: true });
    await writeLayersModel(join(dir, part), vae[part]);
  }
  await writeFileAtomic(join(dir, 'provenance.json'), json(extras.provenance));
  await writeFileAtomic(join(dir, 'metrics.json'), json(extras.metrics));
  await writeFileAtomic(join(dir, VAE_FILE), json(meta));
}

/** Loads a VAE folder on the active backend, checking format, version and the networks' shapes. */
export async function loadVae(dir: string): Promise<SavedVae> {
  const file = join(dir, VAE_FILE);
  const fail = (f: string, field: string, problem: string) => new TerraError('INVALID_DATA', `${f}: ${field}: ${problem}`, { file: f, field });
  const raw = (await readJson(file, 'not a Terra Twin VAE folder (train one with terra vae train)')) as { format?: unknown; version?: unknown } | null;
  if (raw?.format !== VAE_FORMAT) throw fail(file, 'format', `not a Terra Twin VAE (format ${JSON.stringify(raw?.format)})`);
  if (raw.version !== VAE_VERSION) throw fail(file, 'version', `version ${JSON.stringify(raw.version)}; this Terra Twin reads version ${VAE_VERSION}: retrain it`);
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(file, issue.path.join('.') || '(root)', issue.message);
  }
  const meta = parsed.data;
  const encoder = await readLayersModel(join(dir, 'encoder'));
  const decoder = await readLayersModel(join(dir, 'decoder'));
  const inShape = encoder.inputs[0]?.shape.slice(1).join();
  const outShape = decoder.outputs[0]?.shape.slice(1).join();
  const zShape = decoder.inputs[0]?.shape.slice(1).join();
  const p = meta.patch;
  if (inShape !== `${p},${p},1` || outShape !== `${p},${p},1` || zShape !== String(meta.latent)) {
    encoder.dispose();
    decoder.dispose();
    throw fail(file, 'patch', `the networks take [${inShape}] -> [${zShape}] -> [${outShape}] but ${VAE_FILE} describes ${p} x ${p} patches and ${meta.latent} latents`);
  }
  return { encoder, decoder, meta };
}
