/**
 * The atmosphere in the 3D view, in a real browser against serve mode, on
 * Jacksboro, checked by pixel statistics of the canvas:
 *
 * - sky: with the camera low, the rows above the horizon are sky-blue at
 *   noon, not the theme's background, and darker at sunset;
 * - rain: during a flood run's rain the drops move (two frames differ in
 *   thin streaks), after the rain stops nothing moves; a precipitation field
 *   raining on the west half only (set through the page's test hook) puts
 *   the moving pixels on the left half of the view (seen from the south);
 * - fog: it changes the far side of the terrain more than the near side;
 * - clouds: a cloud field over the west half whitens the left of the view.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND, READY_TIMEOUT, RESULTS_DIR } from './harness';
import { serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';
import { PNG } from 'pngjs';
import { changedMask, decodePng, foregroundMask, fraction, type Image } from './pixels';

// Functions passed to page.evaluate run in the browser; this file is compiled
// without lib.dom, so it declares the little of the DOM they touch.
declare const document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null; activeElement: { blur?(): void } | null };
declare const window: { terraAtmosphereTest: { setRain(field: number[] | null): void; setClouds(field: number[] | null): void } };

/** Strong rain for 5 minutes of an 8-minute run, frames every 2 minutes: raining at 0, 120, 240 s; dry at 360, 480 s. */
const RAIN = { intensityMmPerH: '200', rainMinutes: '5', durationMinutes: '8', intervalMinutes: '2' };
const RUN_TIMEOUT = 240_000;
/** Jacksboro's grid. */
const NX = 403;
const NY = 344;

const view = '[data-testid="terrain-view"]';
const timeline = '[data-testid="timeline"]';

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let consoleProblems: string[] = [];

beforeAll(async () => {
  app = await serveExplorer('&site=jacksboro&test-hooks', { viewport: { width: 1280, height: 800 } });
  ({ page, ui, consoleProblems } = app);
});

afterAll(() => app?.close());

describe('atmosphere in the 3D view (serve mode)', () => {
  it('draws a sky above the horizon that follows the sun: blue and bright at noon, darker at sunset', { timeout: RUN_TIMEOUT }, async () => {
    expect(await ui.attr(view, 'data-atmosphere')).toBe('none');
    await press('k');
    await page.waitForSelector(`${view}[data-atmosphere="sky"]`);
    await tiltToHorizon();

    const noon = await showAt('2024-06-21T12:00', 'atmosphere-sky-noon');
    const evening = await showAt('2024-06-21T19:00', 'atmosphere-sky-evening');
    const top = (image: Image) => band(image, 0, 0.1);
    const [n, e] = [top(noon.image), top(evening.image)];
    console.log(
      `[sky] sun ${noon.sun} at noon, ${evening.sun} at 19:00; top rows: noon luma ${n.luma.toFixed(0)} rgb ${n.rgb.map((v) => v.toFixed(0))}, ` +
        `evening luma ${e.luma.toFixed(0)} rgb ${e.rgb.map((v) => v.toFixed(0))}; background ${BACKGROUND}`,
    );
    expect(Number(noon.sun.split('/')[0])).toBeGreaterThan(70);
    expect(Math.abs(Number(evening.sun.split('/')[0]))).toBeLessThan(3);
    // Noon: every pixel of the top rows is sky blue (blue over red), none is the background.
    expect(n.blueShare, 'top rows blue at noon').toBeGreaterThan(0.98);
    expect(n.backgroundShare).toBe(0);
    expect(n.luma).toBeGreaterThan(90);
    expect(n.luma - e.luma, 'brighter at noon than at sunset').toBeGreaterThan(25);
    expect(e.backgroundShare).toBe(0);
  });

  it('lights and fogs the terrain: fog changes its far side more than its near side', { timeout: RUN_TIMEOUT }, async () => {
    await press('k'); // the sky off: fog towards the theme's background
    await press('r');
    await page.waitForSelector(`${view}[data-atmosphere="none"]`);
    const off = await settledCapture('atmosphere-fog-off');
    await press('g');
    await page.waitForSelector(`${view}[data-atmosphere="fog"]`);
    const on = await settledCapture('atmosphere-fog-on');
    const terrain = foregroundMask(off, BACKGROUND);
    const rows = terrainRows(terrain, off.width, off.height);
    const span = rows.last - rows.first;
    const far = meanChange(on, off, terrain, rows.first, rows.first + span / 3);
    const near = meanChange(on, off, terrain, rows.last - span / 3, rows.last);
    console.log(`[fog] mean change on the far third of the terrain ${far.toFixed(1)}, near third ${near.toFixed(1)} (of 255)`);
    expect(far).toBeGreaterThan(8);
    expect(far).toBeGreaterThan(1.5 * near);
    await press('g');
    await page.waitForSelector(`${view}[data-atmosphere="none"]`);
  });

  it("rains while a flood run's rain falls, and stops when it stops", { timeout: 2 * RUN_TIMEOUT }, async () => {
    await press('n');
    await page.waitForSelector(`${view}[data-atmosphere="rain"]`);
    await ui.runRain(RAIN, 2 * RUN_TIMEOUT);
    expect(await ui.attr(timeline, 'data-count')).toBe('5');

    await seek(1, 120, '200'); // raining
    const raining = await motion('atmosphere-rain-t120');
    await seek(3, 360, 'none'); // after the rain
    const dry = await motion('atmosphere-rain-t360');
    console.log(`[rain] moving pixels between two frames: ${pct(raining.share)} while it rains (${raining.frames} frames apart), ${pct(dry.share)} after`);
    expect(raining.share, 'drops move while it rains').toBeGreaterThan(0.003);
    expect(dry.share, 'nothing moves once it stopped').toBeLessThan(0.0002);
    // Streaks, not a wash: most of the canvas is untouched even in the rain.
    expect(raining.share).toBeLessThan(0.35);
  });

  it('puts drops only where a precipitation field rains (west half: left of the view from the south)', { timeout: RUN_TIMEOUT }, async () => {
    const west = Array.from({ length: NX * NY }, (_, k) => (k % NX < NX / 2 ? 40 : 0));
    await page.evaluate((field) => window.terraAtmosphereTest.setRain(field), west);
    await page.waitForSelector(`${view}[data-rain="field"]`);
    const { mask, share, image } = await motion('atmosphere-rain-west');
    const margin = 24;
    const [left, right] = halves(mask, image.width, image.height, margin);
    console.log(`[rain field] moving pixels: ${left} left of centre, ${right} right (${pct(share)} in all)`);
    expect(left).toBeGreaterThan(1000);
    expect(left / Math.max(right, 1), 'drops over the raining half only').toBeGreaterThan(10);

    await page.evaluate(() => window.terraAtmosphereTest.setRain(null));
    await page.waitForSelector(`${view}[data-rain="none"]`);
  });

  it('covers the sky over a cloudy half with a cloud deck, and leaves the clear half alone', { timeout: RUN_TIMEOUT }, async () => {
    const before = await settledCapture('atmosphere-clouds-off');
    await press('o');
    const west = Array.from({ length: NX * NY }, (_, k) => (k % NX < NX / 2 ? 0.8 : 0));
    await page.evaluate((field) => window.terraAtmosphereTest.setClouds(field), west);
    await page.waitForSelector(`${view}[data-atmosphere="rain clouds"]`);
    const after = await settledCapture('atmosphere-clouds-west');
    const changed = changedMask(after, before, 16);
    const [left, right] = halves(changed, after.width, after.height, 60);
    const whiter = meanChange(after, before, changed, 0, after.height, true);
    console.log(`[clouds] changed pixels ${left} left, ${right} right; they got ${whiter.toFixed(0)} brighter on average`);
    expect(left).toBeGreaterThan(20_000);
    expect(left / Math.max(right, 1)).toBeGreaterThan(5);
    expect(whiter).toBeGreaterThan(15);
    await page.evaluate(() => window.terraAtmosphereTest.setClouds(null));
    await press('o');
  });

  // Writes test-results/atmosphere-view.png (70% size), the picture docs/atmosphere-view.png was copied from.
  it('draws sky, fog and rain together without a console error', { timeout: RUN_TIMEOUT }, async () => {
    await press('k');
    await press('g');
    await page.waitForSelector(`${view}[data-atmosphere="sky fog rain"]`);
    await seek(2, 240, '200');
    await tiltTo(-55);
    await openMenu();
    await page.fill('[data-testid="flood-start"]', '2024-06-21T17:00');
    await settle(2);
    const png = await page.screenshot({ type: 'png' });
    writeFileSync(join(RESULTS_DIR, 'atmosphere-window.png'), png);
    // 70% of the size, to keep the docs light.
    const small = encodePng(downscale(decodePng(png), 0.7));
    writeFileSync(join(RESULTS_DIR, 'atmosphere-view.png'), small);
    console.log(`[screenshot] atmosphere-view.png ${(small.length / 1024).toFixed(0)} KB`);
    expect(consoleProblems).toEqual([]);
  });
});

/** Opens the atmosphere's panel in the header (switches, flood start time), if it is closed. */
async function openMenu(): Promise<void> {
  if (!(await page.locator('[data-testid="flood-start"]').isVisible())) await page.click('[data-testid="atmosphere-menu"]');
}

/** A shortcut key, with the focus out of any field first (shortcuts are ignored while typing). */
async function press(key: string): Promise<void> {
  await page.evaluate(() => document.activeElement?.blur?.());
  await page.keyboard.press(key);
}

const pct = (share: number) => `${(share * 100).toFixed(2)}%`;

/** Drags the view up until the camera is as low as it goes (84 degrees from straight down): the horizon shows. */
async function tiltToHorizon(): Promise<void> {
  await tiltTo(-500);
}

/** Drags vertically from the canvas centre by dy pixels (negative: the camera goes down towards the horizon). */
async function tiltTo(dy: number): Promise<void> {
  const box = await ui.canvasBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height * 0.75];
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(x, y + (dy * i) / 10);
  await page.mouse.up();
  await settle(2);
}

/**
 * Waits for the view to settle: at least `min` frames drawn and then none for
 * a moment (the orbit's damping has run out), or many frames (rain keeps it
 * drawing), or none at all for two seconds (nothing changed).
 */
async function settle(min = 1): Promise<void> {
  const frames = async () => Number(await ui.attr(view, 'data-frames'));
  const start = await frames();
  let last = start;
  let stableSince = Date.now();
  const deadline = Date.now() + READY_TIMEOUT;
  while (Date.now() < deadline) {
    await page.waitForTimeout(150);
    const now = await frames();
    if (now !== last) [last, stableSince] = [now, Date.now()];
    const drawn = now - start;
    if (drawn >= min + 8) return;
    if (drawn >= min && Date.now() - stableSince > 800) return;
    if (drawn === 0 && Date.now() - stableSince > 2000) return;
  }
  throw new Error('the view did not settle');
}

/** A capture of the settled view. */
async function settledCapture(name: string): Promise<Image> {
  await settle();
  return ui.captureCanvas(name);
}

/** Sets the flood start (with no run's frame on show: the time on show) and captures the view. */
async function showAt(local: string, name: string): Promise<{ image: Image; sun: string }> {
  const before = await ui.attr(view, 'data-sun');
  await openMenu();
  await page.fill('[data-testid="flood-start"]', local);
  await page.waitForFunction(([v, b]) => document.querySelector(v as string)?.dataset.sun !== b, [view, before] as const);
  await settle(1);
  return { image: await ui.captureCanvas(name), sun: (await ui.attr(view, 'data-sun'))! };
}

/** Shows flood frame `index` and waits until it has been drawn (its water, and with it its rain). */
async function seek(index: number, time: number, rain: string): Promise<void> {
  await page.locator('[data-testid="timeline-scrub"]').fill(String(index));
  await page.waitForSelector(`${timeline}[data-index="${index}"]`);
  await page.waitForSelector(`${view}[data-rain="${rain}"][data-drawn-water="${time}"]`, { timeout: READY_TIMEOUT });
}

/** Pixels that change between two frames drawn about half a second apart (falling drops), and their share of the canvas. */
async function motion(name: string): Promise<{ mask: Uint8Array; share: number; frames: number; image: Image }> {
  await page.waitForTimeout(300);
  const f0 = Number(await ui.attr(view, 'data-frames'));
  const a = await ui.captureCanvas(`${name}-a`);
  await page.waitForTimeout(600);
  const b = await ui.captureCanvas(`${name}-b`);
  const frames = Number(await ui.attr(view, 'data-frames')) - f0;
  const mask = changedMask(a, b, 20);
  return { mask, share: fraction(mask), frames, image: b };
}

/** Masked pixels left and right of the centre column, leaving out a margin either side of it. */
function halves(mask: Uint8Array, width: number, height: number, margin: number): [number, number] {
  let left = 0;
  let right = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (x < width / 2 - margin) left++;
      else if (x > width / 2 + margin) right++;
    }
  }
  return [left, right];
}

/** Mean colour, luma, and shares of blue-over-red and of background pixels in a band of rows (fractions of the height). */
function band(image: Image, from: number, to: number): { rgb: number[]; luma: number; blueShare: number; backgroundShare: number } {
  let [sr, sg, sb] = [0, 0, 0];
  let n = 0;
  let blue = 0;
  let background = 0;
  for (let y = Math.floor(from * image.height); y < Math.floor(to * image.height); y++) {
    for (let x = 0; x < image.width; x++) {
      const i = 4 * (y * image.width + x);
      const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
      sr += r;
      sg += g;
      sb += b;
      if (b > r + 10) blue++;
      if (Math.max(Math.abs(r - BACKGROUND[0]), Math.abs(g - BACKGROUND[1]), Math.abs(b - BACKGROUND[2])) <= 6) background++;
      n++;
    }
  }
  const mean = [sr / n, sg / n, sb / n];
  return { rgb: mean, luma: 0.2126 * mean[0]! + 0.7152 * mean[1]! + 0.0722 * mean[2]!, blueShare: blue / n, backgroundShare: background / n };
}

/** First and last canvas rows holding terrain. */
function terrainRows(mask: Uint8Array, width: number, height: number): { first: number; last: number } {
  let first = height;
  let last = 0;
  for (let y = 0; y < height; y++) {
    let count = 0;
    for (let x = 0; x < width; x++) count += mask[y * width + x]!;
    if (count > width * 0.05) {
      first = Math.min(first, y);
      last = y;
    }
  }
  return { first, last };
}

/** Mean change of luma (signed when `signed`, else absolute) between two images over masked pixels in rows [from, to). */
function meanChange(a: Image, b: Image, mask: Uint8Array, from: number, to: number, signed = false): number {
  let sum = 0;
  let n = 0;
  const luma = (img: Image, i: number) => 0.2126 * img.data[4 * i]! + 0.7152 * img.data[4 * i + 1]! + 0.0722 * img.data[4 * i + 2]!;
  for (let y = Math.max(0, Math.floor(from)); y < Math.min(a.height, Math.floor(to)); y++) {
    for (let x = 0; x < a.width; x++) {
      const i = y * a.width + x;
      if (!mask[i]) continue;
      const d = luma(a, i) - luma(b, i);
      sum += signed ? d : Math.abs(d);
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Area-averaged downscale by `factor` (< 1). */
function downscale(image: Image, factor: number): Image {
  const width = Math.round(image.width * factor);
  const height = Math.round(image.height * factor);
  const data = new Uint8Array(4 * width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y / factor);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) / factor));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x / factor);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) / factor));
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let j = y0; j < y1; j++) for (let i = x0; i < x1; i++) sum += image.data[4 * (j * image.width + i) + c]!;
        data[4 * (y * width + x) + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { width, height, data };
}

function encodePng(image: Image): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data);
  return PNG.sync.write(png);
}
