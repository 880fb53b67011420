/**
 * The weather benchmark (`npx tsx test/bench/weather.ts`; `npm run bench`
 * runs it as its weather section), printed in one run:
 *
 * - the mass-consistent wind solve in Node at about 1 M cells: the Jacksboro
 *   DEM resampled to 1088 x 929 (1.01 M cells), a uniform 10 m/s westerly
 *   with 5 m/s from the south, default options (test/bench/wind.ts), against
 *   this machine's memory bandwidth measured in the same run;
 * - the wind particles' update at 65,536 particles in headless Chromium, with
 *   the frame it sits in (terrain, temperature overlay, particles) and the
 *   main-thread cost of a new weather frame's wind (renderer/src/bench/
 *   render-bench.ts, runParticleBench, over a 384 x 384 synthetic terrain,
 *   about Jacksboro's 139 k cells).
 *
 * Headless Chromium renders WebGL2 on SwiftShader, a software renderer: the
 * particle figures are CPU-rendering figures, not GPU ones.
 *
 *   BENCH_QUICK=1      the native 0.14 M-cell grid only, 3 particle samples
 *   RENDER_SAMPLES=N   N particle samples (default 10)
 */
import { availableParallelism, cpus } from 'node:os';
import type { ParticleBenchResult } from '../../renderer/src/bench/bench-results';
import { withBenchPage } from './render';
import { triad } from './triad';
import { BYTES_PER_CELL_ITERATION, benchWind, WIND_HEADER, windGrids } from './wind';

const quick = process.env.BENCH_QUICK === '1';
const SAMPLES = Number(process.env.RENDER_SAMPLES) || (quick ? 3 : 10);
const PARTICLE_TERRAIN = 384;

// The page's function, as render-bench.ts installs it.
declare const window: { runParticleBench(n: number, samples: number): Promise<ParticleBenchResult> };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  console.log(`Weather benchmark on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} threads, Node ${process.versions.node}`);
  const bandwidth = (await triad(1, quick ? 2 ** 23 : 2 ** 24)).bytesPerS;
  console.log(`memory bandwidth (triad, 1 thread): ${(bandwidth / 1e9).toFixed(2)} GB/s; bound ${BYTES_PER_CELL_ITERATION} B per cell-iteration = ${((BYTES_PER_CELL_ITERATION / bandwidth) * 1e9).toFixed(1)} ns`);

  console.log('\nMass-consistent wind solve (Node, one thread; multigrid-preconditioned CG to a relative residual of 1e-8)');
  console.log(WIND_HEADER);
  const { native, fine } = await windGrids();
  const small = await benchWind('Jacksboro, 3 arc-s (~83 m)', native, bandwidth);
  const big = quick ? null : await benchWind('Jacksboro resampled x2.7 (~31 m)', fine(), bandwidth);
  const main = big ?? small;
  console.log(
    `=> ${((main.nx * main.ny) / 1e6).toFixed(2)} M cells: wind solved in ${main.seconds.toFixed(2)} s (${main.iterations} iterations, ` +
      `${(main.perCellIteration * 1e9).toFixed(1)} ns per cell-iteration, ${(main.ofBound * 100).toFixed(0)} % of the bandwidth bound)`,
  );

  console.log(`\nWind particles (headless Chromium, ${SAMPLES} frames, median)`);
  const result = await withBenchPage(async (page, problems) => {
    page.setDefaultTimeout(1_800_000);
    const r = await page.evaluate(([n, samples]) => window.runParticleBench(n!, samples!), [PARTICLE_TERRAIN, SAMPLES]);
    if (problems.length) throw new Error(`the bench page failed: ${problems.join('; ')}`);
    return r;
  });
  if (!result) {
    console.log('Particle benchmark skipped: no Chromium (install the chromium package, or set CHROMIUM_PATH).');
    return;
  }
  const software = /swiftshader|llvmpipe|software/i.test(result.gpu);
  console.log(`${result.gpu}, canvas ${result.canvas.join(' x ')}, ${result.particles.toLocaleString('en')} particles over a ${result.nx} x ${result.ny} terrain`);
  if (software) {
    console.log('SwiftShader is a software renderer: these are CPU-rendering figures (2 cores shared with the page), not GPU ones.');
  }
  const update = median(result.update);
  const frame = median(result.frame);
  const without = median(result.frameNoParticles);
  const rows: [string, string][] = [
    ['particle update (ping-pong pass, waited for)', `${update.toFixed(2)} ms = ${((result.particles / update) * 1e3 / 1e6).toFixed(1)} M particles/s`],
    ['new weather frame: setWind (main thread)', `${median(result.setWind).toFixed(2)} ms`],
    ['frame with particles (terrain, overlay, particles)', `${frame.toFixed(1)} ms`],
    ['same frame without particles', `${without.toFixed(1)} ms (particles draw ${(frame - without).toFixed(1)} ms)`],
  ];
  for (const [label, value] of rows) console.log(`${label.padEnd(52)} ${value}`);
}

await main();
