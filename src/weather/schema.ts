/**
 * The weather scenario (`terra weather SCENARIO.json --out DIR`). Paths are
 * relative to the scenario file; times are ISO 8601 (UTC unless they carry
 * an offset).
 *
 *   {
 *     "name": "blizzard-1996",
 *     "site": { "dem": "jacksboro.npz" },
 *     "source": { "type": "grid", "reference_elevation_m": 0,
 *                 "temperature": { "file": "Tstorm.cdf", "units": "K" },
 *                 "pressure": { "file": "Pstorm.cdf", "units": "Pa" },
 *                 "u": { "file": "Ustorm.cdf", "units": "m/s" }, "v": { "file": "Vstorm.cdf", "units": "m/s" },
 *                 "fill_gaps_s": 43200 },
 *     "times": { "start": "1996-01-06T00:00Z", "end": "1996-01-08T00:00Z", "interval_s": 21600 },
 *     "downscaling": { "lapse_rate_K_per_km": 6.5, "relative_humidity": 0.8 },
 *     "wind": { "lid_depth_m": 1000 },
 *     "output": { "points": [{ "name": "summit", "x": -84.1, "y": 36.4 }] }
 *   }
 *
 * or a station source: { "type": "stations", "locations": "loc.csv",
 * "series": [{ "variable": "wind_speed", "file": "wind.csv", "units": "kn" }],
 * "interpolation": { "method": "kriging", "model": "exponential" } }, whose
 * series CSVs hold one column per station (named by the station's code or
 * name in the locations table).
 *
 * or a synthetic source (the spec weather.run takes as `scenario`, see
 * src/api/methods.ts syntheticWeatherSpec and src/weather/synthetic/):
 * { "type": "synthetic", "base": { "temperature_c": 14, "pressure_pa": 101500,
 * "relative_humidity": 0.7, "wind_speed_m_s": 6, "wind_from_deg": 210 },
 * "front": {...}, "rain_cell": {...} }, whose rain-cell track times are
 * seconds from the first of the scenario's times.
 */
import { z } from 'zod';
import { syntheticWeatherSpec } from '../api/methods';

const path = z.string().min(1, 'a file path');
const finite = z.number().refine(Number.isFinite, 'a finite number');
const positive = finite.refine((v) => v > 0, 'a positive number');
const fraction = finite.refine((v) => v >= 0 && v <= 1, 'a fraction between 0 and 1');
const units = z.string().min(1).max(64);
const isoTime = z.string().min(1).max(64);

const gridVariable = z.strictObject({
  file: path,
  /** NetCDF variable; default: the file's largest gridded one. */
  variable: z.string().min(1).max(128).optional(),
  /** Units where the file has none; must agree with the file's when it has them. */
  units: units.optional(),
});

const gridSource = z.strictObject({
  type: z.literal('grid'),
  /** Elevation (m) the fields hold at: 0 for sea-level pressure and sea-level temperature. */
  reference_elevation_m: finite.default(0),
  temperature: gridVariable.optional(),
  pressure: gridVariable.optional(),
  relative_humidity: gridVariable.optional(),
  /** Eastward and northward wind (earth-relative, as CF's eastward_wind/northward_wind). */
  u: gridVariable.optional(),
  v: gridVariable.optional(),
  /**
   * Source cells without data in a frame (a frame the file lost) are filled
   * linearly in time from the nearest frames that have them, across gaps up
   * to this long (s). Default: no filling, and a gap over the site is an error.
   */
  fill_gaps_s: positive.optional(),
});

export const STATION_VARIABLES = ['temperature', 'wind_speed', 'u', 'v'] as const;
export type StationVariableName = (typeof STATION_VARIABLES)[number];

const stationSource = z.strictObject({
  type: z.literal('stations'),
  /** Station coordinates: name/code, latitude, longitude (WGS 84). */
  locations: path,
  series: z
    .array(
      z.strictObject({
        variable: z.enum(STATION_VARIABLES),
        file: path,
        /** Units of every column without units in its header; must agree with those that have them. */
        units: units.optional(),
        /** Zone of timestamps without an offset; default UTC. */
        time_zone: z.string().min(1).max(64).optional(),
      }),
    )
    .min(1)
    .max(16),
  interpolation: z
    .strictObject({
      method: z.enum(['kriging', 'idw']).default('kriging'),
      /** idw: power of the inverse distance. */
      power: positive.refine((v) => v <= 10, 'at most 10').default(2),
      /** kriging: variogram model and number of distance bins. */
      model: z.enum(['exponential', 'spherical']).default('exponential'),
      bins: z.number().int().min(3).max(50).default(10),
    })
    .default({ method: 'kriging', power: 2, model: 'exponential', bins: 10 }),
});

const syntheticSource = syntheticWeatherSpec.extend({ type: z.literal('synthetic') });

export const weatherScenarioSchema = z.strictObject({
  name: z.string().min(1).max(200),
  site: z.strictObject({ dem: path }),
  source: z.discriminatedUnion('type', [gridSource, stationSource, syntheticSource]),
  times: z.union([
    z.array(isoTime).min(1).max(10000),
    z.strictObject({ start: isoTime, end: isoTime, interval_s: positive }),
  ]),
  downscaling: z
    .strictObject({
      lapse_rate_K_per_km: finite.refine((v) => Math.abs(v) <= 20, 'between -20 and 20 K/km').default(6.5),
      /** Relative humidity (fraction) at the reference elevation, where the source has none. */
      relative_humidity: fraction.optional(),
      /** Saturation ratio where cloud/fog starts. */
      cloud_critical_rh: finite.refine((v) => v > 0 && v < 1, 'between 0 and 1 (exclusive)').default(0.8),
    })
    .default({ lapse_rate_K_per_km: 6.5, cloud_critical_rh: 0.8 }),
  wind: z
    .strictObject({
      /** Adjust u, v to a mass-consistent field over the terrain (else they are only regridded). */
      mass_consistent: z.boolean().default(true),
      lid_depth_m: positive.default(1000),
      tolerance: finite.refine((v) => v > 0 && v < 1, 'between 0 and 1 (exclusive)').default(1e-8),
      max_iterations: z.number().int().min(1).max(100_000).default(1000),
    })
    .default({ mass_consistent: true, lid_depth_m: 1000, tolerance: 1e-8, max_iterations: 1000 }),
  output: z
    .strictObject({
      /** Points (site CRS coordinates) whose series go to points.csv. */
      points: z.array(z.strictObject({ name: z.string().min(1).max(100), x: finite, y: finite })).max(10000).default([]),
      /** Write fields.zarr (default true). */
      fields: z.boolean().default(true),
    })
    .default({ points: [], fields: true }),
});

export type WeatherScenario = z.infer<typeof weatherScenarioSchema>;
export type GridVariableSpec = z.infer<typeof gridVariable>;
export type StationSourceSpec = z.infer<typeof stationSource>;
export type GridSourceSpec = z.infer<typeof gridSource>;
export type SyntheticSourceSpec = z.infer<typeof syntheticSource>;
