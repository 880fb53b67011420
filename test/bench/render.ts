/**
 * Renderer benchmark: what a depth frame of the water layer costs the
 * browser's main thread, and the frame time, on synthetic 1024^2 (1 M cells)
 * and 2048^2 (4 M cells) terrains. Headless Chromium (WebGL2 on SwiftShader,
 * as the browser e2e suite) loads test/bench/render.html through a Vite dev
 * server; the page drives the real TerrainScene and WaterLayer
 * (renderer/src/bench/render-bench.ts). At 1 M cells it also times frames
 * with the water's ripples off and on, interleaved in the same run. Then the
 * terrain's level of detail: vertices and triangles drawn (renderer.info) and
 * frame times at the home view and zoomed in on the centre. Run alone with
 * `npx tsx test/bench/render.ts`; `npm run bench` runs it last.
 *
 * SwiftShader rasterises a 1 M-vertex terrain plus its water in seconds on a
 * busy 2-core machine, so each size takes 10 updated frames (and 10 redrawn
 * without an update) by default, not 60:
 *
 *   RENDER_SAMPLES=N   N frames a size
 *   BENCH_QUICK=1      3 frames a size
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { RenderBenchResult } from '../../renderer/src/bench/bench-results';
import { CHROMIUM } from '../e2e/browser/harness';
import { openTestPage } from '../e2e/browser/test-page';

/** The budget for one depth-field update at 1 M cells, main thread. */
const TARGET_MS = 4;
const SIZES = [1024, 2048];
const SAMPLES = Number(process.env.RENDER_SAMPLES) || (process.env.BENCH_QUICK === '1' ? 3 : 10);
/** One size's page call: setup plus 2 x SAMPLES frames of several seconds each under SwiftShader. */
const SIZE_TIMEOUT_MS = 1_800_000;

/** The grid the water's ripples are timed on (on and off, in the same run). */
const RIPPLE_SIZE = 1024;

// The page's function, as render-bench.ts installs it (this file has no lib.dom).
declare const window: { runRenderBench(n: number, samples: number, ripples: boolean): Promise<RenderBenchResult> };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function row(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(18) : c.padStart(14))).join('');
}

/**
 * Serves test/bench/render.html through Vite and opens it in headless
 * Chromium (1280 x 800); `use` gets the page once the bench functions are
 * installed. Null when there is no Chromium (the caller says it skipped).
 */
export async function withBenchPage<T>(use: (page: Page, problems: string[]) => Promise<T>): Promise<T | null> {
  if (!existsSync(CHROMIUM)) return null;
  const opened = await openTestPage('test/bench/render.html', 'runRenderBench', { width: 1280, height: 800 });
  try {
    return await use(opened.page, opened.errors);
  } finally {
    await opened.close();
  }
}

async function main(): Promise<void> {
  const ran = await withBenchPage(async (page, problems) => {
    const results: RenderBenchResult[] = [];
    page.setDefaultTimeout(SIZE_TIMEOUT_MS);
    for (const n of SIZES) {
      const t0 = performance.now();
      results.push(await page.evaluate(([size, samples, ripples]) => window.runRenderBench(size as number, samples as number, ripples as boolean), [n, SAMPLES, n === RIPPLE_SIZE] as const));
      console.log(`${n} x ${n}: measured in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    if (problems.length) throw new Error(`the bench page failed: ${problems.join('; ')}`);

    const [first] = results;
    console.log(`Renderer: water depth-field update and frame time (${first!.gpu}, canvas ${first!.canvas.join(' x ')}, median of ${SAMPLES} frames)`);
    console.log('SwiftShader is a software renderer on the CPU: the frame times are not GPU figures, and on 2 busy');
    console.log('cores its rasterisation competes with the main thread. The update columns are main-thread time.');
    console.log(row(['grid', 'setWater ms', 'upload ms', 'update ms', 'target ms', 'frames', 'max/frame ms', 'frame ms', 'no-update ms']));
    for (const r of results) {
      const update = median(r.setWater.map((s, i) => s + r.upload[i]!));
      const cells = r.nx * r.ny;
      console.log(
        row([
          `${r.nx} x ${r.ny} (${Math.round(cells / 2 ** 20)} M)`,
          median(r.setWater).toFixed(2),
          median(r.upload).toFixed(2),
          update.toFixed(2),
          cells === 2 ** 20 ? `${TARGET_MS}${update <= TARGET_MS ? ' (met)' : ' (missed)'}` : '-',
          String(median(r.framesToShow)),
          median(r.setWater.map((s, i) => s + r.uploadFrameMax[i]!)).toFixed(2),
          median(r.frame).toFixed(1),
          median(r.frameNoUpdate).toFixed(1),
        ]),
      );
    }
    console.log('setWater: the copy of the depth field and the upload flag; upload: the scene\'s work until the field is on');
    console.log('show (texture uploads, the water\'s wet-tile scan); update: their sum, main-thread time per field. A field over 4 MB is uploaded a band per drawn frame');
    console.log('(frames: how many it took); max/frame: setWater + the largest upload in one frame. frame: the slowest of');
    console.log('those frames, render + upload until rasterised (readPixels); no-update: the same view redrawn.');

    const rippled = results.find((r) => r.frameRipplesOn.length > 0);
    if (rippled) {
      const off = median(rippled.frameRipplesOff);
      const on = median(rippled.frameRipplesOn);
      console.log('');
      console.log(`Water ripples: frame time off and on, interleaved frames of the same view, with a velocity frame (median of ${SAMPLES})`);
      console.log(row(['grid', 'off ms', 'on ms', 'on / off', 'flow map ms']));
      console.log(
        row([
          `${rippled.nx} x ${rippled.ny} (${Math.round((rippled.nx * rippled.ny) / 2 ** 20)} M)`,
          off.toFixed(1),
          on.toFixed(1),
          (on / off).toFixed(2),
          median(rippled.flowUpdate).toFixed(2),
        ]),
      );
      console.log('on: the ripple octaves, flow map, Fresnel and glint in the water shader; flow map: rebuilding the velocity');
      console.log('texture from a frame (main thread, once per new frame while ripples are on). On, the view redraws every frame.');
    }
    printCoverage(results);
    printDetail(results);
    return true;
  });
  if (ran === null) console.log(`Renderer benchmark skipped: no Chromium at ${CHROMIUM} (install the chromium package, or set CHROMIUM_PATH).`);
}

/** The home view redrawn by how much of the terrain holds water: the water skips dry tiles. */
function printCoverage(results: RenderBenchResult[]): void {
  console.log('');
  console.log(`Water coverage: the home view redrawn (median of ${SAMPLES} frames); the water is drawn on wet tiles only`);
  console.log(row(['grid', 'water', 'wet tiles', 'frame ms', 'ratio to none']));
  for (const r of results) {
    const none = median(r.coverage.find((c) => c.water === 'none')!.frame);
    for (const c of r.coverage) {
      const frame = median(c.frame);
      console.log(row([`${r.nx} x ${r.ny}`, c.water, `${c.wetTiles} / ${c.tiles}`, frame.toFixed(1), (frame / none).toFixed(2)]));
    }
  }
}

/** The terrain's level of detail table: one row per size and view. */
function printDetail(results: RenderBenchResult[]): void {
  const measured = results.filter((r) => r.detail);
  if (!measured.length) return;
  const millions = (n: number) => `${(n / 1e6).toFixed(2)} M`;
  console.log('');
  console.log(`Terrain level of detail: what the terrain and its water draw, and the frame time (median of ${SAMPLES} redrawn frames)`);
  console.log(`${row(['grid', 'view', 'detail', 'vertices', 'triangles', 'draw calls', 'frame ms', 'settle ms'])}  tiles x stride`);
  for (const r of measured) {
    for (const [name, d] of [['home', r.detail!.home], ['zoomed in', r.detail!.zoomed]] as const) {
      const strides = Object.entries(d.strides).map(([stride, count]) => `${count}x${stride}`).join(' ');
      console.log(
        row([
          `${r.nx} x ${r.ny} (${Math.round((r.nx * r.ny) / 2 ** 20)} M)`,
          name,
          d.full ? 'full' : 'LOD',
          millions(d.vertices),
          millions(d.triangles),
          String(d.calls),
          median(d.frame).toFixed(1),
          name === 'home' ? '-' : d.settle.toFixed(0),
        ]) + `  ${strides}`,
      );
    }
  }
  console.log('vertices: the terrain tiles\' (surface, skirts, walls); triangles and draw calls: renderer.info of the whole frame');
  console.log('(terrain and water). settle: from the zoom until every tile was drawn at its chosen level (built while frames go on).');
}

// Run alone (`npx tsx test/bench/render.ts`); test/bench/weather.ts uses withBenchPage.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
