/**
 * A rain scenario on a built-in sample site, set from the explorer rather
 * than a scenario file. It builds the PreparedScenario that loadScenario
 * would build from the equivalent SCENARIO.json: rain uniform over the site
 * at a constant intensity for its duration and none after (or a moving rain
 * cell, track times in seconds from the run's start), every side open
 * (runoff leaves the site), the site dry or filled to a water level, gauges
 * checked against the grid. It also records each gauge's series as the run goes.
 */
import { availableParallelism } from 'node:os';
import { TerraError } from '../api/errors';
import type { Params } from '../api/methods';
import type { GaugeSeries, SiteSummary } from '../api/types';
import type { Raster } from '../core/raster';
import type { FloodSetup } from '../physics/flood/types';
import { interpolator } from '../io/csv-series';
import { rainCellField, rainCellProblems } from '../weather/rain-cell';
import type { Gauge, PreparedScenario } from './load';
import type { RunFrame } from './run';
import { forcingBreaks } from './forcing-breaks';
import { scenarioSchema } from './schema';

/** What the caller sets: flood.run's params less where and how results travel. */
export type SiteRain = Omit<Params<'flood.run'>, 'site' | 'projectDir' | 'frames'>;

export interface SiteScenarioOptions {
  /** Write fields.zarr (the caller may stream frames instead). */
  fields: boolean;
}

const OPEN = { type: 'open' } as const;
/** Manning's n when none is given: the scenario schema's default. */
const DEFAULT_MANNING = 0.03;

export function siteScenario(site: SiteSummary, dem: Raster, rain: SiteRain, options: SiteScenarioOptions): PreparedScenario {
  const fail = (field: string, problem: string) => new TerraError('INVALID_PARAMS', `${site.name}: ${field}: ${problem}`, { field });
  const { nx, ny, x0, y0, dx, dy } = dem.georef;
  const hole = dem.data.findIndex(Number.isNaN);
  if (hole >= 0) {
    throw new TerraError('INVALID_DATA', `${site.name}: the DEM has nodata cells (first at row ${Math.floor(hole / nx)}, column ${hole % nx})`, {
      field: 'site',
    });
  }
  const { name, scenarioRain, rate, breaks } = siteRain(rain, dem, fail);
  const level = rain.initial_water_level_m;
  const edges = { west: OPEN, east: OPEN, north: OPEN, south: OPEN, ...edgesOf(rain.boundaries) };
  const cellAt = (x: number, y: number, field: string) => {
    const col = Math.floor((x - x0) / dx);
    const row = Math.floor((y0 - y) / dy);
    if (col < 0 || col >= nx || row < 0 || row >= ny) {
      throw fail(field, `point (${x}, ${y}) is outside the grid (x ${x0}..${x0 + nx * dx}, y ${y0 - ny * dy}..${y0})`);
    }
    return row * nx + col;
  };
  const inflows = (rain.inflows ?? []).map((f, i) => ({ cell: cellAt(f.x, f.y, `inflows.${i}`), discharge: hydrograph(f.series) }));
  const inflowNames = new Set<string>();
  for (const [i, f] of (rain.inflows ?? []).entries()) {
    if (inflowNames.has(f.name)) throw fail(`inflows.${i}.name`, `duplicate inflow name "${f.name}"`);
    inflowNames.add(f.name);
    breaks.push(...f.series.map((p) => p.t_s));
  }
  // The file this run would have; descriptions stand in for paths, nothing is read from them.
  const scenario = scenarioSchema.parse({
    name: `${site.name}: ${name}`,
    terrain: { dem: `site:${site.id}` },
    friction: { manning: rain.manning ?? DEFAULT_MANNING },
    ...(level === undefined ? {} : { initial: { water_level: level } }),
    boundaries: edges,
    rain: scenarioRain,
    inflows: (rain.inflows ?? []).map((f) => ({ name: f.name, x: f.x, y: f.y, series: `${f.series.length} points, ${f.series[0]!.t_s}-${f.series.at(-1)!.t_s} s` })),
    duration_s: rain.duration_s,
    output: { interval_s: rain.output_interval_s, gauges: rain.gauges ?? [], fields: options.fields },
    solver: { scheme: rain.scheme ?? 'fv' },
  });

  const gauges: Gauge[] = scenario.output.gauges.map((g, i) => ({ ...g, cell: cellAt(g.x, g.y, `gauges.${i}`) }));
  const names = new Set<string>();
  for (const [i, g] of gauges.entries()) {
    if (names.has(g.name)) throw fail(`gauges.${i}.name`, `duplicate gauge name "${g.name}"`);
    names.add(g.name);
  }

  const bed = Float64Array.from(dem.data);
  const setup: FloodSetup = {
    nx,
    ny,
    dx: dem.georef.dxMetres,
    dy: dem.georef.dyMetres,
    bed,
    manning: rain.manning ?? DEFAULT_MANNING,
    h0: level === undefined ? new Float64Array(nx * ny) : bed.map((z) => Math.max(0, level - z)),
    boundaries: edges,
    rain: rate,
    forcingBreaks: forcingBreaks(breaks, rain.duration_s),
    inflows,
    scheme: scenario.solver.scheme,
    cfl: scenario.solver.cfl,
    threads: Math.min(2, availableParallelism()),
  };
  return {
    file: `site:${site.id}`,
    scenario,
    georef: dem.georef,
    setup,
    gauges,
    durationS: scenario.duration_s,
    intervalS: rain.output_interval_s,
  };
}

/** The edges a flood.run sets (each open or a wall), as the solver takes them. */
function edgesOf(boundaries: SiteRain['boundaries']): Partial<Record<'west' | 'east' | 'north' | 'south', { type: 'open' | 'wall' }>> {
  return Object.fromEntries(Object.entries(boundaries ?? {}).map(([side, type]) => [side, { type }]));
}

/** Discharge (m3/s) linear between a series' points, none outside them. */
function hydrograph(series: { t_s: number; discharge_m3_s: number }[]): (t: number) => number {
  const first = series[0]!.t_s;
  const last = series[series.length - 1]!.t_s;
  const q = interpolator({ file: 'inflow', valueName: 'discharge_m3_s', t: Float64Array.from(series, (p) => p.t_s), v: Float64Array.from(series, (p) => p.discharge_m3_s) });
  return (t) => (t < first || t > last ? 0 : q(t));
}

/** The rain of a flood.run as the solver takes it, its scenario-file form and a name for it; a cell is checked against the site first. */
function siteRain(
  params: SiteRain,
  dem: Raster,
  fail: (field: string, problem: string) => TerraError,
): { name: string; scenarioRain: unknown; rate: NonNullable<FloodSetup['rain']>; breaks: number[] } {
  const spec = params.rain;
  if ('cell' in spec) {
    const { cell } = spec;
    const problem = rainCellProblems(cell, dem.georef)[0];
    if (problem) throw fail(`rain.cell.${problem.field}`, problem.problem);
    const first = cell.track[0]!.t_s;
    const last = cell.track[cell.track.length - 1]!.t_s;
    if (first > params.duration_s) throw fail('rain.cell.track', `the cell rains from ${first} s to ${last} s, after the run ends (${params.duration_s} s)`);
    return {
      name: `rain cell ${cell.peak_mm_h} mm/h, radius ${cell.radius_m} m, ${first}-${last} s`,
      scenarioRain: { cell },
      rate: rainCellField(cell, dem.georef),
      breaks: [first, last],
    };
  }
  const { intensity_mm_per_h: intensity, duration_s: duration } = spec;
  const rate = intensity / 3.6e6; // mm/h -> m/s
  return {
    name: `rain ${intensity} mm/h for ${duration} s`,
    scenarioRain: { series: `constant ${intensity} mm/h from 0 to ${duration} s` },
    rate: (t) => (t < duration ? rate : 0),
    breaks: [duration],
  };
}

/**
 * Each gauge's series, recorded from the run's frames at the gauge's cell:
 * what the frames carry (32-bit), with stage = bed + depth as in gauges.csv.
 * Read from the frames rather than gauges.csv, whose text is for people and
 * other tools.
 */
export function gaugeRecorder(prepared: PreparedScenario): { series: GaugeSeries[]; record(frame: RunFrame): void } {
  const { nx } = prepared.georef;
  const { bed } = prepared.setup;
  const series = prepared.gauges.map(
    (g): GaugeSeries => ({ name: g.name, x: g.x, y: g.y, col: g.cell % nx, row: Math.floor(g.cell / nx), time_s: [], depth_m: [], stage_m: [], u_m_s: [], v_m_s: [] }),
  );
  const record = (frame: RunFrame) =>
    prepared.gauges.forEach(({ cell }, i) => {
      const s = series[i]!;
      const depth = frame.depth[cell]!;
      s.time_s.push(frame.time);
      s.depth_m.push(depth);
      s.stage_m.push(bed[cell]! + depth);
      s.u_m_s.push(frame.u[cell]!);
      s.v_m_s.push(frame.v[cell]!);
    });
  return { series, record };
}
