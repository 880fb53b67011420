/**
 * A small benchmark of the flood solver: cell-updates per second on an n x n,
 * all-wet basin (smooth bumpy bed, a tilted surface that sets the water
 * moving, walls, Manning 0.03), or on a given DEM (`grid`: a lake whose
 * tilted surface lies above the highest bed, so every cell is wet), and this
 * machine's memory bandwidth to set it against (DESIGN.md: benchmarks print
 * ratios measured in one run). For `npm run bench`; never used by tests to
 * pass or fail.
 *
 *   const bw = measureMemoryBandwidth();
 *   const r = benchmarkFlood({ n: 1024, scheme: 'fv', threads: 2 });
 *   console.log(r.cellUpdatesPerSecond / 1e6, 'M cell-updates/s;', bw / 1e9, 'GB/s');
 */
import { createFloodSolver } from './index';
import type { FloodKernels, FloodScheme } from './types';

/** A DEM to benchmark on (metres, row 0 north). */
export interface FloodBenchGrid {
  nx: number;
  ny: number;
  dx: number;
  dy: number;
  bed: Float64Array;
}

export interface FloodBenchOptions {
  /** Cells per side of the synthetic basin (ignored with `grid`). */
  n: number;
  /** Benchmark on this DEM instead: water surface 1 m above its highest bed, tilted by 0.3 m west to east. */
  grid?: FloodBenchGrid;
  scheme: FloodScheme;
  threads?: number;
  /** Untimed steps first (JIT warm-up). Default 5. */
  warmupSteps?: number;
  /** Timed steps; default: as many as fit in minSeconds. */
  steps?: number;
  /** Default 2 s. */
  minSeconds?: number;
  /** Manning's n; default 0.03 (0 skips friction). */
  manning?: number;
  /** CPU kernels (default: the solver's default). */
  kernels?: FloodKernels;
}

export interface FloodBenchResult {
  n: number;
  scheme: FloodScheme;
  threads: number;
  kernels: FloodKernels;
  cells: number;
  steps: number;
  seconds: number;
  cellUpdatesPerSecond: number;
  /** Share of cells wet (depth above the dry tolerance) after the timed steps. */
  wetFraction: number;
}

export function benchmarkFlood(opts: FloodBenchOptions): FloodBenchResult {
  const { n, scheme } = opts;
  const threads = opts.threads ?? 1;
  const { nx, ny, dx, dy, bed } = opts.grid ?? syntheticBasin(n);
  const cells = nx * ny;
  const h0 = new Float64Array(cells);
  if (opts.grid) {
    let top = -Infinity;
    for (let k = 0; k < cells; k++) top = Math.max(top, bed[k]!);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) h0[j * nx + i] = top + 1 + 0.3 * (i / nx) - bed[j * nx + i]!;
  } else {
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) h0[j * nx + i] = 2 + 0.3 * (i / nx) - bed[j * nx + i]!;
  }
  const solver = createFloodSolver({
    nx,
    ny,
    dx,
    dy,
    bed,
    h0,
    manning: opts.manning ?? 0.03,
    scheme,
    cfl: 0.9,
    threads,
    kernels: opts.kernels,
    boundaries: { west: { type: 'wall' }, east: { type: 'wall' }, north: { type: 'wall' }, south: { type: 'wall' } },
  });
  try {
    for (let s = 0; s < (opts.warmupSteps ?? 5); s++) solver.step(1e9);
    const minSeconds = opts.minSeconds ?? 2;
    const start = performance.now();
    let steps = 0;
    for (;;) {
      solver.step(1e9);
      steps++;
      const seconds = (performance.now() - start) / 1000;
      if (opts.steps !== undefined ? steps >= opts.steps : seconds >= minSeconds) {
        let wet = 0;
        for (let k = 0; k < cells; k++) if (solver.h[k]! > 1e-4) wet++;
        return { n, scheme, threads, kernels: solver.kernels, cells, steps, seconds, cellUpdatesPerSecond: (cells * steps) / seconds, wetFraction: wet / cells };
      }
    }
  } finally {
    solver.dispose();
  }
}

/** The synthetic n x n basin: 10 m cells, a smooth bumpy bed. */
function syntheticBasin(n: number): FloodBenchGrid {
  const bed = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) bed[j * n + i] = 0.5 * Math.sin(6 * (i / n)) * Math.cos(5 * (j / n));
  }
  return { nx: n, ny: n, dx: 10, dy: 10, bed };
}

/**
 * Sustained memory bandwidth of one thread (bytes/s): the best of a few
 * passes of the triad a[i] = b[i] + s c[i] over three arrays of `megabytes` MB each
 * (24 bytes moved per element).
 */
export function measureMemoryBandwidth(megabytes = 64, passes = 5): number {
  const n = Math.floor((megabytes * 1024 * 1024) / 8);
  const a = new Float64Array(n);
  const b = new Float64Array(n).fill(1);
  const c = new Float64Array(n).fill(2);
  let best = Infinity;
  for (let p = 0; p < passes; p++) {
    const start = performance.now();
    triad(a, b, c, 1.5 + p);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return (24 * n) / best;
}

function triad(a: Float64Array, b: Float64Array, c: Float64Array, s: number): void {
  for (let i = 0; i < a.length; i++) a[i] = b[i]! + s * c[i]!;
}
