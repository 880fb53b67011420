/**
 * One member of a rain family through the flood solver (read-only use of
 * src/physics): block rain on the DEM, open edges, max depth over every step
 * (as scenario/flood-maxima.ts keeps it, so peaks between outputs count).
 */
import { TerraError } from '../../api/errors';
import { createFloodSolver, DEFAULT_DRY_TOLERANCE } from '../../physics/flood/index';
import type { FloodScheme } from '../../physics/flood/types';
import type { RainScenario } from './family';

export interface Terrain {
  nx: number;
  ny: number;
  /** Cell size (m). */
  dx: number;
  dy: number;
  /** Row-major, row 0 north (m). */
  bed: Float64Array;
}

export interface SolverChoice {
  scheme: FloodScheme;
  cfl: number;
  manning: number;
  threads: number;
}

export interface SimulationResult {
  maxDepth: Float32Array;
  /** Solver wall time: set-up, threads and every step (s). */
  wallS: number;
  steps: number;
  massErrorRel: number;
}

export interface SimulateOptions {
  signal?: AbortSignal;
  /** Fraction of simulated time done, at most every 250 ms. */
  onProgress?: (fraction: number) => void;
}

/** Runs the scenario to its end; a cancel rejects with TerraError('CANCELLED'). */
export async function simulateMaxDepth(
  terrain: Terrain,
  scenario: Pick<RainScenario, 'intensity_mm_h' | 'duration_min' | 'simulated_min'>,
  choice: SolverChoice,
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  if (options.signal?.aborted) throw new TerraError('CANCELLED', 'simulation cancelled');
  const { nx, ny } = terrain;
  const cells = nx * ny;
  const rainEnd = scenario.duration_min * 60;
  const end = scenario.simulated_min * 60;
  const rate = scenario.intensity_mm_h / 3.6e6; // mm/h -> m/s
  const open = { type: 'open' as const };
  const started = performance.now();
  const solver = createFloodSolver({
    nx,
    ny,
    dx: terrain.dx,
    dy: terrain.dy,
    bed: terrain.bed,
    manning: choice.manning,
    h0: new Float64Array(cells),
    boundaries: { west: open, east: open, north: open, south: open },
    rain: (t) => (t < rainEnd ? rate : 0),
    scheme: choice.scheme,
    cfl: choice.cfl,
    threads: choice.threads,
  });
  const maxDepth = new Float32Array(cells);
  let [lastYield, lastReport] = [started, started];
  try {
    while (end - solver.time > 1e-9 * end) {
      // Land a step on the end of the rain so every member gets exactly I x D.
      const next = solver.time < rainEnd ? rainEnd : end;
      const dt = solver.step(next - solver.time);
      if (!(dt > 0)) throw new TerraError('INTERNAL', `flood solver stalled at t=${solver.time} s (dt=${dt})`);
      const h = solver.h;
      for (let i = 0; i < cells; i++) if (h[i]! > maxDepth[i]!) maxDepth[i] = h[i]!;
      const now = performance.now();
      if (now - lastYield > 50) {
        // The solver is synchronous: let cancel requests and Ctrl-C through.
        lastYield = now;
        await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) throw new TerraError('CANCELLED', 'simulation cancelled');
      }
      if (options.onProgress && now - lastReport > 250) {
        lastReport = now;
        options.onProgress(solver.time / end);
      }
    }
    for (let i = 0; i < cells; i++) if (maxDepth[i]! <= DEFAULT_DRY_TOLERANCE) maxDepth[i] = 0;
    const volume = solver.volume();
    const { volumeIn, volumeOut } = solver.mass;
    return {
      maxDepth,
      wallS: (performance.now() - started) / 1000,
      steps: solver.steps,
      massErrorRel: Math.abs(volume - (volumeIn - volumeOut)) / Math.max(volumeIn, 1e-300),
    };
  } finally {
    solver.dispose();
    await solver.whenThreadsExit();
  }
}
