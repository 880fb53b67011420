/**
 * A small benchmark of the flood solver: cell-updates per second on an n x n,
 * all-wet basin (smooth bumpy bed, a tilted surface that sets the water
 * moving, walls, Manning 0.03). For `npm run bench`; never used by tests
 * to pass or fail.
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
    manning: Number(process.env.BENCH_N ?? 0.03),
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
