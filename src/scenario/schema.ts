/**
 * SCENARIO.json, v1 (DESIGN.md "Scenario and CLI contract"). Paths are
 * relative to the scenario file. Extensions beyond the contract are marked.
 */
import { z } from 'zod';
import { rainCellSpec } from '../api/methods';

const path = z.string().min(1, 'a file path');
const finite = z.number().refine(Number.isFinite, 'a finite number');
const positive = finite.refine((v) => v > 0, 'a positive number');

const boundary = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('wall') }),
  z.strictObject({ type: z.literal('open') }),
  z.strictObject({ type: z.literal('stage'), series: path }),
]);

export const scenarioSchema = z.strictObject({
  name: z.string().min(1).max(200),
  terrain: z.strictObject({ dem: path }),
  friction: z
    .union([
      z.strictObject({ manning: finite.refine((v) => v >= 0 && v < 1, 'Manning n between 0 and 1 (s m^-1/3)') }),
      z.strictObject({ manning_raster: path }),
    ])
    .default({ manning: 0.03 }),
  /** Omitted: the domain starts dry. */
  initial: z.union([z.strictObject({ water_level: finite }), z.strictObject({ depth: path })]).optional(),
  /** Omitted sides are walls. */
  boundaries: z
    .strictObject({
      west: boundary.optional(),
      east: boundary.optional(),
      north: boundary.optional(),
      south: boundary.optional(),
    })
    .default({}),
  rain: z
    .union([
      z.strictObject({ series: path }),
      /** Extension: gridded rain (NetCDF field series, e.g. Stage IV), regridded onto the DEM; see rain-grid.ts. */
      z.strictObject({
        grid: path,
        variable: z.string().min(1).max(128).optional(),
        units: z.string().min(1).max(64).optional(),
        start: z.string().min(1).max(64).optional(),
        accumulation_s: positive.optional(),
      }),
      /** Extension: a moving rain cell (Gaussian profile along a timed track, times in s from the start); the spec flood.run takes, see weather/rain-cell.ts. */
      z.strictObject({ cell: rainCellSpec }),
    ])
    .nullable()
    .default(null),
  inflows: z.array(z.strictObject({ x: finite, y: finite, series: path, name: z.string().optional() })).default([]),
  duration_s: positive.refine((v) => v <= 1e8, 'at most 1e8 s'),
  output: z
    .strictObject({
      interval_s: positive.optional(),
      gauges: z.array(z.strictObject({ name: z.string().min(1).max(100), x: finite, y: finite })).default([]),
      /** Extension: write fields.zarr (default true). */
      fields: z.boolean().default(true),
      /** Extension: depth that counts as "arrived" for arrival_time (m). */
      arrival_depth_m: positive.default(0.01),
    })
    .default({ gauges: [], fields: true, arrival_depth_m: 0.01 }),
  solver: z
    .strictObject({
      scheme: z.enum(['fv', 'inertial']).default('fv'),
      cfl: finite.refine((v) => v > 0 && v <= 1, 'CFL must be in (0, 1]').default(0.9),
      backend: z.enum(['cpu', 'gpu']).default('cpu'),
      /** Extension: CPU worker threads (default: all cores, at most 2). */
      threads: z.number().int().min(1).max(64).optional(),
      /** Extension: depth below which a cell is dry (m). */
      dry_tolerance_m: positive.optional(),
    })
    .default({ scheme: 'fv', cfl: 0.9, backend: 'cpu' }),
});

export type Scenario = z.infer<typeof scenarioSchema>;
