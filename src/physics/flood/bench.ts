/**
 * A small benchmark of the flood solver: cell-updates per second on an n x n,
 * all-wet basin (smooth bumpy bed, a tilted surface that sets the water
 * moving, walls, Manning 0.03), and this machine's memory bandwidth to set it
 * against (DESIGN.md: benchmarks print ratios measured in one run). For
 * `npm run bench`; never used by tests to pass or fail.
 *
 *   const bw = measureMemoryBandwidth();
 *   const r = benchmarkFlood({ n: 1024, scheme: 'fv', threads: 2 });
 *   console.log(r.cellUpdatesPerSecond / 1e6, 'M cell-updates/s;', bw / 1e9, 'GB/s');
 */
import { createFloodSolver } from './index';
import type { FloodScheme } from './types';

export interface FloodBenchOptions {
  /** Cells per side. */
  n: number;
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
}

export interface FloodBenchResult {
  n: number;
  scheme: FloodScheme;
  threads: number;
  cells: number;
  steps: number;
  seconds: number;
  cellUpdatesPerSecond: number;
}

export function benchmarkFlood(opts: FloodBenchOptions): FloodBenchResult {
  const { n, scheme } = opts;
  const threads = opts.threads ?? 1;
  const cells = n * n;
  const dx = 10;
  const bed = new Float64Array(cells);
  const h0 = new Float64Array(cells);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = i / n;
      const y = j / n;
      const z = 0.5 * Math.sin(6 * x) * Math.cos(5 * y);
      bed[j * n + i] = z;
      h0[j * n + i] = 2 + 0.3 * x - z;
    }
  }
  const solver = createFloodSolver({
    nx: n,
    ny: n,
    dx,
    dy: dx,
    bed,
    h0,
    manning: opts.manning ?? 0.03,
    scheme,
    cfl: 0.9,
    threads,
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
        return { n, scheme, threads, cells, steps, seconds, cellUpdatesPerSecond: (cells * steps) / seconds };
      }
    }
  } finally {
    solver.dispose();
  }
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
