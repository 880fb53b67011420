/**
 * The API contract: every method the engine serves, its parameter schema
 * (validated at the engine boundary) and its result type. Adding a method
 * means adding it here, in ApiResults, and in the engine's handler table;
 * the compiler checks that the three agree.
 */
import { z } from 'zod';
import type {
  EngineInfo,
  FloodRunResult,
  FloodRunSummary,
  ImportResult,
  InspectReport,
  SiteData,
  SiteSummary,
  WeatherRunResult,
  WeatherSampleSummary,
} from './types';

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

/** Longest flood.run: a week of simulated time. */
export const FLOOD_RUN_MAX_S = 7 * 24 * 3600;
/** Most output times of a flood.run: the explorer keeps every frame in memory. */
export const FLOOD_RUN_MAX_OUTPUTS = 200;
const seconds = z.number().positive().max(FLOOD_RUN_MAX_S, `at most ${FLOOD_RUN_MAX_S} s (a week)`);

const floodRun = z
  .strictObject({
    site: siteId,
    /** Uniform over the site, constant from t = 0 for duration_s, then none. */
    rain: z.strictObject({
      intensity_mm_per_h: z.number().positive().max(1000, 'at most 1000 mm/h'),
      duration_s: seconds,
    }),
    duration_s: seconds,
    output_interval_s: seconds,
    /** Manning's n over the site (default 0.03). */
    manning: z.number().min(0).lt(1, 'below 1').optional(),
    scheme: z.enum(['fv', 'inertial']).optional(),
    /** Cells below this water level start under water (a coast's sea); omitted: the site starts dry. */
    initial_water_level_m: z.number().min(-12000).max(9000).optional(),
    /** Map coordinates in the site's CRS; names go into gauges.csv, so no commas. */
    gauges: z
      .array(z.strictObject({ name: z.string().regex(/^[^,\r\n]{1,100}$/, '1 to 100 characters, no commas'), x: z.number(), y: z.number() }))
      .max(64)
      .optional(),
    /** Runs go to DIR/runs/ (with fields.zarr); omitted: a folder under the OS temp dir (frames only). */
    projectDir: absolutePath.optional(),
    /** Stream frames to the caller (default true). */
    frames: z.boolean().optional(),
  })
  .refine((p) => p.output_interval_s <= p.duration_s, { path: ['output_interval_s'], message: 'longer than the run (duration_s)' })
  .refine((p) => p.duration_s / p.output_interval_s <= FLOOD_RUN_MAX_OUTPUTS, {
    path: ['output_interval_s'],
    message: `more than ${FLOOD_RUN_MAX_OUTPUTS} output times; use a longer interval`,
  });

/** An ISO 8601 time such as 1996-01-07T06:00Z (UTC unless it carries an offset). */
const isoTime = z.string().regex(/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/, 'an ISO 8601 time such as 1996-01-07T06:00Z');

const weatherRun = z.strictObject({
  site: siteId,
  /** A built-in weather sample (weather.list); default the January 1996 blizzard. */
  sample: siteId.optional(),
  /** First and last frame times; default the sample's whole span. */
  start: isoTime.optional(),
  end: isoTime.optional(),
  /** Points (site CRS) whose series the result carries and points.csv holds; no commas in names. */
  points: z
    .array(z.strictObject({ name: z.string().regex(/^[^,\r\n]{1,100}$/, '1 to 100 characters, no commas'), x: z.number(), y: z.number() }))
    .max(64)
    .optional(),
  /** Runs go to DIR/runs/ (with fields.zarr); omitted: a folder under the OS temp dir (no fields.zarr). */
  projectDir: absolutePath.optional(),
  /** Stream frames to the caller (default true). */
  frames: z.boolean().optional(),
});

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
  /**
   * A job: a rain scenario on a sample site, no scenario file needed. Runs
   * into a fresh run folder, streaming depth/u/v frames at the output
   * interval; returns the summary, the folder and each gauge's series.
   * Cancel stops it with valid partial outputs.
   */
  'flood.run': floodRun,
  /** The built-in weather samples. */
  'weather.list': z.strictObject({}),
  /**
   * A job: a weather sample over a sample site: the sample's fields regridded
   * to the site, downscaled to its terrain (temperature by the lapse rate,
   * pressure hypsometrically) and the wind made mass-consistent over it, one
   * frame per sample time. Streams each frame (time in epoch seconds;
   * temperature degC, pressure Pa, u and v m/s along the grid's east and north
   * axes); a grid that does not cover the site is refused before computing.
   * Cancel stops it with valid partial outputs.
   */
  'weather.run': weatherRun,
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
  'flood.run': FloodRunResult;
  'weather.list': WeatherSampleSummary[];
  'weather.run': WeatherRunResult;
  'data.inspect': InspectReport;
  'data.import': ImportResult;
}

export type Result<M extends Method> = ApiResults[M];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
