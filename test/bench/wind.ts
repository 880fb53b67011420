/**
 * Benchmark of the mass-consistent wind solve (`npx tsx test/bench/wind.ts`;
 * `npm run bench` runs it in its weather section, test/bench/weather.ts):
 * the Jacksboro DEM at its own 3 arc-seconds (403 x 344, 0.14 M cells) and
 * resampled bilinearly to 1/2.7 of its cell size (1088 x 929, 1.01 M cells),
 * a uniform 10 m/s westerly with 5 m/s from the south, default options
 * (lid 1000 m above the highest point, relative residual 1e-8). Prints the
 * solve time, multigrid-preconditioned CG iterations, the residual and divergence reached,
 * the wall and CPU time (they differ on a shared machine), and the wall time
 * per cell-iteration against this machine's memory bandwidth (STREAM triad,
 * same run). Never a test.
 *
 *   BENCH_QUICK=1   the native grid only
 */
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Raster } from '../../src/core/raster';
import { resample } from '../../src/core/resample';
import { readDem } from '../../src/io/read-dem';
import { solveMassConsistentWind } from '../../src/physics/atmosphere/wind/mass-consistent';
import { triad } from './triad';

const JACKSBORO = fileURLToPath(new URL('../../assets/sites/jacksboro/jacksboro_fault_dem.npz', import.meta.url));

/**
 * Float64 bytes streamed per fine cell per CG iteration: A p (p, diag, east,
 * south in, q out) 40; the V-cycle's fine level: two Gauss-Seidel sweeps
 * (b, diag, east, south, x read and x written) 2 x 48, the residual's A x
 * 40, zeroing x 8, restriction 16, prolongation 16; its coarser levels a
 * third more (176 / 3 = 59); the updates x += a p, r -= a q and p = z + b p
 * 72; two dot products 32. Total 379.
 */
export const BYTES_PER_CELL_ITERATION = 379;

/** One solve's figures, as printed. */
export interface WindBenchRow {
  nx: number;
  ny: number;
  iterations: number;
  seconds: number;
  cpuSeconds: number;
  /** Wall time per cell-iteration (s) and its share of the bandwidth bound. */
  perCellIteration: number;
  ofBound: number;
  relativeResidual: number;
  maxDivergence: number;
}

export const WIND_HEADER = `${'grid'.padEnd(34)} ${'cells'.padStart(11)} ${''.padStart(8)} ${'iter'.padStart(6)} ${'solve'.padStart(10)} ${'cpu'.padStart(9)} ${'per cell-it'.padStart(11)} ${'of bound'.padStart(8)}   residual  max |div(H u)|`;

/** The Jacksboro DEM at its own 3 arc-seconds, and resampled bilinearly to 1/2.7 of its cell size (1088 x 929, 1.01 M cells). */
export async function windGrids(): Promise<{ native: Raster; fine: () => Raster }> {
  const native = await readDem(JACKSBORO);
  return { native, fine: () => resample(native, native.georef.dx / 2.7, native.georef.dy / 2.7, 'bilinear') };
}

/** Solves the uniform wind over `dem`, prints its row and returns it. */
export async function benchWind(label: string, dem: Raster, bandwidth: number): Promise<WindBenchRow> {
  const { nx, ny, dxMetres, dyMetres } = dem.georef;
  const n = nx * ny;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const w = await solveMassConsistentWind({ nx, ny, dx: dxMetres, dy: dyMetres, terrain: dem.data }, new Float32Array(n).fill(10), new Float32Array(n).fill(5));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const perCellIteration = seconds / (n * w.iterations);
  const bound = BYTES_PER_CELL_ITERATION / bandwidth;
  console.log(
    `${label.padEnd(34)} ${`${nx} x ${ny}`.padStart(11)} ${(n / 1e6).toFixed(2).padStart(6)} M ${String(w.iterations).padStart(6)} ${seconds.toFixed(2).padStart(8)} s ${cpuSeconds.toFixed(2).padStart(7)} s ` +
      `${(perCellIteration * 1e9).toFixed(1).padStart(8)} ns ${((bound / perCellIteration) * 100).toFixed(0).padStart(5)} %   ${w.relativeResidual.toExponential(1)}  ${w.maxDivergence.toExponential(1)} m/s`,
  );
  return {
    nx,
    ny,
    iterations: w.iterations,
    seconds,
    cpuSeconds,
    perCellIteration,
    ofBound: bound / perCellIteration,
    relativeResidual: w.relativeResidual,
    maxDivergence: w.maxDivergence,
  };
}

async function main(): Promise<void> {
  console.log(`Mass-consistent wind on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.versions.node} (one thread used)`);
  const bandwidth = (await triad(1, 2 ** 24)).bytesPerS;
  console.log(`memory bandwidth (triad, 1 thread): ${(bandwidth / 1e9).toFixed(2)} GB/s; bound ${BYTES_PER_CELL_ITERATION} B per cell-iteration = ${((BYTES_PER_CELL_ITERATION / bandwidth) * 1e9).toFixed(1)} ns`);
  console.log(WIND_HEADER);
  const { native, fine } = await windGrids();
  await benchWind('Jacksboro, 3 arc-s (~83 m)', native, bandwidth);
  if (process.env.BENCH_QUICK === '1') return;
  await benchWind('Jacksboro resampled x2.7 (~31 m)', fine(), bandwidth);
}

// Run alone (`npx tsx test/bench/wind.ts`); test/bench/weather.ts imports it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
