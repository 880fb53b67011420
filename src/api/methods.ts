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
import type { LearnInventory, DatasetSummary, PredictionResult, TrainResultSummary, VerificationResult } from './learn-types';
import { learnMethods } from './learn-methods';
import { absolutePath, siteId } from './params';

/** Units where a file has none, by variable/column name or "*" for all (as `terra import --units`). */
const unitsOption = z
  .record(z.string().min(1).max(128), z.string().min(1).max(64))
  .refine((r) => Object.keys(r).length <= 64, 'at most 64 entries');

/** Read as terrain: one grid of elevations, anything else is refused with a specific error. */
const importAs = z.enum(['terrain', 'any']);

/** Longest flood.run: a week of simulated time. */
export const FLOOD_RUN_MAX_S = 7 * 24 * 3600;
/** Most output times of a flood.run: the explorer keeps every frame in memory. */
export const FLOOD_RUN_MAX_OUTPUTS = 200;
const seconds = z.number().positive().max(FLOOD_RUN_MAX_S, `at most ${FLOOD_RUN_MAX_S} s (a week)`);

/**
 * A moving rain cell (src/weather/rain-cell.ts): rate peak * exp(-(r / radius)^2)
 * around a centre moving along timed points in the site's CRS, raining from the
 * first track time to the last. Track times are seconds from the start of the
 * run (flood.run) or of the scenario (weather), so one cell runs as weather
 * and as a flood on one timeline. Increasing times and passing near the site
 * are checked against the site (rainCellProblems).
 */
export const rainCellSpec = z.strictObject({
  track: z
    .array(z.strictObject({ t_s: z.number().min(0, 'a time >= 0 (s from the start)'), x: z.number(), y: z.number() }))
    .min(2, 'at least two timed points (start and end of the rain)')
    .max(10000),
  radius_m: z.number().positive('a positive radius (m)'),
  peak_mm_h: z.number().positive('a positive rate (mm/h)').max(1000, 'at most 1000 mm/h'),
});

const edgeType = z.enum(['open', 'wall']);

const floodRun = z
  .strictObject({
    site: siteId,
    /** Uniform over the site, constant from t = 0 for duration_s, then none; or a moving rain cell. */
    rain: z.union(
      [
        z.strictObject({
          intensity_mm_per_h: z.number().positive().max(1000, 'at most 1000 mm/h'),
          duration_s: seconds,
        }),
        z.strictObject({ cell: rainCellSpec }),
      ],
      { error: 'either {intensity_mm_per_h, duration_s} (uniform rain) or {cell: {track, radius_m, peak_mm_h}} (a moving rain cell)' },
    ),
    duration_s: seconds,
    output_interval_s: seconds,
    /** Manning's n over the site (default 0.03). */
    manning: z.number().min(0).lt(1, 'below 1').optional(),
    scheme: z.enum(['fv', 'inertial']).optional(),
    /** Cells below this water level start under water (a coast's sea); omitted: the site starts dry. */
    initial_water_level_m: z.number().min(-12000).max(9000).optional(),
    /** Each edge open (water leaves freely; the default) or a wall. */
    boundaries: z
      .strictObject({ west: edgeType.optional(), east: edgeType.optional(), north: edgeType.optional(), south: edgeType.optional() })
      .optional(),
    /**
     * Point inflows (a culvert, a stream entering the site): discharge (m3/s)
     * linear between the series' points, none before the first or after the
     * last; map coordinates in the site's CRS. A negative discharge abstracts.
     */
    inflows: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[^,\r\n]{1,100}$/, '1 to 100 characters, no commas'),
          x: z.number(),
          y: z.number(),
          series: z
            .array(z.strictObject({ t_s: z.number().min(0, 'a time >= 0 (s from the start)'), discharge_m3_s: z.number().min(-1e5).max(1e5, 'at most 100000 m3/s') }))
            .min(2, 'at least two points (a start and an end)')
            .max(10000)
            .refine((s) => s.every((p, i) => i === 0 || p.t_s > s[i - 1]!.t_s), 'times must increase'),
        }),
      )
      .max(64)
      .optional(),
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

const bearing = z.number().min(0, 'a bearing in degrees (0-360, clockwise from north)').max(360, 'a bearing in degrees (0-360, clockwise from north)');
const fraction = z.number().min(0, 'a fraction between 0 and 1').max(1, 'a fraction between 0 and 1');
const windSpeed = z.number().min(0, 'a speed >= 0 (m/s)').max(100, 'at most 100 m/s');

/**
 * A synthetic weather state over a site (src/weather/synthetic/): a uniform
 * base state, optionally a straight front passing over the site and a moving
 * rain cell. Directions are bearings from true north: the wind blows FROM
 * wind_from_deg, the front moves TOWARDS towards_deg.
 */
export const syntheticWeatherSpec = z.strictObject({
  /** Elevation (m) the base state holds at; 0 (default): sea-level temperature and pressure. */
  reference_elevation_m: z.number().min(-500).max(9000).optional(),
  base: z.strictObject({
    temperature_c: z.number().min(-80, 'at least -80 degC').max(60, 'at most 60 degC'),
    pressure_pa: z.number().min(50_000, 'at least 50000 Pa').max(110_000, 'at most 110000 Pa'),
    relative_humidity: fraction,
    wind_speed_m_s: windSpeed,
    wind_from_deg: bearing,
  }),
  /** Ahead of the line the base state, behind it the changed one, with a tanh transition. */
  front: z
    .strictObject({
      towards_deg: bearing,
      speed_m_s: z.number().positive('a positive speed (m/s): a front that does not move never passes').max(100, 'at most 100 m/s'),
      /** When the line crosses the centre of the site. */
      crossing_time: isoTime,
      /** Across-line width of the transition (m): 12 % to 88 % of the change. */
      width_m: z.number().positive('a positive width (m)').max(1e6),
      /** Behind minus ahead (K): negative for a cold front. */
      temperature_change_k: z.number().min(-40).max(40),
      wind_after: z.strictObject({ speed_m_s: windSpeed, from_deg: bearing }),
      /** Depth (Pa) of the pressure dip centred on the line (default 0). */
      pressure_trough_pa: z.number().min(0).max(5000, 'at most 5000 Pa').optional(),
      /** Relative humidity behind the front; default the base one. */
      relative_humidity_after: fraction.optional(),
      /** Moist band along the line: its peak humidity and across-line width (m). */
      humidity_band: z.strictObject({ relative_humidity: fraction, width_m: z.number().positive('a positive width (m)').max(1e6) }).optional(),
    })
    .optional(),
  rain_cell: rainCellSpec.optional(),
});

/** Most frames of a synthetic weather.run: the explorer keeps every frame in memory. */
export const WEATHER_RUN_MAX_FRAMES = 200;

const weatherRun = z
  .strictObject({
    site: siteId,
    /** A built-in weather sample (weather.list); default the January 1996 blizzard. */
    sample: siteId.optional(),
    /** Instead of a sample: a synthetic scenario with its own times (frames every interval_s from start to end). */
    scenario: syntheticWeatherSpec
      .extend({ name: z.string().min(1).max(200).optional(), start: isoTime, end: isoTime, interval_s: z.number().positive().max(FLOOD_RUN_MAX_S) })
      .optional(),
    /** First and last frame times of a sample; default the sample's whole span. */
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
  })
  .superRefine((p, ctx) => {
    if (!p.scenario) return;
    if (p.sample !== undefined) ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'give a sample or a scenario, not both' });
    for (const key of ['start', 'end'] as const) {
      if (p[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `a scenario has its own times: set scenario.${key}` });
    }
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
   * With `scenario` instead of a sample: synthetic fields (a base state, a
   * front, a rain cell), downscaled the same way; frames then also stream
   * precipitation (mm/h) when the scenario has rain.
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
  ...learnMethods,
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
  'learn.list': LearnInventory;
  'learn.dataset': DatasetSummary;
  'learn.train': TrainResultSummary;
  'learn.predict': PredictionResult;
  'learn.verify': VerificationResult;
}

export type Result<M extends Method> = ApiResults[M];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
