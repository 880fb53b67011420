/**
 * DATASET/manifest.json: what a dataset holds (grid, channels, scenarios and
 * their splits, shards) and its normalisation statistics. Read with
 * readDatasetManifest, which names the file and field of every problem.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TerraError } from '../../api/errors';
import { rainFamilySchema } from './family';

export const DATASET_FORMAT = 'terra-dataset';
export const DATASET_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

const finite = z.number().refine(Number.isFinite, 'a finite number');
const stat = z.strictObject({ mean: finite, std: finite.refine((v) => v > 0, 'a positive number') });

export const datasetManifestSchema = z.strictObject({
  format: z.literal(DATASET_FORMAT),
  version: z.literal(DATASET_VERSION),
  created: z.string(),
  terra_version: z.string(),
  source: z.strictObject({
    dem: z.string(),
    dem_sha256: z.string(),
    georef: z.strictObject({
      nx: z.number().int().min(2),
      ny: z.number().int().min(2),
      x0: finite,
      y0: finite,
      dx: finite,
      dy: finite,
      crs: z.string(),
      dxMetres: finite,
      dyMetres: finite,
    }),
  }),
  family: rainFamilySchema,
  /** Static channels: terrain, then the response-surface coefficients (response.ts). */
  channels: z.strictObject({ static: z.array(z.string()).min(1), forcing: z.array(z.string()) }),
  target: z.strictObject({ name: z.literal('max_depth'), units: z.literal('m'), transform: z.literal('sqrt') }),
  files: z.strictObject({ static: z.string() }),
  scenarios: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9_-]+$/),
        split: z.enum(['train', 'validation', 'test']),
        intensity_mm_h: finite,
        duration_min: finite,
        simulated_min: finite,
        forcing: z.array(finite),
        target: z.string(),
        fv_wall_s: finite,
        steps: z.number().int(),
        mass_error_rel: finite,
        max_depth_m: finite,
      }),
    )
    .min(1),
  /**
   * Per input channel (static ones over the grid, forcing over the training
   * scenarios) and of the transformed target over the training scenarios.
   * Optional only so that a manifest without them gets its own clear error.
   */
  stats: z.strictObject({ inputs: z.record(z.string(), stat), target: stat }).optional(),
});

export type DatasetManifest = z.infer<typeof datasetManifestSchema>;
export type ScenarioEntry = DatasetManifest['scenarios'][number];
export type NormalisationStats = NonNullable<DatasetManifest['stats']>;

/** Reads and checks a manifest: format, version, schema and normalisation statistics. */
export async function readDatasetManifest(dir: string): Promise<DatasetManifest & { stats: NormalisationStats }> {
  const file = join(dir, MANIFEST_FILE);
  const fail = (field: string, problem: string) => new TerraError('INVALID_DATA', `${file}: ${field}: ${problem}`, { file, field });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TerraError('NOT_FOUND', `${file}: no dataset manifest here (build one with terra dataset)`, { file });
    throw new TerraError('INVALID_DATA', `${file}: cannot read the manifest (${code ?? (err as Error).message})`, { file });
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (head?.format !== DATASET_FORMAT) throw fail('format', `not a Terra Twin dataset manifest (format ${JSON.stringify(head?.format)})`);
  if (head.version !== DATASET_VERSION) {
    throw fail('version', `dataset format version ${JSON.stringify(head.version)}; this Terra Twin reads version ${DATASET_VERSION}: rebuild it with terra dataset`);
  }
  const parsed = datasetManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(issue.path.join('.') || '(root)', issue.message);
  }
  const manifest = parsed.data;
  if (!manifest.stats) throw fail('stats', 'no normalisation statistics; rebuild the dataset with terra dataset');
  const names = [...manifest.channels.static, ...manifest.channels.forcing];
  const missing = names.find((c) => !manifest.stats!.inputs[c]);
  if (missing) throw fail(`stats.inputs.${missing}`, `no normalisation statistics for channel ${missing}`);
  for (const [i, s] of manifest.scenarios.entries()) {
    if (s.forcing.length !== manifest.channels.forcing.length) {
      throw fail(`scenarios.${i}.forcing`, `${s.forcing.length} values for ${manifest.channels.forcing.length} forcing channels`);
    }
  }
  return manifest as DatasetManifest & { stats: NormalisationStats };
}
