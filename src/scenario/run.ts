/**
 * Runs a prepared flood scenario and writes the contract's outputs:
 * gauges.csv, max_depth.asc/.tif (+ max_velocity, hazard, arrival_time),
 * fields.zarr and summary.json. The run loop is separate from the solver:
 * it clamps steps to hit output times exactly, checks for NaN, reports
 * progress and stops cleanly on cancel, leaving valid partial outputs.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TerraError } from '../api/errors';
import type { FloodFrameStats, FloodRunSummary } from '../api/types';
import { writeFileAtomic } from '../core/atomic-write';
import type { Raster } from '../core/raster';
import { writeEsriAscii } from '../io/esri-ascii';
import { writeGeoTiff } from '../io/geotiff-write';
import { fieldGridOf, ZarrFieldWriter } from '../io/zarr-fields';
import { createFloodSolver } from '../physics/flood/index';
import { nextBreak } from './forcing-breaks';
import { createGpuFloodSolver, type GpuFloodSolver } from '../physics/flood/gpu/index';
import type { FloodSolver } from '../physics/flood/types';
import { FloodMaxima } from './flood-maxima';
import { GaugeWriter } from './gauge-writer';
import type { PreparedScenario } from './load';

export interface RunProgress {
  fraction: number;
  time: number;
  steps: number;
  dt: number;
  cellUpdatesPerS: number;
}

export interface RunFrame {
  time: number;
  depth: Float32Array;
  u: Float32Array;
  v: Float32Array;
  /** The water balance at this time. */
  stats: FloodFrameStats;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** Called at every output time with fresh arrays (safe to transfer). */
  onFrame?: (frame: RunFrame) => void;
  /** Minimum wall time between progress reports (ms). */
  progressIntervalMs?: number;
}

export type RunSummary = FloodRunSummary;

const DEFAULT_DRY_TOLERANCE = 1e-4;

export async function runScenario(prepared: PreparedScenario, outDir: string, options: RunOptions = {}): Promise<RunSummary> {
  const { setup, georef, gauges, durationS, intervalS, scenario } = prepared;
  const { nx, ny } = setup;
  const cells = nx * ny;
  const dryTolerance = setup.dryTolerance ?? DEFAULT_DRY_TOLERANCE;
  await mkdir(outDir, { recursive: true });

  const outputTimes = outputSchedule(durationS, intervalS);
  const onGpu = scenario.solver.backend === 'gpu';
  const solver: FloodSolver | GpuFloodSolver = onGpu
    ? await createGpuFloodSolver(setup, { arrivalDepth: scenario.output.arrival_depth_m })
    : createFloodSolver(setup);
  const volume0 = await solver.volume();
  const gaugeWriter = new GaugeWriter(join(outDir, 'gauges.csv'), gauges, setup.bed, dryTolerance);
  const maxima = new FloodMaxima(cells, dryTolerance, scenario.output.arrival_depth_m);
  const fields = scenario.output.fields
    ? await ZarrFieldWriter.create(
        join(outDir, 'fields.zarr'),
        fieldGridOf(georef),
        [
          { name: 'depth', units: 'm', longName: 'water depth' },
          { name: 'u', units: 'm s-1', longName: 'eastward depth-averaged velocity' },
          { name: 'v', units: 'm s-1', longName: 'northward depth-averaged velocity' },
        ],
        outputTimes.length,
        { scenario: scenario.name, scheme: setup.scheme },
      )
    : null;

  const started = performance.now();
  let lastReport = 0;
  let lastYield = started;
  let status: RunSummary['status'] = 'completed';
  let dt: number;
  const record = async (time: number) => {
    gaugeWriter.record(time, solver.h, solver.hu, solver.hv);
    if (!fields && !options.onFrame) return;
    const frame = snapshot(time, solver, dryTolerance, setup.dx * setup.dy);
    await fields?.append(time, { depth: frame.depth, u: frame.u, v: frame.v });
    options.onFrame?.(frame);
  };

  try {
    if (!onGpu) maxima.update(0, solver.h, solver.hu, solver.hv);
    await record(0);
    for (let k = 1; k < outputTimes.length; k++) {
      const target = outputTimes[k]!;
      while (target - solver.time > 1e-9 * Math.max(1, target)) {
        if (options.signal?.aborted) {
          status = 'cancelled';
          break;
        }
        // Steps end on forcing breaks too, so none straddles a storm's start or end.
        const stop = Math.min(target, nextBreak(setup.forcingBreaks, solver.time));
        if (onGpu) {
          // The GPU keeps dt and time on the device and runs to the next
          // output time or forcing break, as the CPU steps do (cutting it
          // shorter would shorten the steps and change the answer); progress
          // and cancel act between those.
          const gpu = solver as GpuFloodSolver;
          const [t0, n0] = [gpu.time, gpu.steps];
          await gpu.advanceTo(stop);
          dt = gpu.steps > n0 ? (gpu.time - t0) / (gpu.steps - n0) : 0; // mean step of the slice
          lastReport = reportProgress(options, gpu, durationS, dt, cells, started, lastReport);
          continue;
        }
        dt = (solver as FloodSolver).step(stop - solver.time);
        if (!(dt > 0) || !Number.isFinite(solver.time)) {
          throw new TerraError('INTERNAL', `solver stalled at t=${solver.time} s (dt=${dt}); check the DEM and boundaries`);
        }
        maxima.update(solver.time, solver.h, solver.hu, solver.hv);
        const now = performance.now();
        // The solver is synchronous: yield to the event loop now and then so
        // cancel requests, Ctrl-C and engine messages get through.
        if (now - lastYield > 50) {
          lastYield = now;
          await new Promise((resolve) => setImmediate(resolve));
        }
        lastReport = reportProgress(options, solver, durationS, dt, cells, started, lastReport);
      }
      if (status === 'cancelled') break;
      if (onGpu) await (solver as GpuFloodSolver).sync();
      checkFinite(solver, target, nx);
      await record(target);
    }
  } finally {
    await gaugeWriter.close();
    await fields?.finish();
  }

  const wall = (performance.now() - started) / 1000;
  const volumeFinal = await solver.volume();
  const { volumeIn, volumeOut } = solver.mass;
  const clipped = solver.mass.clipped ?? 0;
  const extremes = onGpu ? await (solver as GpuFloodSolver).readMaxima() : maxima;
  solver.dispose();

  const outputs = ['gauges.csv', 'summary.json'];
  if (fields) outputs.push('fields.zarr');
  const rasters: [string, Float32Array][] = [
    ['max_depth', extremes.maxDepth],
    ['max_velocity', extremes.maxSpeed],
    ['hazard', extremes.hazard],
    ['arrival_time', extremes.arrival],
  ];
  for (const [name, data] of rasters) {
    const raster: Raster = { data, georef, units: name === 'arrival_time' ? 's' : 'm' };
    await writeEsriAscii(join(outDir, `${name}.asc`), raster);
    await writeGeoTiff(join(outDir, `${name}.tif`), raster);
    outputs.push(`${name}.asc`, `${name}.tif`);
  }

  let maxDepth = 0;
  for (const d of extremes.maxDepth) if (d > maxDepth) maxDepth = d;
  const summary: RunSummary = {
    name: scenario.name,
    status,
    scheme: setup.scheme,
    backend: onGpu ? 'gpu' : 'cpu',
    threads: onGpu ? 0 : (setup.threads ?? 1),
    kernels: onGpu ? 'wgsl' : (solver as FloodSolver).kernels,
    cells,
    nx,
    ny,
    dx_m: setup.dx,
    dy_m: setup.dy,
    steps: solver.steps,
    duration_s: durationS,
    simulated_time_s: solver.time,
    output_times: gaugeWriterCount(outputTimes, solver.time),
    wall_time_s: wall,
    cell_updates_per_s: wall > 0 ? (cells * solver.steps) / wall : 0,
    volume_initial_m3: volume0,
    volume_in_m3: volumeIn,
    volume_out_m3: volumeOut,
    volume_final_m3: volumeFinal,
    volume_clipped_m3: clipped,
    mass_error_rel: Math.abs(volumeFinal - (volume0 + volumeIn - volumeOut)) / Math.max(volume0 + volumeIn, 1e-300),
    max_depth_m: maxDepth,
    outputs: outputs.sort(),
  };
  await writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/** Output times 0, dt, 2 dt, ... and the end of the run if it falls between. */
export function outputSchedule(duration: number, interval: number): number[] {
  const times: number[] = [];
  const n = Math.floor(duration / interval + 1e-9);
  for (let k = 0; k <= n; k++) times.push(Math.min(k * interval, duration));
  if (duration - times[times.length - 1]! > 1e-9 * duration) times.push(duration);
  return times;
}

function gaugeWriterCount(times: number[], reached: number): number {
  return times.filter((t) => t <= reached + 1e-9 * Math.max(1, t)).length;
}

/** Reports progress at most every progressIntervalMs; returns the time of the last report. */
function reportProgress(
  options: RunOptions,
  solver: { time: number; steps: number },
  duration: number,
  dt: number,
  cells: number,
  started: number,
  lastReport: number,
): number {
  const now = performance.now();
  if (!options.onProgress || now - lastReport <= (options.progressIntervalMs ?? 250)) return lastReport;
  options.onProgress(progressOf(solver, duration, dt, cells, started));
  return now;
}

/** What the run loop reads of either solver. */
interface SolverState {
  h: Float64Array;
  hu: Float64Array;
  hv: Float64Array;
  mass: { volumeIn: number; volumeOut: number };
}

function snapshot(time: number, solver: SolverState, dryTolerance: number, cellArea: number): RunFrame {
  const n = solver.h.length;
  const depth = new Float32Array(n);
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  // Storage as solver.volume() sums it (float64 depths), without a second GPU read-back.
  let stored = 0;
  for (let i = 0; i < n; i++) {
    const d = solver.h[i]!;
    stored += d;
    depth[i] = d;
    if (d > dryTolerance) {
      u[i] = solver.hu[i]! / d;
      v[i] = solver.hv[i]! / d;
    }
  }
  const { volumeIn, volumeOut } = solver.mass;
  return { time, depth, u, v, stats: { storage_m3: stored * cellArea, volume_in_m3: volumeIn, volume_out_m3: volumeOut } };
}

function progressOf(solver: { time: number; steps: number }, duration: number, dt: number, cells: number, started: number): RunProgress {
  const wall = (performance.now() - started) / 1000;
  return {
    fraction: Math.min(1, solver.time / duration),
    time: solver.time,
    steps: solver.steps,
    dt,
    cellUpdatesPerS: wall > 0 ? (cells * solver.steps) / wall : 0,
  };
}

function checkFinite(solver: SolverState, time: number, nx: number): void {
  const { h, hu, hv } = solver;
  for (let i = 0; i < h.length; i++) {
    if (!Number.isFinite(h[i]!) || !Number.isFinite(hu[i]!) || !Number.isFinite(hv[i]!)) {
      throw new TerraError('INTERNAL', `non-finite water state at t=${time} s at row ${Math.floor(i / nx)}, column ${i % nx}; the run was stopped`);
    }
  }
}
