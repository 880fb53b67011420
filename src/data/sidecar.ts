/**
 * The JSON sidecar written beside every derived data set (`NAME.json` next to
 * `NAME.tif`, `NAME.zarr` or `NAME.csv`): what it is, where it came from and
 * how it was changed (provenance), and per-variable statistics with the
 * z-score parameters models use to normalise and de-normalise
 * (x = z * std + mean). NaN statistics are stored as null.
 */
import { z } from 'zod';
import { TerraError } from '../api/errors';
import type { SummaryStats } from './stats';
import type { ZScore } from './normalise';

export const SIDECAR_SCHEMA = 'terra-twin/dataset@1';

const num = z.number().nullable();

export const statsSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  nodata: z.number().int().nonnegative(),
  min: num,
  max: num,
  mean: num,
  std: num,
  median: num,
  mad: num,
});

export const variableSchema = z.strictObject({
  name: z.string().min(1),
  units: z.string(),
  stats: statsSchema,
  normalisation: z.strictObject({ method: z.literal('z-score'), mean: z.number(), std: z.number().positive() }).nullable(),
  cleaning: z.strictObject({
    spikesDetected: z.number().int().nonnegative(),
    spikesRemoved: z.number().int().nonnegative(),
    gapsFilled: z.number().int().nonnegative(),
    nodataLeft: z.number().int().nonnegative(),
  }),
  /** Station coordinates (degrees) for station series. */
  location: z.strictObject({ name: z.string(), code: z.string(), lat: z.number(), lon: z.number() }).optional(),
});

export const sidecarSchema = z.strictObject({
  schema: z.literal(SIDECAR_SCHEMA),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  kind: z.enum(['raster', 'field-series', 'station-series']),
  /** Data file, relative to the sidecar's folder. */
  file: z.string().min(1),
  format: z.enum(['geotiff', 'zarr', 'csv']),
  grid: z
    .strictObject({
      crs: z.string(),
      nx: z.number().int().positive(),
      ny: z.number().int().positive(),
      x0: z.number(),
      y0: z.number(),
      dx: z.number().positive(),
      dy: z.number().positive(),
    })
    .optional(),
  time: z.strictObject({ start: z.string(), end: z.string(), steps: z.number().int().nonnegative(), zone: z.string() }).optional(),
  variables: z.array(variableSchema).min(1),
  provenance: z.strictObject({
    sources: z.array(
      z.strictObject({
        path: z.string(),
        bytes: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        format: z.string(),
        variable: z.string().optional(),
      }),
    ),
    steps: z.array(z.looseObject({ op: z.string() })),
    createdAt: z.string(),
    tool: z.strictObject({ name: z.string(), version: z.string() }),
  }),
  warnings: z.array(z.string()),
});

export type Sidecar = z.infer<typeof sidecarSchema>;
export type SidecarVariable = z.infer<typeof variableSchema>;
export type SidecarStats = z.infer<typeof statsSchema>;

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

export function statsForSidecar(s: SummaryStats): SidecarStats {
  return {
    count: s.count,
    nodata: s.nodata,
    min: finiteOrNull(s.min),
    max: finiteOrNull(s.max),
    mean: finiteOrNull(s.mean),
    std: finiteOrNull(s.std),
    median: finiteOrNull(s.median),
    mad: finiteOrNull(s.mad),
  };
}

export function normalisationForSidecar(zs: ZScore): SidecarVariable['normalisation'] {
  return Number.isFinite(zs.mean) && Number.isFinite(zs.std) && zs.std > 0 ? { method: 'z-score', mean: zs.mean, std: zs.std } : null;
}

/** Validates a sidecar read from disk; errors name the file and the field. */
export function parseSidecar(text: string, file: string): Sidecar {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TerraError('INVALID_DATA', `${file}: not JSON (${(err as Error).message})`, { file, field: '(root)' });
  }
  const parsed = sidecarSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new TerraError('INVALID_DATA', `${file}: ${field}: ${issue.message}`, { file, field });
  }
  return parsed.data;
}

export function formatSidecar(sidecar: Sidecar): string {
  return `${JSON.stringify(sidecarSchema.parse(sidecar), null, 2)}\n`;
}
