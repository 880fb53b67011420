/**
 * The flood explorer's first complete path in a real browser against serve
 * mode: open Jacksboro, set a short strong rain, run the physics while its
 * frames stream into the timeline, scrub and play, see the water, drop
 * probes and read their charts, export them as CSV and the view as PNG.
 *
 * What is drawn is checked against what the engine computed: pixels that the
 * water layer changes (water on vs off) are clicked to drop probes, whose
 * cells must hold water deeper than the threshold, and pixels it leaves
 * alone must be dry; every probe chart must equal the series of an engine
 * gauge at its cell, from a second run with those gauges.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineClient, type GaugeSeries } from '../../../src/api';
import { GAUGE_HEADER } from '../../../src/scenario/gauge-writer';
import { BACKGROUND, READY_TIMEOUT, RESULTS_DIR } from './harness';
import { floodRunParams, serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';
import { all, changedMask, decodePng, foregroundMask, maskShare, pickPixels, type Image } from './pixels';

// Functions passed to page.evaluate run in the browser; this file is compiled
// without lib.dom, so it declares the little of the DOM they touch.
interface PageElement {
  dataset: Record<string, string | undefined>;
  width: number;
  height: number;
}
declare const document: { querySelector(selector: string): PageElement | null };

/** The run: strong, short rain on Jacksboro (about 30 s of wall time on 2 busy cores). */
const RAIN = { intensityMmPerH: '200', rainMinutes: '5', durationMinutes: '10', intervalMinutes: '1' };
const FRAMES = 11;
const THRESHOLD = 0.01; // renderer/src/scene/depth-ramp.ts
const RUN_TIMEOUT = 240_000;

const view = '[data-testid="terrain-view"]';
const scenario = '[data-testid="scenario"]';
const timeline = '[data-testid="timeline"]';

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let client: EngineClient;
let consoleProblems: string[] = [];

beforeAll(async () => {
  app = await serveExplorer('&site=jacksboro', { viewport: { width: 1280, height: 800 }, engine: true });
  ({ page, ui, consoleProblems } = app);
  client = app.client!;
});

afterAll(() => app?.close());

/** Probes dropped on pixels the water layer changes, and on pixels it leaves as terrain. */
const dropped = { wet: [] as string[], dry: [] as string[] };

describe('flood explorer in the browser (serve mode)', () => {
  it('runs a rain scenario; frames stream into the timeline, the probe dropped before it charts live', { timeout: RUN_TIMEOUT }, async () => {
    // A probe before the run: it becomes a gauge of the run and fills as frames arrive.
    const canvas = await ui.canvasBox();
    await ui.dropProbe(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.5);
    await ui.fillRain(RAIN);

    // Live: while the run is under way the timeline already holds some of its frames, and so does the probe.
    const recorded = await ui.recordAttributes({
      phase: [scenario, 'phase'],
      count: [timeline, 'count'],
      probe: ['[data-testid="probe"] [data-testid="probe-chart"][data-variable="depth"]', 'times'],
    });
    const started = Date.now();
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector(`${scenario}[data-phase="running"]`);
    await page.waitForFunction((t) => Number(document.querySelector(t as string)?.dataset.count) >= 2, timeline, { timeout: RUN_TIMEOUT });
    await page.screenshot({ path: join(RESULTS_DIR, 'flood-window-running.png') });

    await page.waitForSelector(`${scenario}[data-phase="done"]`, { timeout: RUN_TIMEOUT });
    const wall = (Date.now() - started) / 1000;
    const running = (await recorded())
      .filter((r) => r.phase === 'running')
      .map((r) => ({ count: Number(r.count ?? 0), probe: r.probe ? (JSON.parse(r.probe) as number[]).length : 0 }));
    const midway = running.find((v) => v.count >= 2 && v.count < FRAMES);
    console.log(`[run] ${wall.toFixed(1)} s wall; while running the timeline showed ${[...new Set(running.map((v) => v.count))].join(', ')} frames, the probe ${Math.max(0, ...running.map((v) => v.probe))}`);
    expect(midway, 'the timeline held 2 or more of the run\'s frames, but not all, while it ran').toBeDefined();
    expect(Math.max(0, ...running.map((v) => v.probe))).toBeGreaterThanOrEqual(2);
    expect(Number(await ui.attr(timeline, 'data-count'))).toBe(FRAMES);
    // Following live, the last frame is on show.
    expect(Number(await ui.attr(timeline, 'data-index'))).toBe(FRAMES - 1);
    await page.waitForSelector(`${view}[data-water-time="600"]`);
    expect(await page.locator('[data-testid="run-outcome"]').innerText()).toMatch(/Mass error\s+\d\.\de-\d+/);

    // The probe dropped before the run is in the run's gauges.csv with the same numbers as its chart.
    const [probe] = await ui.readProbes();
    const rows = readFileSync(join((await ui.attr(scenario, 'data-run-dir'))!, 'gauges.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe(GAUGE_HEADER);
    const gauge = rows.slice(1).map((r) => r.split(',')).filter((r) => r[1] === probe!.name);
    expect(gauge.map((r) => Number(r[0]))).toEqual(probe!.charts.depth!.times);
    gauge.forEach((r, k) => expect(Number(r[2])).toBeCloseTo(probe!.charts.depth!.values[k]!, 6));
  });

  it('scrubs and plays the timeline; the water on show follows the frame', { timeout: RUN_TIMEOUT }, async () => {
    await page.locator('[data-testid="timeline-scrub"]').fill('4');
    await page.waitForSelector(`${timeline}[data-index="4"]`);
    await waitDrawnWater('240');
    expect(await page.locator('[data-testid="timeline-clock"]').innerText()).toBe('4:00 / 10:00');
    await ui.captureCanvas('flood-canvas-t240');

    await page.selectOption('[data-testid="timeline-speed"]', '4');
    await page.click('[data-testid="timeline-play"]');
    await page.waitForSelector(`${timeline}[data-playing="true"]`);
    // Playing runs to the last frame and stops there.
    await page.waitForSelector(`${timeline}[data-index="${FRAMES - 1}"][data-playing="false"]`, { timeout: 60_000 });
    await waitDrawnWater('600');
  });

  it('draws water where the engine has it deeper than 1 cm, and nothing where it is dry', { timeout: RUN_TIMEOUT }, async () => {
    await page.click('[data-testid="water-toggle"]');
    await waitDrawnWater('none');
    const off = await ui.captureCanvas('flood-canvas-water-off');
    await page.click('[data-testid="water-toggle"]');
    await waitDrawnWater('600');
    const on = await ui.captureCanvas('flood-canvas-water-on');

    const water = changedMask(on, off);
    const terrain = foregroundMask(off, BACKGROUND);
    const share = maskShare(water, terrain);
    const blue = meanBlueExcess(on, water) - meanBlueExcess(off, water);
    console.log(`[water] ${(share * 100).toFixed(1)}% of the terrain's pixels show water; it adds ${blue.toFixed(0)} to blue - red there`);
    expect(share, 'some of the terrain is under water').toBeGreaterThan(0.02);
    expect(share, 'not all of it').toBeLessThan(0.8);
    expect(blue, 'where water is drawn the picture turns blue').toBeGreaterThan(25);

    // Click pixels inside water and inside dry terrain to drop probes there: clear of the HTML
    // overlays, of the first probe's pin (at the centre) and of the block's sides (well inside the terrain).
    const canvas = await ui.canvasBox();
    const overlays = await ui.overlayRects();
    const [cx, cy] = [Math.round(on.width / 2), Math.round(on.height / 2)];
    const free = (x: number, y: number) =>
      !overlays.some((r) => x > r.left - 8 && x < r.left + r.width + 8 && y > r.top - 8 && y < r.top + r.height + 8) &&
      !(Math.abs(x - cx) < 24 && y > cy - 70 && y < cy + 12) &&
      [[0, 40], [-40, 0], [40, 0], [0, -40]].every(([dx, dy]) => terrain[(y + dy!) * on.width + x + dx!] === 1);
    const wet = pickPixels(on.width, on.height, (x, y) => all(water, on.width, x, y, 3, 1) && free(x, y));
    const dry = pickPixels(on.width, on.height, (x, y) => all(terrain, on.width, x, y, 6, 1) && all(water, on.width, x, y, 6, 0) && free(x, y));
    expect(wet.length).toBe(3);
    expect(dry.length).toBe(3);
    for (const [x, y] of wet) dropped.wet.push(await ui.dropProbe(canvas.x + x, canvas.y + y));
    for (const [x, y] of dry) dropped.dry.push(await ui.dropProbe(canvas.x + x, canvas.y + y));
    await page.screenshot({ path: join(RESULTS_DIR, 'flood-window-probes.png') });

    // The frames the engine streamed say the same: deeper than the threshold under the water pixels, shallower elsewhere.
    const probes = await ui.readProbes();
    const depthNow = (name: string) => probes.find((p) => p.name === name)!.charts.depth!.values.at(-1)!;
    const wetDepths = dropped.wet.map(depthNow);
    const dryDepths = dropped.dry.map(depthNow);
    console.log(`[probes] at t=600 s: under water pixels ${wetDepths.map((d) => d.toFixed(3)).join(', ')} m; under dry pixels ${dryDepths.map((d) => d.toFixed(4)).join(', ')} m`);
    for (const d of wetDepths) expect(d).toBeGreaterThan(THRESHOLD);
    for (const d of dryDepths) expect(d).toBeLessThan(THRESHOLD);
    expect(consoleProblems).toEqual([]);
  });

  it("shows in each probe's charts the engine's gauge series at its cell", { timeout: RUN_TIMEOUT }, async () => {
    const probes = await ui.readProbes();
    expect(probes.length).toBe(7);
    const gauges = probes.map(({ name, x, y }) => ({ name, x, y }));
    const started = Date.now();
    const reference = await client.call('flood.run', { ...floodRunParams('jacksboro', RAIN), gauges, frames: false });
    console.log(`[reference] the same run with ${probes.length} gauges took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const probe of probes) {
      const gauge: GaugeSeries = reference.gauges.find((g) => g.name === probe.name)!;
      expect([gauge.col, gauge.row], `${probe.name}: the engine puts the gauge in the probe's cell`).toEqual([probe.col, probe.row]);
      const { depth, stage, speed } = probe.charts;
      expect(depth!.times).toEqual(gauge.time_s);
      expect(depth!.values.length).toBe(FRAMES);
      // The same 32-bit frame values, streamed to the page and recorded by the engine: equal, not just close.
      expect(depth!.values, `${probe.name} depth`).toEqual(gauge.depth_m);
      expect(stage!.values, `${probe.name} stage`).toEqual(gauge.stage_m);
      expect(speed!.values, `${probe.name} speed`).toEqual(gauge.u_m_s.map((u, k) => Math.hypot(u, gauge.v_m_s[k]!)));
      const last = gauge.depth_m.at(-1)!;
      if (dropped.wet.includes(probe.name)) expect(last).toBeGreaterThan(THRESHOLD);
      if (dropped.dry.includes(probe.name)) expect(last).toBeLessThan(THRESHOLD);
    }
    const wettest = Math.max(...reference.gauges.flatMap((g) => g.depth_m));
    console.log(`[gauges] ${probes.length} probes x ${FRAMES} frames x 3 charts equal the engine's gauges (deepest ${wettest.toFixed(3)} m)`);
  });

  it('exports the probes as CSV', async () => {
    const probes = await ui.readProbes();
    const file = await downloadOf('[data-testid="probes-export"]', 'flood-probes.csv');
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('time_s,probe,x,y,depth_m,stage_m,u_m_s,v_m_s');
    expect(rows.length).toBe(1 + FRAMES * probes.length);
    for (const probe of probes) {
      const mine = rows.slice(1).map((r) => r.split(',')).filter((r) => r[1] === probe.name);
      expect(mine.map((r) => Number(r[0]))).toEqual(probe.charts.depth!.times);
      expect(Number(mine[0]![2])).toBeCloseTo(probe.x, 9);
      mine.forEach((r, k) => expect(Number(r[4])).toBeCloseTo(probe.charts.depth!.values[k]!, 6));
    }
  });

  it('exports the view as a PNG of the canvas size, with the water in it', async () => {
    const size = await page.evaluate(() => {
      const c = document.querySelector('canvas.terrain-canvas')!;
      return { width: c.width, height: c.height };
    });
    const file = await downloadOf('[data-testid="screenshot"]', 'flood-screenshot.png');
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const image = decodePng(bytes);
    const terrain = foregroundMask(image, BACKGROUND);
    let bluish = 0;
    for (let i = 0; i < terrain.length; i++) if (terrain[i] && image.data[4 * i + 2]! > image.data[4 * i]! + 60) bluish++;
    console.log(`[png] ${image.width}x${image.height} (canvas ${size.width}x${size.height}); ${(maskShare(terrain) * 100).toFixed(0)}% terrain, ${bluish} strongly blue pixels`);
    expect([image.width, image.height]).toEqual([size.width, size.height]);
    expect(maskShare(terrain)).toBeGreaterThan(0.4);
    expect(bluish).toBeGreaterThan(1000);
  });

  it('cancels a run: the frames received so far stay on the timeline', { timeout: RUN_TIMEOUT }, async () => {
    await page.fill('[data-testid="run-durationMinutes"]', '120');
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector(`${scenario}[data-phase="running"]`);
    await page.waitForFunction((t) => Number(document.querySelector(t as string)?.dataset.count) >= 2, timeline, { timeout: RUN_TIMEOUT });
    await page.click('[data-testid="run-cancel"]');
    await page.waitForSelector(`${scenario}[data-phase="cancelled"]`, { timeout: 30_000 });
    const kept = Number(await ui.attr(timeline, 'data-count'));
    const outcome = await page.locator('[data-testid="run-outcome"]').innerText();
    console.log(`[cancel] "${outcome}"`);
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(121);
    expect(outcome).toContain(`the ${kept} frames received are kept`);
    expect(await page.locator('[data-testid="run-button"]').isEnabled()).toBe(true);
    expect(consoleProblems).toEqual([]);
  });
});



/** Waits until the last frame drawn shows the water at this time (s), or "none". */
async function waitDrawnWater(value: string): Promise<void> {
  await page.waitForSelector(`${view}[data-drawn-water="${value}"]`, { timeout: READY_TIMEOUT });
}





async function downloadOf(selector: string, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = join(RESULTS_DIR, name);
  await download.saveAs(file);
  console.log(`[download] ${download.suggestedFilename()} -> ${file}`);
  return file;
}



function meanBlueExcess(image: Image, mask: Uint8Array): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    sum += image.data[4 * i + 2]! - image.data[4 * i]!;
    n++;
  }
  return n ? sum / n : 0;
}


