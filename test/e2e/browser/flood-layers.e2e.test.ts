/**
 * The flood analysis layers in a real browser against serve mode: a short
 * strong rain on Jacksboro, then the hazard and first-arrival overlays, the
 * velocity arrows and the water-balance chart, each checked against the
 * frames the engine computes for the same run (a second, identical run from
 * this process: the solver is deterministic).
 *
 * Pixels are read with hillshade off, so an overlay draws its ramp's colours
 * exactly. Which cell a pixel shows is learned the way a user does, by
 * dropping a probe there (after every capture, so pins are in none).
 */
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineClient, type FieldFrame, type SiteData } from '../../../src/api';
import { sampleRamp } from '../../../renderer/src/scene/elevation-ramp';
import { ARROWS_PER_SIDE } from '../../../renderer/src/scene/FlowArrows';
import { HAZARD_CLASSES } from '../../../renderer/src/scene/flood-hazard';
import { ARRIVAL_RAMP, arrivalScale } from '../../../renderer/src/scene/flood-styles';
import { BACKGROUND, READY_TIMEOUT, RESULTS_DIR } from './harness';
import { floodRunParams, serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';
import { all, changedMask, dilate, foregroundMask, maskShare, pickPixels, pixel, type Image } from './pixels';

// Functions passed to page.waitForFunction run in the browser; this file is compiled without lib.dom.
declare const document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null };

/** The run of flood-explorer.e2e: 200 mm/h for 5 min, 10 min simulated, a frame a minute. */
const RAIN = { intensityMmPerH: '200', rainMinutes: '5', durationMinutes: '10', intervalMinutes: '1' };
const FRAMES = 11;
const LAST = 600;
/** Flooded: the depth the hazard classes, arrival and arrows start at (renderer/src/scene/flood-hazard.ts). */
const FLOODED = 0.05;
const RUN_TIMEOUT = 240_000;

const view = '[data-testid="terrain-view"]';
const timeline = '[data-testid="timeline"]';

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let client: EngineClient;
let terrain: SiteData;
/** The engine's frames for the run, and its cell area (m^2). */
const frames: FieldFrame[] = [];
let cellArea = 0;
let consoleProblems: string[] = [];
/** Captures shared by the tests below. */
const shots: { hazard?: Image; bare?: Image; arrival?: Image } = {};

beforeAll(async () => {
  app = await serveExplorer('&site=jacksboro', {
    viewport: { width: 1280, height: 800 },
    prepare: async (engine) => {
      terrain = await engine.call('site.open', { id: 'jacksboro' });
    },
  });
  ({ page, ui, consoleProblems } = app);
  client = app.client!;
});

afterAll(() => app?.close());

describe('flood analysis layers in the browser (serve mode)', () => {
  it('runs the rain in the page, and the same run here for its frames', { timeout: 2 * RUN_TIMEOUT }, async () => {
    await ui.runRain(RAIN, RUN_TIMEOUT);
    expect(Number(await ui.attr(timeline, 'data-count'))).toBe(FRAMES);

    const reference = await client.call('flood.run', floodRunParams('jacksboro', RAIN), { onProgress: (p) => p.frame && frames.push(p.frame) });
    cellArea = reference.summary.dx_m * reference.summary.dy_m;
    expect(frames.map((f) => f.time)).toEqual(Array.from({ length: FRAMES }, (_, k) => 60 * k));
    const flooded = count(terrain.elevation.length, (i) => maxDepth(i) >= FLOODED);
    console.log(`[run] ${terrain.georef.nx} x ${terrain.georef.ny} cells; ${flooded} flooded (>= ${FLOODED} m) in some frame`);
    expect(flooded).toBeGreaterThan(100);

    // Hillshade off: overlays draw their ramps' colours exactly. Closer in, a cell is several pixels wide.
    await page.click('[data-testid="hillshade-toggle"]');
    await page.waitForSelector(`${view}[data-drawn-hillshade="off"]`, { timeout: READY_TIMEOUT });
    const canvas = await ui.canvasBox();
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let k = 0; k < 4; k++) await page.mouse.wheel(0, -250);
    await ui.settled();
  });

  it('hazard: the worst ARR class so far, drawn where the frames flood and nowhere else, with its legend', { timeout: RUN_TIMEOUT }, async () => {
    await page.click('[data-testid="flood-layer-hazard"]');
    await waitDrawn({ flood: `hazard:${LAST}`, water: 'none' });
    shots.hazard = await ui.captureCanvas('flood-layers-hazard');
    const legend = await page.locator('[data-testid="flood-legend"][data-layer="hazard"]').innerText();
    for (const c of HAZARD_CLASSES) expect(legend).toContain(c.label);
    expect(legend).toMatch(/ARR 2019/);

    // The flood layer's switch (W) hides it: the terrain alone.
    await page.click('[data-testid="flood-layer-toggle"]');
    await waitDrawn({ flood: 'none', water: 'none' });
    shots.bare = await ui.captureCanvas('flood-layers-bare');
    await page.click('[data-testid="flood-layer-toggle"]');
    await waitDrawn({ flood: `hazard:${LAST}` });

    const hazard = changedMask(shots.hazard!, shots.bare!);
    const land = foregroundMask(shots.bare, BACKGROUND);
    const share = maskShare(hazard, land);
    // Changed pixels show a class colour (or the blend of two at a class border); the rest are pixels that
    // multisampling shares between a flooded cell and the dry terrain next to it.
    const classed = maskShare(nearestClassMask(shots.hazard, 10), hazard);
    console.log(`[hazard] ${(share * 100).toFixed(1)}% of the terrain's pixels classed; ${(classed * 100).toFixed(1)}% of them in a class colour`);
    expect(share).toBeGreaterThan(0.01);
    expect(share).toBeLessThan(0.8);
    expect(classed).toBeGreaterThan(0.85);

    // Scrubbed back to 5 min: fewer cells have flooded so far, and those that have are coloured at 10 min too.
    await page.locator('[data-testid="timeline-scrub"]').fill('5');
    await waitDrawn({ flood: 'hazard:300' });
    const early = changedMask(await ui.captureCanvas('flood-layers-hazard-t300'), shots.bare!);
    const earlyShare = maskShare(early, land);
    const inLater = maskShare(hazard, early);
    console.log(`[hazard] at 5:00 ${(earlyShare * 100).toFixed(1)}% of the terrain; ${(inLater * 100).toFixed(1)}% of it still coloured at 10:00`);
    expect(earlyShare).toBeGreaterThan(0);
    expect(earlyShare).toBeLessThan(share);
    expect(inLater).toBeGreaterThan(0.97);
    await page.locator('[data-testid="timeline-scrub"]').fill(String(FRAMES - 1));
    await waitDrawn({ flood: `hazard:${LAST}` });
  });

  it('arrival: coloured exactly where hazard is (both start at 5 cm), with a legend in minutes', { timeout: RUN_TIMEOUT }, async () => {
    // The F shortcut (not while the timeline's slider has the focus).
    await page.focus('[data-testid="flood-layer-hazard"]');
    await page.keyboard.press('f'); // hazard -> arrival
    await waitDrawn({ flood: `arrival:${LAST}` });
    expect(await ui.attr('[data-testid="flood-analysis"]', 'data-layer')).toBe('arrival');
    shots.arrival = await ui.captureCanvas('flood-layers-arrival');
    const ticks = await page.locator('[data-testid="flood-legend-ticks"] li').allInnerTexts();
    expect(ticks).toEqual(['0 min', '2 min', '4 min', '6 min', '8 min', '10 min']);

    const arrival = changedMask(shots.arrival, shots.bare!);
    const hazard = changedMask(shots.hazard!, shots.bare!);
    const overlap = intersectionOverUnion(arrival, hazard);
    console.log(`[arrival] the arrival and hazard pixels overlap ${(overlap * 100).toFixed(1)}%`);
    expect(overlap).toBeGreaterThan(0.97);
  });

  it('velocity arrows: drawn on the water only, one per flooded, moving arrow site', { timeout: RUN_TIMEOUT }, async () => {
    await page.click('[data-testid="flood-layer-depth"]');
    await waitDrawn({ flood: 'none', water: String(LAST) });
    const water = await ui.captureCanvas('flood-layers-depth');
    await page.keyboard.press('v');
    const drawn = await page.waitForFunction((v) => {
      const a = document.querySelector(v as string)?.dataset.drawnArrows ?? 'none';
      return a.startsWith('600:') ? a : null;
    }, view, { timeout: READY_TIMEOUT });
    const arrowsDrawn = Number(String(await drawn.jsonValue()).split(':')[1]);
    const arrows = await ui.captureCanvas('flood-layers-arrows');

    // The arrows the engine's last frame calls for: one per block of stride x stride cells holding water flooded and moving.
    const { nx, ny } = terrain.georef;
    const stride = Math.max(1, Math.round(Math.max(nx, ny) / ARROWS_PER_SIDE));
    const last = frames.at(-1)!.fields;
    const blocks = new Set<number>();
    for (let i = 0; i < nx * ny; i++) {
      if (Number.isNaN(terrain.elevation[i]!) || !(last.depth![i]! >= FLOODED && Math.hypot(last.u![i]!, last.v![i]!) >= 0.01)) continue;
      blocks.add(Math.floor(Math.floor(i / nx) / stride) * Math.ceil(nx / stride) + Math.floor((i % nx) / stride));
    }
    const expected = blocks.size;
    const changed = changedMask(arrows, water);
    const wet = dilate(changedMask(water, shots.bare!), 8, water.width);
    const onWater = maskShare(wet, changed);
    console.log(`[arrows] ${arrowsDrawn} drawn (the frames call for ${expected}); ${count(changed.length, (i) => changed[i]!)} pixels changed, ${(onWater * 100).toFixed(1)}% of them on or by the water`);
    expect(arrowsDrawn).toBe(expected);
    expect(expected).toBeGreaterThan(5);
    expect(count(changed.length, (i) => changed[i]!)).toBeGreaterThan(100);
    expect(onWater).toBeGreaterThan(0.98);
  });

  it("charts the engine's water balance: the last storage is the last frame's depths times the cell area", async () => {
    const balance = '[data-testid="water-balance"]';
    expect(await ui.attr(balance, 'data-source')).toBe('engine');
    const series = async (variable: string) => JSON.parse((await ui.attr(`${balance} svg[data-variable="${variable}"]`, 'data-values'))!) as number[];
    const storage = await series('storage');
    const volumeIn = await series('volume-in');
    const volumeOut = await series('volume-out');
    expect(storage.length).toBe(FRAMES);
    let sum = 0;
    for (const d of frames.at(-1)!.fields.depth!) sum += d;
    console.log(`[balance] stored ${storage.at(-1)!.toFixed(1)} m3 (frame: ${(sum * cellArea).toFixed(1)} m3), in ${volumeIn.at(-1)!.toFixed(1)}, out ${volumeOut.at(-1)!.toFixed(1)}`);
    expect(storage.at(-1)! / (sum * cellArea)).toBeCloseTo(1, 6);
    expect(volumeIn).toEqual(frames.map((f) => f.stats?.volume_in_m3));
    expect(volumeOut).toEqual(frames.map((f) => f.stats?.volume_out_m3));
    expect(storage[0]).toBe(0);
    expect(await page.locator(balance).innerText()).toMatch(/initial \+ in − out to \d\.\de-\d+/);
  });

  it('saves a screenshot of the hazard with arrows, hillshade on', { timeout: RUN_TIMEOUT }, async () => {
    await page.click('[data-testid="flood-layer-hazard"]');
    await page.click('[data-testid="hillshade-toggle"]');
    await waitDrawn({ flood: `hazard:${LAST}` });
    await page.waitForSelector(`${view}[data-drawn-hillshade="on"]`, { timeout: READY_TIMEOUT });
    await page.screenshot({ path: join(RESULTS_DIR, 'flood-layers-window.png') });
    const box = (await page.locator('main.viewport').boundingBox())!;
    await page.screenshot({ path: join(RESULTS_DIR, 'flood-hazard.png'), clip: box });
    await page.click('[data-testid="hillshade-toggle"]');
    await page.keyboard.press('v');
    await page.waitForSelector(`${view}[data-drawn-hillshade="off"][data-drawn-arrows="none"]`, { timeout: READY_TIMEOUT });
  });

  it("shows at probed pixels the class and arrival the engine's frames give their cells, and nothing on dry ones", { timeout: RUN_TIMEOUT }, async () => {
    const [image, arrival, bare] = [shots.hazard!, shots.arrival!, shots.bare!];
    const coloured = changedMask(image, bare);
    const land = foregroundMask(bare, BACKGROUND);
    const overlays = await ui.overlayRects();
    const free = (x: number, y: number) => !overlays.some((r) => x > r.left - 8 && x < r.left + r.width + 8 && y > r.top - 8 && y < r.top + r.height + 8);
    // Inside a patch of one colour (not at a class border), and clear of the terrain's edges.
    // Flooded channels are a cell or two wide: look finely for pixels inside one cell's colour in both pictures.
    const wet = pickPixels(image.width, image.height, (x, y) => all(coloured, image.width, x, y, 1, 1) && uniform(image, x, y, 1) && uniform(arrival, x, y, 1) && free(x, y), 4, 2, 12);
    const dry = pickPixels(image.width, image.height, (x, y) => all(land, image.width, x, y, 6, 1) && all(coloured, image.width, x, y, 5, 0) && free(x, y), 4, 7, 12);
    expect(wet.length).toBe(4);
    expect(dry.length).toBe(4);

    const canvas = await ui.canvasBox();
    const scale = arrivalScale(LAST).hi;
    for (const [x, y] of wet) {
      // At the pixel's centre, where the overlay looked its cell up.
      const { col, row } = await dropProbe(canvas.x + x + 0.5, canvas.y + y + 0.5);
      const i = row * terrain.georef.nx + col;
      const worst = worstClass(i);
      const first = frames.find((f) => f.fields.depth![i]! >= FLOODED)?.time;
      const want = HAZARD_CLASSES[worst]!.rgb.map((c) => Math.round(c * 255));
      const ramp = new Float32Array(3);
      sampleRamp(first! / scale, ramp, 0, ARRIVAL_RAMP);
      console.log(`[probe] (${x}, ${y}) -> cell ${col},${row}: max ${maxDepth(i).toFixed(3)} m, H${worst + 1}, arrives ${first} s; pixel ${pixel(image, x, y)} / ${pixel(arrival, x, y)}`);
      expect(worst, `cell ${col},${row} floods`).toBeGreaterThanOrEqual(0);
      expect(distance(pixel(image, x, y), want), `hazard colour at ${x},${y}`).toBeLessThanOrEqual(6);
      expect(distance(pixel(arrival, x, y), [...ramp].map((c) => Math.round(c * 255))), `arrival colour at ${x},${y}`).toBeLessThanOrEqual(6);
    }
    for (const [x, y] of dry) {
      const { col, row } = await dropProbe(canvas.x + x + 0.5, canvas.y + y + 0.5);
      const i = row * terrain.georef.nx + col;
      console.log(`[probe] dry (${x}, ${y}) -> cell ${col},${row}: max ${maxDepth(i).toFixed(4)} m`);
      expect(maxDepth(i)).toBeLessThan(FLOODED);
    }
    expect(consoleProblems).toEqual([]);
  });
});

/** ARR 2019 Book 6 Ch. 7 Table 6.7.4, written out again here as the specification: the class index 0-5 of one depth and speed. */
function arrClass(d: number, v: number): number {
  const dv = d * v;
  if (d <= 0.3 && v <= 2 && dv <= 0.3) return 0;
  if (d <= 0.5 && v <= 2 && dv <= 0.6) return 1;
  if (d <= 1.2 && v <= 2 && dv <= 0.6) return 2;
  if (d <= 2 && v <= 2 && dv <= 1) return 3;
  if (d <= 4 && v <= 4 && dv <= 4) return 4;
  return 5;
}

/** The worst class of cell i over every frame it is flooded in; -1 never flooded. */
function worstClass(i: number): number {
  let worst = -1;
  for (const { fields } of frames) {
    const d = fields.depth![i]!;
    if (d >= FLOODED) worst = Math.max(worst, arrClass(d, Math.hypot(fields.u![i]!, fields.v![i]!)));
  }
  return worst;
}

function maxDepth(i: number): number {
  return Math.max(...frames.map((f) => f.fields.depth![i]!));
}

function count(n: number, ok: (i: number) => unknown): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (ok(i)) k++;
  return k;
}

/** Waits until the last frame drawn shows this flood layer ("layer:time" or none) and water ("time" or none). */
async function waitDrawn(want: { flood?: string; water?: string }): Promise<void> {
  const selector = `${view}${want.flood ? `[data-drawn-flood="${want.flood}"]` : ''}${want.water ? `[data-drawn-water="${want.water}"]` : ''}`;
  await page.waitForSelector(selector, { state: 'attached', timeout: READY_TIMEOUT });
}

/** Drops a probe at (x, y) and returns the cell it landed on. */
async function dropProbe(x: number, y: number): Promise<{ col: number; row: number }> {
  const name = await ui.dropProbe(x, y);
  const probe = page.locator(`[data-testid="probe"][data-name="${name}"]`);
  return { col: Number(await probe.getAttribute('data-col')), row: Number(await probe.getAttribute('data-row')) };
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, c) => Math.abs(v - b[c]!)));
}

/** Pixels within `tolerance` of a hazard class colour, or of the midpoint of two neighbouring classes (antialiased borders). */
function nearestClassMask(image: Image, tolerance: number): Uint8Array {
  const colors = HAZARD_CLASSES.map((c) => c.rgb.map((v) => v * 255));
  const mids = colors.slice(1).map((c, k) => c.map((v, j) => (v + colors[k]![j]!) / 2));
  const all = [...colors, ...mids];
  const mask = new Uint8Array(image.width * image.height);
  for (let i = 0; i < mask.length; i++) {
    const p = [image.data[4 * i]!, image.data[4 * i + 1]!, image.data[4 * i + 2]!];
    mask[i] = all.some((c) => distance(p, c) <= tolerance) ? 1 : 0;
  }
  return mask;
}

function intersectionOverUnion(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i]! & b[i]!;
    either += a[i]! | b[i]!;
  }
  return either ? both / either : 1;
}

/** Whether the (2r+1)^2 window around (x, y) is one colour (within 3 per channel). */
function uniform(image: Image, x: number, y: number, r: number): boolean {
  const centre = pixel(image, x, y);
  for (let j = -r; j <= r; j++) for (let i = -r; i <= r; i++) if (distance(pixel(image, x + i, y + j), centre) > 3) return false;
  return true;
}
