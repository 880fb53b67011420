/**
 * The API contract: every method the engine serves, its parameter schema
 * (validated at the engine boundary) and its result type. Adding a method
 * means adding it here, in ApiResults, and in the engine's handler table;
 * the compiler checks that the three agree.
 */
import { z } from 'zod';
import type { EngineInfo, FloodRunSummary, ImportResult, InspectReport, SiteData, SiteSummary } from './types';

/** Absolute paths: POSIX (/home/...), a Windows drive (C:\... or C:/...) or UNC (\\server\...). */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(ABSOLUTE_PATH, "an absolute path on the engine's machine (e.g. /home/me/dem.tif)");

/** Units where a file has none, by variable/column name or "*" for all (as `terra import --units`). */
const unitsOption = z
  .record(z.string().min(1).max(128), z.string().min(1).max(64))
  .refine((r) => Object.keys(r).length <= 64, 'at most 64 entries');

/** Read as terrain: one grid of elevations, anything else is refused with a specific error. */
const importAs = z.enum(['terrain', 'any']);

const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a sample-site id such as "jacksboro"');

export const methods = {
  'engine.info': z.strictObject({}),
  'site.list': z.strictObject({}),
  /** A job: streams progress while the DEM is read and checked. */
  'site.open': z.strictObject({ id: siteId }),
  /** A job: reads a DEM file (GeoTIFF or .npz) from an absolute local path. */
  'terrain.open': z.strictObject({
    path: z.string().min(1).max(4096),
    /** For .npz files: the array holding elevations. */
    array: z.string().min(1).max(128).optional(),
  }),
  /**
   * A job: runs a flood scenario file (DESIGN.md contract) into outDir,
   * streaming depth/u/v frames at the output interval; cancel keeps valid
   * partial outputs.
   */
  'flood.simulate': z.strictObject({
    scenario: z.string().min(1).max(4096),
    outDir: z.string().min(1).max(4096),
    /** Stream frames to the caller (default true). */
    frames: z.boolean().optional(),
  }),
  /** A job: what a data file holds (format, grid, CRS, units, range, nodata share, time axis, warnings). */
  'data.inspect': z.strictObject({
    path: absolutePath,
    /** NetCDF variable or .npz array to read. */
    variable: z.string().min(1).max(128).optional(),
    units: unitsOption.optional(),
    /** "terrain": refuse what is not one grid of elevations (default "any"). */
    as: importAs.optional(),
  }),
  /**
   * A job: imports files into a project folder (created if missing): data to
   * DIR/data, the manifest DIR/terra-project.json written last and atomically.
   * Streams progress with a step (file i of n, stage); cancel leaves the
   * manifest as it was.
   */
  'data.import': z.strictObject({
    paths: z.array(absolutePath).min(1).max(64),
    projectDir: absolutePath,
    variable: z.string().min(1).max(128).optional(),
    units: unitsOption.optional(),
    as: importAs.optional(),
    options: z
      .strictObject({
        crs: z.string().min(1).max(200).optional(),
        cellSize: z.number().positive().max(1e6).optional(),
        despike: z.boolean().optional(),
        fill: z.enum(['laplace', 'idw', 'none']).optional(),
      })
      .optional(),
  }),
} as const;

export type Method = keyof typeof methods;
export type Params<M extends Method> = z.infer<(typeof methods)[M]>;

export interface ApiResults {
  'engine.info': EngineInfo;
  'site.list': SiteSummary[];
  'site.open': SiteData;
  'terrain.open': SiteData;
  'flood.simulate': FloodRunSummary;
  'data.inspect': InspectReport;
  'data.import': ImportResult;
}

export type Result<M extends Method> = ApiResults[M];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
