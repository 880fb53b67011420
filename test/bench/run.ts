/**
 * `npm run bench`: throughput figures measured in one run, printed beside this
 * machine's memory bandwidth (STREAM-style triad, same run). Never a test.
 *
 * Flood solver cases: the synthetic all-wet basin at 256^2 and 1024^2, and
 * the Trinidad DEM (test/bench/trinidad.ts: 2159 x 1352 cells of 82.5 m,
 * 2.9 M cells) under a lake 1 m above its highest point, so every cell is wet;
 * both schemes, 1 and 2 threads.
 *
 * Then, each in a fresh process: the import benchmark, the weather section
 * (test/bench/weather.ts: wind solve at ~1 M cells, wind particles in
 * headless Chromium) and the renderer benchmark.
 *
 *   BENCH_QUICK=1   smaller grids and shorter timings (a smoke run)
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchmarkFlood, type FloodBenchGrid } from '../../src/physics/flood/bench';
import type { FloodKernels, FloodScheme } from '../../src/physics/flood/types';
import { loadTrinidadGrid } from './trinidad';
import { triad } from './triad';

const quick = process.env.BENCH_QUICK === '1';
const maxThreads = Math.min(2, availableParallelism());
const threadCounts = [...new Set([1, maxThreads])];

/**
 * Minimum memory traffic per cell update (bytes), assuming every array is
 * streamed once per sweep in float64: fv reads h, hu, hv, bed and writes
 * h, hu, hv in each of its two stages; inertial reads h, bed, qx, qy and
 * writes qx, qy, h once. The bound is cells/s = bandwidth / bytes.
 */
const BYTES_PER_UPDATE: Record<FloodScheme, number> = { fv: 2 * 7 * 8, inertial: 7 * 8 };

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(38) : c.padStart(14))).join('');
}

async function main(): Promise<void> {
  console.log(`Terra Twin benchmarks on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.versions.node}`);
  const bandwidth = new Map<number, number>();
  for (const t of threadCounts) {
    const r = await triad(t, quick ? 2 ** 23 : 2 ** 25);
    bandwidth.set(t, r.bytesPerS);
    console.log(`memory bandwidth (triad, ${t} thread${t > 1 ? 's' : ''}): ${(r.bytesPerS / 1e9).toFixed(2)} GB/s`);
  }

  const t0 = performance.now();
  const trinidad = await loadTrinidadGrid();
  console.log(
    `Trinidad DEM: ${trinidad.nx} x ${trinidad.ny} cells of ${trinidad.dx} m (${(trinidad.nx * trinidad.ny / 1e6).toFixed(2)} M cells, ` +
      `${trinidad.filledCells} edge cells of nodata given the lowest bed), read and reprojected in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  console.log('\nFlood solver, all wet (cell-updates/s; bound = triad bandwidth / minimum bytes per update)');
  console.log('WebAssembly kernels (assembly/flood); the TypeScript kernels they match bit for bit follow for comparison.');
  console.log(row(['case', 'M updates/s', 'bound M/s', 'of bound', 'vs LISFLOOD']));
  const reference: Record<FloodScheme, number> = { inertial: 25e6, fv: 10e6 }; // LISFLOOD-FP 8.1, 2 threads, 1024^2
  const size = quick ? 256 : 1024;
  const cases: { name: string; n: number; grid?: FloodBenchGrid; kernels?: FloodKernels; threadCounts?: number[] }[] = [
    ...(quick ? [256] : [256, 1024]).map((n) => ({ name: `${n}^2`, n })),
    { name: 'Trinidad', n: 0, grid: trinidad },
    { name: `${size}^2 (TS kernels)`, n: size, kernels: 'typescript', threadCounts: [maxThreads] },
  ];
  for (const c of cases) {
    for (const scheme of ['inertial', 'fv'] as const) {
      for (const threads of c.threadCounts ?? threadCounts) {
        const big = c.grid !== undefined;
        const r = benchmarkFlood({
          n: c.n,
          grid: c.grid,
          scheme,
          threads,
          kernels: c.kernels,
          minSeconds: quick ? 0.5 : big ? 2.5 : 3,
          warmupSteps: quick && big ? 1 : big ? 3 : 5,
        });
        const bound = bandwidth.get(threads)! / BYTES_PER_UPDATE[scheme];
        const wet = r.wetFraction < 1 ? ` (${(100 * r.wetFraction).toFixed(1)}% wet)` : '';
        console.log(
          row([
            `${scheme} ${c.name}, ${threads} thr`,
            (r.cellUpdatesPerSecond / 1e6).toFixed(2),
            (bound / 1e6).toFixed(1),
            `${((100 * r.cellUpdatesPerSecond) / bound).toFixed(1)}%`,
            `${(r.cellUpdatesPerSecond / reference[scheme]).toFixed(2)}x${wet}`,
          ]),
        );
      }
    }
  }
}

await main();

// The import benchmark measures peak memory, so it runs in a fresh process.
console.log('');
const importBench = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./import.bench.ts', import.meta.url)), quick ? '1' : '3'], {
  stdio: 'inherit',
});
if (importBench.status !== 0) console.log(`(import benchmark exited with ${importBench.status})`);

// The weather section: the wind solve at ~1 M cells (Node) and the wind particles in headless Chromium.
console.log('');
const weatherBench = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./weather.ts', import.meta.url))], { stdio: 'inherit' });
if (weatherBench.status !== 0) console.log(`(weather benchmark exited with ${weatherBench.status})`);

// The renderer benchmark drives headless Chromium; it says so and skips where there is none.
console.log('');
const renderBench = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./render.ts', import.meta.url))], { stdio: 'inherit' });
if (renderBench.status !== 0) console.log(`(renderer benchmark exited with ${renderBench.status})`);
