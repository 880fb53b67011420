/**
 * `npm run bench`: throughput figures measured in one run, printed beside this
 * machine's memory bandwidth (STREAM-style triad, same run). Never a test.
 *
 *   BENCH_QUICK=1   smaller grids and shorter timings (a smoke run)
 */
import { availableParallelism, cpus } from 'node:os';
import { benchmarkFlood } from '../../src/physics/flood/bench';
import type { FloodScheme } from '../../src/physics/flood/types';
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
  return cells.map((c, i) => (i === 0 ? c.padEnd(28) : c.padStart(14))).join('');
}

async function main(): Promise<void> {
  console.log(`Terra Twin benchmarks on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.versions.node}`);
  const bandwidth = new Map<number, number>();
  for (const t of threadCounts) {
    const r = await triad(t, quick ? 2 ** 23 : 2 ** 25);
    bandwidth.set(t, r.bytesPerS);
    console.log(`memory bandwidth (triad, ${t} thread${t > 1 ? 's' : ''}): ${(r.bytesPerS / 1e9).toFixed(2)} GB/s`);
  }

  console.log('\nFlood solver, all-wet basin (cell-updates/s; bound = triad bandwidth / minimum bytes per update)');
  console.log(row(['case', 'M updates/s', 'bound M/s', 'of bound', 'vs LISFLOOD']));
  const reference: Record<FloodScheme, number> = { inertial: 25e6, fv: 10e6 }; // LISFLOOD-FP 8.1, 2 threads, 1024^2
  for (const n of quick ? [256] : [256, 1024]) {
    for (const scheme of ['inertial', 'fv'] as const) {
      for (const threads of threadCounts) {
        const r = benchmarkFlood({ n, scheme, threads, minSeconds: quick ? 0.5 : 3 });
        const bound = bandwidth.get(threads)! / BYTES_PER_UPDATE[scheme];
        console.log(
          row([
            `${scheme} ${n}^2, ${threads} thr`,
            (r.cellUpdatesPerSecond / 1e6).toFixed(2),
            (bound / 1e6).toFixed(1),
            `${((100 * r.cellUpdatesPerSecond) / bound).toFixed(1)}%`,
            `${(r.cellUpdatesPerSecond / reference[scheme]).toFixed(2)}x`,
          ]),
        );
      }
    }
  }
}

await main();
