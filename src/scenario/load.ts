/**
 * Loads and checks a scenario before any computation: schema, files, grid
 * agreement, gauges and inflows inside the grid, series covering the run.
 * Every problem is a TerraError naming the scenario field (and file).
 */
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import type { Raster } from '../core/raster';
import { interpolator, readSeries, type Series } from '../io/csv-series';
import { forcingBreaks } from './forcing-breaks';
import { readDem } from '../io/read-dem';
import type { Boundary, FloodSetup } from '../physics/flood/types';
import { rainCellField, rainCellProblems } from '../weather/rain-cell';
import { loadRainGrid } from './rain-grid';
import { scenarioSchema, type Scenario } from './schema';
import { readJsonFile } from '../io/json-file';

export interface Gauge {
  name: string;
  x: number;
  y: number;
  cell: number;
}

export interface PreparedScenario {
  file: string;
  scenario: Scenario;
  georef: Georeference;
  /** Everything the solver needs except threads/scheme choices already folded in. */
  setup: FloodSetup;
  gauges: Gauge[];
  durationS: number;
  intervalS: number;
}

const SIDES = ['west', 'east', 'north', 'south'] as const;

export async function loadScenario(file: string): Promise<PreparedScenario> {
  const name = basename(file);
  const fail = (field: string, problem: string, extra: Record<string, unknown> = {}) =>
    new TerraError('INVALID_PARAMS', `${name}: ${field}: ${problem}`, { file, field, ...extra });

  const json = await readJsonFile(file);
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(issue.path.join('.') || '(root)', issue.message, {
      issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  const scenario = parsed.data;
  const base = dirname(resolve(file));
  const at = (p: string) => resolve(base, p);

  const dem = await readRaster(at(scenario.terrain.dem), 'terrain.dem');
  const { nx, ny } = dem.georef;
  const holes = countNaN(dem.data);
  if (holes > 0) {
    const first = dem.data.findIndex(Number.isNaN);
    throw fail('terrain.dem', `${holes} nodata cells (first at row ${Math.floor(first / nx)}, column ${first % nx}); fill or clip the DEM first`);
  }
  const sameGrid = async (p: string, field: string) => {
    const r = await readRaster(at(p), field);
    if (r.georef.nx !== nx || r.georef.ny !== ny) {
      throw fail(field, `grid is ${r.georef.nx} x ${r.georef.ny}, the DEM is ${nx} x ${ny}`);
    }
    if (countNaN(r.data) > 0) throw fail(field, 'has nodata cells');
    return r;
  };

  let manning: number | Float64Array;
  if ('manning' in scenario.friction) manning = scenario.friction.manning;
  else {
    manning = Float64Array.from((await sameGrid(scenario.friction.manning_raster, 'friction.manning_raster')).data);
    if (manning.some((n) => n < 0 || n >= 1)) throw fail('friction.manning_raster', 'values must be in [0, 1)');
  }

  const bed = Float64Array.from(dem.data);
  let h0: Float64Array;
  const initial = scenario.initial;
  if (!initial) h0 = new Float64Array(nx * ny);
  else if ('water_level' in initial) h0 = bed.map((z) => Math.max(0, initial.water_level - z));
  else {
    h0 = Float64Array.from((await sameGrid(initial.depth, 'initial.depth')).data);
    if (h0.some((h) => h < 0)) throw fail('initial.depth', 'depths must not be negative');
  }

  const duration = scenario.duration_s;
  const covering = async (p: string, field: string, column: string): Promise<Series> => {
    const s = await readSeries(at(p), column).catch((err: unknown) => {
      if (err instanceof TerraError) throw new TerraError(err.code, `${field}: ${err.message}`, { ...err.details, field });
      throw err;
    });
    const first = s.t[0]!;
    const last = s.t[s.t.length - 1]!;
    if (first > 0 || last < duration) {
      throw fail(field, `${s.file} covers ${first}-${last} s but the run needs 0-${duration} s`);
    }
    return s;
  };

  const boundaries = {} as Record<(typeof SIDES)[number], Boundary>;
  for (const side of SIDES) {
    const b = scenario.boundaries[side] ?? { type: 'wall' as const };
    boundaries[side] =
      b.type === 'stage' ? { type: 'stage', stage: interpolator(await covering(b.series, `boundaries.${side}.series`, 'stage_m')) } : b;
  }

  let rain: FloodSetup['rain'];
  const breaks: number[] = [];
  if (scenario.rain && 'grid' in scenario.rain) {
    const { grid, ...options } = scenario.rain;
    const field = await loadRainGrid(at(grid), options, dem.georef, duration, fail);
    rain = field.rain;
    breaks.push(...field.breaks);
  } else if (scenario.rain && 'cell' in scenario.rain) {
    const cell = scenario.rain.cell;
    const problem = rainCellProblems(cell, dem.georef)[0];
    if (problem) throw fail(`rain.cell.${problem.field}`, problem.problem);
    rain = rainCellField(cell, dem.georef);
    breaks.push(cell.track[0]!.t_s, cell.track[cell.track.length - 1]!.t_s);
  } else if (scenario.rain) {
    const series = await covering(scenario.rain.series, 'rain.series', 'intensity_mm_per_h');
    const mmPerHour = interpolator(series);
    rain = (t) => mmPerHour(t) / 3.6e6; // mm/h -> m/s
    breaks.push(...series.t);
  }

  const cellOf = (x: number, y: number, field: string) => {
    const col = Math.floor((x - dem.georef.x0) / dem.georef.dx);
    const row = Math.floor((dem.georef.y0 - y) / dem.georef.dy);
    if (col < 0 || col >= nx || row < 0 || row >= ny) {
      const { x0, y0, dx, dy } = dem.georef;
      throw fail(field, `point (${x}, ${y}) is outside the grid (x ${x0}..${x0 + nx * dx}, y ${y0 - ny * dy}..${y0})`);
    }
    return row * nx + col;
  };

  const inflows: NonNullable<FloodSetup['inflows']> = [];
  for (const [i, inflow] of scenario.inflows.entries()) {
    const cell = cellOf(inflow.x, inflow.y, `inflows.${i}`);
    const series = await covering(inflow.series, `inflows.${i}.series`, 'discharge_m3_s');
    inflows.push({ cell, discharge: interpolator(series) });
    breaks.push(...series.t);
  }
  const gauges = scenario.output.gauges.map((g, i) => ({ ...g, cell: cellOf(g.x, g.y, `output.gauges.${i}`) }));
  const names = new Set<string>();
  for (const [i, g] of gauges.entries()) {
    if (names.has(g.name)) throw fail(`output.gauges.${i}.name`, `duplicate gauge name "${g.name}"`);
    names.add(g.name);
  }

  const intervalS = scenario.output.interval_s ?? duration / 100;
  if (intervalS > duration) throw fail('output.interval_s', `${intervalS} s is longer than the run (${duration} s)`);
  if (duration / intervalS > 1e6) throw fail('output.interval_s', 'more than a million output times; use a longer interval');

  const setup: FloodSetup = {
    nx,
    ny,
    dx: dem.georef.dxMetres,
    dy: dem.georef.dyMetres,
    bed,
    manning,
    h0,
    boundaries,
    rain,
    forcingBreaks: forcingBreaks(breaks, duration),
    inflows,
    scheme: scenario.solver.scheme,
    cfl: scenario.solver.cfl,
    dryTolerance: scenario.solver.dry_tolerance_m,
    threads: scenario.solver.threads ?? Math.min(2, availableParallelism()),
  };
  return { file, scenario, georef: dem.georef, setup, gauges, durationS: duration, intervalS };
}

/** Reads a grid of the scenario (any terrain format readDem knows), naming the scenario field in errors. */
async function readRaster(path: string, field: string): Promise<Raster> {
  try {
    return await readDem(path);
  } catch (err) {
    if (err instanceof TerraError) throw new TerraError(err.code, `${field}: ${err.message}`, { ...err.details, field });
    throw err;
  }
}

function countNaN(data: Float32Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i]!)) n++;
  return n;
}
