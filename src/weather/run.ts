/**
 * Runs a prepared weather scenario: for each output time, the source's
 * fields on the site grid are downscaled to the terrain and the wind made
 * mass-consistent over it, then written to OUTDIR/fields.zarr, points.csv
 * and summary.json, and handed to `onFrame` (the `weather.run` job streams
 * them to the explorer). Cancelling (Ctrl-C, a cancelled job) stops at once,
 * even inside a wind solve, and still leaves valid outputs holding the
 * frames finished.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TerraError } from '../api/errors';
import { writeFileAtomic } from '../core/atomic-write';
import { formatIsoUtc } from '../core/time';
import { fieldGridOf, ZarrFieldWriter } from '../io/zarr-fields';
import { KELVIN } from '../physics/atmosphere/constants';
import { downscaleToTerrain } from '../physics/atmosphere/downscale';
import { solveMassConsistentWind, type WindResult } from '../physics/atmosphere/wind/mass-consistent';
import type { PreparedWeather } from './load';
import type { WeatherSource } from './source';
import { OUTPUT_VARIABLES, type OutputName } from './outputs';
import { PointWriter } from './point-writer';
import type { CrossValidationReport } from './station-source';

export interface WeatherProgress {
  /** Share of the run done, 0-1. */
  fraction: number;
  frame: number;
  frames: number;
  time: string;
  /** Iteration of the wind solve under way, if any. */
  windIteration?: number;
}

/** The fields of one output time, as written to fields.zarr (temperature in degC, pressure in Pa, winds in m/s). */
export interface WeatherFrame {
  /** Epoch ms. */
  time: number;
  fields: Partial<Record<OutputName, Float32Array>>;
}

export interface WeatherRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: WeatherProgress) => void;
  /** Each frame once computed and written, in time order (a job streams them; the arrays are the run's, not copies). */
  onFrame?: (frame: WeatherFrame) => void;
}

export interface WindSolveSummary {
  time: string;
  iterations: number;
  relative_residual: number;
  converged: boolean;
  /** Largest |div(H u)| (m/s) after and before the adjustment. */
  max_divergence_m_s: number;
  initial_max_divergence_m_s: number;
}

export interface WeatherSummary {
  name: string;
  status: 'completed' | 'cancelled';
  source: WeatherSource['kind'];
  inputs: string[];
  nx: number;
  ny: number;
  cells: number;
  dx_m: number;
  dy_m: number;
  crs: string;
  frames_planned: number;
  frames_written: number;
  first_time: string;
  variables: OutputName[];
  wall_time_s: number;
  wind: { lid_top_m: number; lid_depth_m: number; solves: WindSolveSummary[] } | null;
  cross_validation: Record<string, CrossValidationReport> | null;
  warnings: string[];
  outputs: string[];
}

export async function runWeather(prepared: PreparedWeather, outDir: string, options: WeatherRunOptions = {}): Promise<WeatherSummary> {
  const { scenario, georef, dem, times, source, outputs, points } = prepared;
  const { nx, ny } = georef;
  const started = performance.now();
  await mkdir(outDir, { recursive: true });
  const fields = scenario.output.fields
    ? await ZarrFieldWriter.create(
        join(outDir, 'fields.zarr'),
        fieldGridOf(georef),
        outputs.map((o) => OUTPUT_VARIABLES[o]),
        times.length,
        { scenario: scenario.name, source: source.kind },
      )
    : null;
  const pointWriter = new PointWriter(join(outDir, 'points.csv'), points, outputs);
  const wind = scenario.wind;
  const solves: WindSolveSummary[] = [];
  let lidTop = NaN;
  let status: WeatherSummary['status'] = 'completed';
  let written = 0;
  const windGrid = { nx, ny, dx: georef.dxMetres, dy: georef.dyMetres, terrain: dem };
  const rh = scenario.downscaling.relative_humidity;

  try {
    for (let k = 0; k < times.length; k++) {
      if (options.signal?.aborted) {
        status = 'cancelled';
        break;
      }
      const t = times[k]!;
      const progress = (within: number, windIteration?: number) =>
        options.onProgress?.({ fraction: (k + within) / times.length, frame: k, frames: times.length, time: formatIsoUtc(t), windIteration });
      progress(0);
      const src = source.fieldsAt(t);
      const out: Partial<Record<OutputName, Float32Array>> = {};
      if (src.temperature) {
        const atm = downscaleToTerrain(
          { elevation: source.referenceElevation, temperature: src.temperature, pressure: src.pressure, relativeHumidity: src.relativeHumidity ?? rh },
          dem,
          { lapseRate: scenario.downscaling.lapse_rate_K_per_km / 1000, cloudCriticalRatio: scenario.downscaling.cloud_critical_rh },
        );
        out.temperature = atm.temperature.map((v) => v - KELVIN);
        if (atm.pressure) out.pressure = atm.pressure;
        if (atm.relativeHumidity) out.relative_humidity = atm.relativeHumidity;
        if (atm.cloud) out.cloud_fraction = atm.cloud;
      }
      if (src.u && src.v) {
        if (wind.mass_consistent) {
          let w: WindResult;
          try {
            w = await solveMassConsistentWind(windGrid, src.u, src.v, {
              lidDepth: wind.lid_depth_m,
              tolerance: wind.tolerance,
              maxIterations: wind.max_iterations,
              signal: options.signal,
              onProgress: (p) => progress(p.fraction, p.iteration),
            });
          } catch (err) {
            if (err instanceof TerraError && err.code === 'CANCELLED') {
              status = 'cancelled';
              break;
            }
            throw err;
          }
          lidTop = w.top;
          solves.push({
            time: formatIsoUtc(t),
            iterations: w.iterations,
            relative_residual: w.relativeResidual,
            converged: w.converged,
            max_divergence_m_s: w.maxDivergence,
            initial_max_divergence_m_s: w.initialMaxDivergence,
          });
          Object.assign(out, { u: w.u, v: w.v, wind_speed: w.speed });
        } else {
          Object.assign(out, { u: src.u, v: src.v, wind_speed: src.u.map((u, i) => Math.hypot(u, src.v![i]!)) });
        }
      } else if (src.windSpeed) out.wind_speed = src.windSpeed;
      if (src.precipitation) out.precipitation = src.precipitation;
      await fields?.append((t - times[0]!) / 1000, out as Record<string, Float32Array>);
      pointWriter.record(t, out);
      written++;
      options.onFrame?.({ time: t, fields: out });
      progress(1);
    }
  } finally {
    await pointWriter.close();
    await fields?.finish(`seconds since ${formatIsoUtc(times[0]!)}`);
  }

  const warnings = [...source.warnings];
  const unconverged = solves.filter((s) => !s.converged);
  if (unconverged.length) warnings.push(`wind solve did not reach the tolerance at ${unconverged.map((s) => s.time).join(', ')}; raise wind.max_iterations`);
  const summary: WeatherSummary = {
    name: scenario.name,
    status,
    source: source.kind,
    inputs: source.description,
    nx,
    ny,
    cells: nx * ny,
    dx_m: georef.dxMetres,
    dy_m: georef.dyMetres,
    crs: georef.crs,
    frames_planned: times.length,
    frames_written: written,
    first_time: formatIsoUtc(times[0]!),
    variables: outputs,
    wall_time_s: (performance.now() - started) / 1000,
    wind: source.variables.includes('u') && wind.mass_consistent ? { lid_top_m: lidTop, lid_depth_m: wind.lid_depth_m, solves } : null,
    cross_validation: 'crossValidation' in source ? source.crossValidation : null,
    warnings,
    outputs: [...(fields ? ['fields.zarr'] : []), 'points.csv', 'summary.json'],
  };
  await writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
