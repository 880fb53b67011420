/**
 * Ripples on the flood water in a real browser against serve mode: a page
 * that does not ask for reduced motion opens with ripples on; after a short
 * strong rain on Jacksboro the water moves, and only the water: two
 * captures half a second apart differ, and every pixel that changed is one
 * the calm water covers. With the water hidden, or ripples switched off (Q),
 * the view stops drawing; off, its captures are identical and equal to the
 * calm water drawn before. The ripples keep the depth legend honest: where
 * they change the colour most, probes are dropped, and the rippled colour,
 * unmixed from the terrain under it with the layer's opacity, has the hue of
 * the calm water and of the depth ramp at a depth the engine has around that
 * cell (its frame comes from the same run repeated here: the solver is
 * deterministic).
 */
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineClient, type SiteData } from '../../../src/api';
import { ALPHA_DEEP, ALPHA_SHALLOW, DEPTH_RAMP, depthPosition } from '../../../renderer/src/scene/depth-ramp';
import { sampleRamp } from '../../../renderer/src/scene/elevation-ramp';
import { READY_TIMEOUT } from './harness';
import { floodRunParams, serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';
import { all, changedMask, dilate, maskShare, pickPixels, pixel, type Image } from './pixels';

// Functions passed to page.evaluate run in the browser; this file is compiled without lib.dom.
declare const document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null };

/** 200 mm/h for 10 min, 30 min simulated, a frame every 5 min (about 20 s of engine time): the films drain, channels stay a metre deep and more. */
const RAIN = { intensityMmPerH: '200', rainMinutes: '10', durationMinutes: '30', intervalMinutes: '5' };
const LAST = 1800;
const RUN_TIMEOUT = 240_000;
/**
 * Most the rippled water's hue may stray from the ramp's at a depth found around it, and from the calm
 * water's at the same pixel (degrees; the ramp spans about 27). Rounding to 8 bits moves a navy pixel's
 * hue by up to about 0.7; a tint that follows the ripples (red x 1.4 on their brightest facets) moves it by 2.3.
 */
const HUE_TOLERANCE = 4;
const HUE_SHIFT_TOLERANCE = 1.5;

const view = '[data-testid="terrain-view"]';

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let client: EngineClient;
let terrain: SiteData;
let lastDepth: Float32Array;
let consoleProblems: string[] = [];
const shots: { dry?: Image; calm?: Image; rippled?: Image } = {};

beforeAll(async () => {
  app = await serveExplorer('&site=jacksboro', {
    viewport: { width: 1280, height: 800 },
    // No reduced motion: what a user who has not asked for it gets.
    motion: 'no-preference',
    prepare: async (engine) => {
      terrain = await engine.call('site.open', { id: 'jacksboro' });
    },
  });
  ({ page, ui, consoleProblems } = app);
  client = app.client!;
});

afterAll(() => app?.close());

describe('water ripples in the browser (serve mode)', () => {
  it('are on by default without reduced motion; a short rain floods the valleys', { timeout: 2 * RUN_TIMEOUT }, async () => {
    expect(await ui.attr(view, 'data-ripples')).toBe('on');
    expect(await page.locator('[data-testid="ripples-toggle"]').getAttribute('aria-pressed')).toBe('true');
    // Off while the run streams and the camera settles (SwiftShader would redraw all the while), with the key.
    await page.keyboard.press('q');
    await page.waitForSelector(`${view}[data-ripples="off"]`);

    await ui.runRain(RAIN, RUN_TIMEOUT);
    await waitDrawnWater(String(LAST));

    // The same run here, for the depths the engine computed.
    let last: Float32Array | undefined;
    await client.call('flood.run', floodRunParams('jacksboro', RAIN), { onProgress: (p) => p.frame?.time === LAST && (last = p.frame.fields.depth) });
    expect(last, 'the engine streamed the last frame').toBeDefined();
    lastDepth = last!;

    // Closer in (about a kilometre across the view): a deep channel is tens of pixels wide.
    const canvas = await ui.canvasBox();
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    for (let k = 0; k < 14; k++) await page.mouse.wheel(0, -250);
    await ui.settled();
  });

  it('move the water only: captures half a second apart differ, on water pixels alone', { timeout: RUN_TIMEOUT }, async () => {
    await page.click('[data-testid="water-toggle"]');
    await waitDrawnWater('none');
    shots.dry = await ui.captureCanvas('ripples-dry');
    await page.click('[data-testid="water-toggle"]');
    await waitDrawnWater(String(LAST));
    await ui.settled();
    shots.calm = await ui.captureCanvas('ripples-calm');

    await page.keyboard.press('q');
    await page.waitForSelector(`${view}[data-ripples="on"]`);
    await nextFrames(2);
    const first = await ui.captureCanvas('ripples-a');
    const started = Date.now();
    await nextFrames(1);
    await page.waitForTimeout(Math.max(0, 500 - (Date.now() - started)));
    await nextFrames(1);
    shots.rippled = await ui.captureCanvas('ripples-b');

    // The calm water's pixels, grown by one for pixels its edges share (multisampling) with the ground.
    const water = dilate(changedMask(shots.calm, shots.dry, 2), 1, shots.calm.width);
    const changed = changedMask(first, shots.rippled, 2);
    const moved = maskShare(changed, water);
    const offWater = count(changed, (i) => !water[i]);
    const rippledNow = maskShare(changedMask(shots.rippled, shots.calm, 2), water);
    const deep = changedMask(shots.calm, shots.dry, 40);
    console.log(`[ripples] ${(maskShare(water) * 100).toFixed(1)}% of the canvas is water (${(maskShare(deep) * 100).toFixed(1)}% deep); ${(moved * 100).toFixed(1)}% of it changed in ${((Date.now() - started) / 1000).toFixed(1)} s (${(maskShare(changed, deep) * 100).toFixed(1)}% of the deep), ${offWater} pixels off it; ${(rippledNow * 100).toFixed(1)}% differs from calm`);
    expect(maskShare(water), 'some water is on show').toBeGreaterThan(0.01);
    expect(moved, 'the water moves').toBeGreaterThan(0.05);
    expect(offWater, 'nothing but the water changes').toBe(0);
  });

  it('stop when the water is hidden or they are switched off: the view stops drawing and is the calm water again', { timeout: RUN_TIMEOUT }, async () => {
    // Still on, but no water on show: nothing to animate.
    await page.click('[data-testid="water-toggle"]');
    await waitDrawnWater('none');
    await ui.settled();
    await page.click('[data-testid="water-toggle"]');
    await waitDrawnWater(String(LAST));
    await nextFrames(2);

    await page.keyboard.press('q');
    await page.waitForSelector(`${view}[data-ripples="off"]`);
    await ui.settled();
    const frames = Number(await ui.attr(view, 'data-frames'));
    const a = await ui.captureCanvas('ripples-off-a');
    await page.waitForTimeout(1500);
    const b = await ui.captureCanvas('ripples-off-b');
    expect(Number(await ui.attr(view, 'data-frames')), 'no frames drawn while nothing changes').toBe(frames);
    expect(count(changedMask(a, b, 0), (i) => i), 'identical captures').toBe(0);
    expect(count(changedMask(a, shots.calm!, 0), (i) => i), 'the calm water drawn before').toBe(0);
  });

  it("keep the depth ramp's hue at probed pixels", { timeout: RUN_TIMEOUT }, async () => {
    const [image, dry, calm] = [shots.rippled!, shots.dry!, shots.calm!];
    const water = changedMask(calm, dry, 12);
    const overlays = await ui.overlayRects();
    const free = (x: number, y: number) => !overlays.some((r) => x > r.left - 8 && x < r.left + r.width + 8 && y > r.top - 8 && y < r.top + r.height + 8);
    // Where the ripples change the colour most (the test of their hue), well inside the water and clear of the panels.
    const stirred = changedMask(image, calm, 6);
    const candidates = pickPixels(image.width, image.height, (x, y) => stirred[y * image.width + x] === 1 && all(water, image.width, x, y, 2, 1) && free(x, y), 8, 3);
    expect(candidates.length).toBe(8);

    const canvas = await ui.canvasBox();
    const { nx, ny } = terrain.georef;
    for (const [x, y] of candidates) {
      const name = await ui.dropProbe(canvas.x + x + 0.5, canvas.y + y + 0.5);
      const { col, row } = (await ui.readProbes()).find((p) => p.name === name)!;
      // The pixel's depth lies between those of the vertices of its triangle, among its cell and the eight
      // around it: some depth in that range must give, unmixed with that depth's opacity, the ramp's hue there.
      const near: number[] = [];
      for (let j = Math.max(0, row - 1); j <= Math.min(ny - 1, row + 1); j++) {
        for (let i = Math.max(0, col - 1); i <= Math.min(nx - 1, col + 1); i++) near.push(lastDepth[j * nx + i]!);
      }
      const [lo, hi] = [Math.max(0.01, Math.min(...near)), Math.max(...near)];
      const fit = (shot: Image) => {
        let best = { depth: NaN, error: Infinity };
        for (let k = 0; k <= 60; k++) {
          const depth = lo * (hi / lo) ** (k / 60);
          const alpha = ALPHA_SHALLOW + (ALPHA_DEEP - ALPHA_SHALLOW) * depthPosition(depth);
          const error = Math.abs(hue(unmix(pixel(shot, x, y), pixel(dry, x, y), alpha)) - hue(rampColour(depth)));
          if (error < best.error) best = { depth, error };
        }
        return best;
      };
      const [rippled, still] = [fit(image), fit(calm)];
      const alpha = ALPHA_SHALLOW + (ALPHA_DEEP - ALPHA_SHALLOW) * depthPosition(rippled.depth);
      const shift = Math.abs(hue(unmix(pixel(image, x, y), pixel(dry, x, y), alpha)) - hue(unmix(pixel(calm, x, y), pixel(dry, x, y), alpha)));
      console.log(
        `[hue] (${x}, ${y}) cell ${col},${row}, ${lo.toFixed(3)}-${hi.toFixed(3)} m around: rippled within ${rippled.error.toFixed(1)} deg of the ramp at ${rippled.depth.toFixed(3)} m (calm ${still.error.toFixed(1)}); ripples shift it ${shift.toFixed(1)} deg`,
      );
      expect(hi, `cell ${col},${row} or one beside it is under water`).toBeGreaterThan(0.01);
      expect(rippled.error, `hue at ${x},${y}`).toBeLessThanOrEqual(HUE_TOLERANCE);
      expect(shift, `rippled against calm hue at ${x},${y}`).toBeLessThanOrEqual(HUE_SHIFT_TOLERANCE);
    }
    expect(consoleProblems).toEqual([]);
  });
});

/** The depth ramp's colour (0..255) at a depth, as the shader mixes it. */
function rampColour(depth: number): [number, number, number] {
  const out = new Float32Array(3);
  sampleRamp(depthPosition(depth), out, 0, DEPTH_RAMP);
  return [out[0]! * 255, out[1]! * 255, out[2]! * 255];
}

/** The water's own colour, from the blend `alpha * water + (1 - alpha) * ground` and the ground alone. */
function unmix(blend: readonly number[], ground: readonly number[], alpha: number): [number, number, number] {
  const c = (k: number) => (blend[k]! - (1 - alpha) * ground[k]!) / alpha;
  return [c(0), c(1), c(2)];
}

/** HSV hue, degrees. */
function hue([r, g, b]: readonly number[]): number {
  const max = Math.max(r!, g!, b!);
  const d = max - Math.min(r!, g!, b!);
  if (d <= 0) return 0;
  const h = max === r ? ((g! - b!) / d) % 6 : max === g ? (b! - r!) / d + 2 : (r! - g!) / d + 4;
  return (h * 60 + 360) % 360;
}

function count(mask: Uint8Array, ok: (i: number) => unknown): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] && ok(i)) n++;
  return n;
}

/** Waits until `n` more frames have been drawn. */
async function nextFrames(n: number): Promise<void> {
  const from = Number(await ui.attr(view, 'data-frames'));
  await page.waitForFunction(([v, want]) => Number(document.querySelector(v as string)?.dataset.frames) >= (want as number), [view, from + n] as const, { timeout: READY_TIMEOUT });
}

async function waitDrawnWater(value: string): Promise<void> {
  await page.waitForSelector(`${view}[data-drawn-water="${value}"]`, { state: 'attached', timeout: READY_TIMEOUT });
}
