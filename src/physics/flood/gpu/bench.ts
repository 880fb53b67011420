/**
 * The GPU line of the flood benchmark: cell-updates per second of the WGSL
 * solver through its fast path (advanceTo: dt on the GPU, one read-back per
 * batch) on the same all-wet basin as ../bench.ts (smooth bumpy bed, tilted
 * surface, walls, Manning 0.03). For `npm run bench`; never a test.
 *
 * On SwiftShader (software Vulkan on the CPU) the figure is a correctness
 * smoke test of the fast path, not a GPU speed: `software` says which it was.
 */
import { isSoftwareAdapter, probeGpu } from '../../../compute/gpu';
import type { FloodScheme, FloodSetup } from '../types';
import { createGpuFloodSolver } from './solver';

export interface GpuFloodBenchOptions {
  /** Cells per side. */
  n: number;
  scheme: FloodScheme;
  /** Timed for at least this long (s). Default 2. */
  minSeconds?: number;
  /** Steps per advanceTo call (about). Default 100. */
  stepsPerCall?: number;
  /** Manning's n; default 0.03. */
  manning?: number;
  device?: GPUDevice;
}

export interface GpuFloodBenchResult {
  n: number;
  scheme: FloodScheme;
  cells: number;
  steps: number;
  seconds: number;
  cellUpdatesPerSecond: number;
  /** The adapter, in words. */
  adapter: string;
  /** True on a software adapter (SwiftShader): the number is a smoke test, not a GPU speed. */
  software: boolean;
  /** Stored volume after the timed steps relative to before, minus 1: the walled basin must conserve it (float32 sums). */
  volumeChange: number;
}

/** The basin of ../bench.ts (kept equal so CPU and GPU lines compare). */
function basin(n: number, scheme: FloodScheme, manning: number): FloodSetup {
  const cells = n * n;
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
  return {
    nx: n,
    ny: n,
    dx: 10,
    dy: 10,
    bed,
    h0,
    manning,
    scheme,
    cfl: 0.9,
    boundaries: { west: { type: 'wall' }, east: { type: 'wall' }, north: { type: 'wall' }, south: { type: 'wall' } },
  };
}

export async function benchmarkGpuFlood(opts: GpuFloodBenchOptions): Promise<GpuFloodBenchResult> {
  const { n, scheme } = opts;
  const probe = opts.device ? ({ available: false, reason: 'device given' } as const) : await probeGpu();
  const solver = await createGpuFloodSolver(basin(n, scheme, opts.manning ?? 0.03), opts.device ? { device: opts.device } : {});
  try {
    const per = opts.stepsPerCall ?? 100;
    await solver.advanceTo(5 * solver.stableDt()); // warm-up: pipelines, first submissions
    const volume0 = await solver.volume();
    const minSeconds = opts.minSeconds ?? 2;
    const start = performance.now();
    let steps = 0;
    let seconds = 0;
    while (seconds < minSeconds) {
      steps += await solver.advanceTo(solver.time + per * solver.stableDt());
      seconds = (performance.now() - start) / 1000;
    }
    const cells = n * n;
    const volumeChange = (await solver.volume()) / volume0 - 1;
    // A device handed in (a browser's) describes its own adapter; else the engine's probe does.
    const info = opts.device?.adapterInfo ?? (probe.available ? probe.info : null);
    return {
      n,
      scheme,
      cells,
      steps,
      seconds,
      cellUpdatesPerSecond: (cells * steps) / seconds,
      adapter: info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'unknown',
      software: info ? isSoftwareAdapter(info) : true,
      volumeChange,
    };
  } finally {
    solver.dispose();
  }
}
