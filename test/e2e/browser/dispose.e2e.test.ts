/**
 * Closing a site leaves nothing behind on the GPU: Jacksboro is opened with a
 * probe and the water of a short run on show (its depth texture uploaded),
 * then the first frames of the weather (the temperature overlay's texture,
 * the wind particles' textures, render targets, geometries and programs, all
 * drawn), then Olinda replaces it; what is alive afterwards must equal what a
 * fresh page holding Olinda alone has. The same after a 4.7 M-cell terrain
 * drawn with level of detail, its tiles at several levels (built, cached and
 * evicted as the camera moved). Counted twice: three.js's renderer.info
 * (the view's data-geometries / data-textures) and, below three.js, every
 * WebGL buffer, texture, vertex array, program and framebuffer the page
 * creates and deletes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer } from '../../../src/server/server';
import { PAGE_OPTIONS, READY_TIMEOUT, launchChromium } from './harness';
import { ExplorerPage, startServe, waitReopened, watchConsole } from './explorer-page';
import { importTerrain, settle, viewState, writeLargeDem } from './large-terrain';

// Functions passed to addInitScript / page.evaluate run in the browser; this
// file is compiled without lib.dom, so it declares the little they touch.
type GlMethod = (this: unknown, ...args: unknown[]) => unknown;
declare const WebGL2RenderingContext: { prototype: Record<string, GlMethod> };
declare const window: { __webglLive?: Record<string, Set<unknown>>; terraAtmosphereTest?: { setClouds(field: number[] | null): void } };
declare const document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null };

/** Five minutes of strong rain, two frames (the panel's minute fields step by 5): about 10 s of engine time. */
const RAIN = { intensityMmPerH: '200', rainMinutes: '5', durationMinutes: '5', intervalMinutes: '5' };
const RUN_TIMEOUT = 120_000;
const view = '[data-testid="terrain-view"]';
const scenario = '[data-testid="scenario"]';
const weather = '[data-testid="weather"]';

interface GpuCounts {
  three: { geometries: number; textures: number };
  webgl: Record<string, number>;
}

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
const consoleProblems: string[] = [];

beforeAll(async () => {
  server = await startServe();
  browser = await launchChromium();
  context = await browser.newContext({ ...PAGE_OPTIONS, viewport: { width: 1280, height: 800 } });
  // Before any page script: every WebGL object created and not yet deleted, by kind.
  await context.addInitScript(() => {
    const live: Record<string, Set<unknown>> = {};
    const kinds = ['Buffer', 'Texture', 'VertexArray', 'Program', 'Shader', 'Framebuffer', 'Renderbuffer'];
    const proto = WebGL2RenderingContext.prototype;
    for (const kind of kinds) {
      const set = (live[kind] = new Set());
      const create = proto[`create${kind}`]!;
      const remove = proto[`delete${kind}`]!;
      proto[`create${kind}`] = function (...args) {
        const object = create.apply(this, args);
        if (object) set.add(object);
        return object;
      };
      proto[`delete${kind}`] = function (...args) {
        set.delete(args[0]);
        return remove.apply(this, args);
      };
    }
    window.__webglLive = live;
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('site switch releases GPU resources (serve mode)', () => {
  it('after Jacksboro with water, weather and a probe, Olinda holds what Olinda alone needs', { timeout: 3 * RUN_TIMEOUT }, async () => {
    const page = await openPage('jacksboro');
    const ui = new ExplorerPage(page);
    const box = await ui.canvasBox();
    await ui.dropProbe(box.x + box.width / 2, box.y + box.height / 2);
    await ui.fillRain(RAIN);
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector(`${scenario}:is([data-phase="done"], [data-phase="failed"])`, { timeout: RUN_TIMEOUT });
    const outcome = await page.locator('[data-testid="run-outcome"]').innerText();
    expect(await page.locator(scenario).getAttribute('data-phase'), outcome).toBe('done');
    await page.waitForSelector(`${view}[data-drawn-water="300"]`, { timeout: READY_TIMEOUT });
    const withWater = await counts(page);
    const tiles = await page.locator(view).getAttribute('data-terrain-tiles');

    // The weather's first frames (then cancelled: enough to make every weather layer), drawn with particles moving.
    await page.click('[data-testid="weather-load"]');
    await page.waitForFunction((t) => Number(document.querySelector(t as string)?.dataset.count) >= 2, '[data-testid="timeline"]', { timeout: RUN_TIMEOUT });
    await page.click('[data-testid="weather-cancel"]');
    await page.waitForSelector(`${weather}[data-phase="cancelled"]`, { timeout: RUN_TIMEOUT });
    await page.waitForFunction((v) => Number(document.querySelector(v as string)?.dataset.particleSteps) >= 2, view, { timeout: READY_TIMEOUT });
    expect(await page.locator(view).getAttribute('data-drawn-weather')).toMatch(/^\d+:temperature$/);
    const withWeather = await counts(page);

    const readyBefore = Number(await page.locator(view).getAttribute('data-ready-count'));
    await page.selectOption('[data-testid="site-picker"]', 'olinda');
    await waitReopened(page, readyBefore);
    const switched = await counts(page);

    const fresh = await counts(await openPage('olinda'));
    console.log(`[dispose] Jacksboro with water and a probe ${JSON.stringify(withWater)}; and the weather ${JSON.stringify(withWeather)}`);
    console.log(`[dispose] then Olinda ${JSON.stringify(switched)}; Olinda alone ${JSON.stringify(fresh)}`);

    // The counters see what they should: Jacksboro's 2 x 2 terrain tiles, probe stem and head, and the water's depth texture.
    expect(tiles).toBe('2x2');
    expect(withWater.three).toEqual({ geometries: 6, textures: 1 });
    expect(withWater.webgl.Texture).toBeGreaterThanOrEqual(1);
    // The weather adds the particles' lines and update triangle; the overlay's field, the wind, the terrain heights,
    // the particles' seed and their two render targets.
    expect(withWeather.three).toEqual({ geometries: 8, textures: 7 });
    expect(withWeather.webgl.Framebuffer).toBeGreaterThanOrEqual(withWater.webgl.Framebuffer! + 2);
    // Olinda is one tile.
    expect(switched.three).toEqual({ geometries: 1, textures: 0 });
    expect(switched).toEqual(fresh);
    expect(consoleProblems).toEqual([]);
  });

  it('with sky, fog, rain and clouds on, Olinda after Jacksboro holds what Olinda alone (with the same switches) needs', { timeout: 3 * RUN_TIMEOUT }, async () => {
    const page = await openPage('jacksboro', '&test-hooks');
    await new ExplorerPage(page).runRain(RAIN, RUN_TIMEOUT);
    // The first frame (t = 0) is in the rain.
    await page.locator('[data-testid="timeline-scrub"]').fill('0');
    await page.waitForSelector(`${view}[data-drawn-water="0"][data-rain="200"]`, { timeout: READY_TIMEOUT });
    const plain = await counts(page);

    // The switches are kept (localStorage): the fresh page below opens with them on too.
    await page.click('[data-testid="atmosphere-menu"]');
    for (const layer of ['sky', 'fog', 'rain', 'clouds']) await page.click(`[data-testid="${layer}-toggle"]`);
    await page.waitForSelector(`${view}[data-atmosphere="sky fog rain clouds"]`);
    const [nx, ny] = [403, 344];
    await page.evaluate((cells) => window.terraAtmosphereTest!.setClouds(Array.from({ length: cells }, () => 0.7)), nx * ny);
    const drawn = Number(await page.locator(view).getAttribute('data-frames'));
    await page.waitForFunction(([v, n]) => Number(document.querySelector(v as string)?.dataset.frames) > (n as number) + 3, [view, drawn] as const, { timeout: READY_TIMEOUT });
    const withAtmosphere = await counts(page);

    const readyBefore = Number(await page.locator(view).getAttribute('data-ready-count'));
    await page.selectOption('[data-testid="site-picker"]', 'olinda');
    await waitReopened(page, readyBefore);
    const switched = await counts(page);
    const freshPage = await openPage('olinda');
    expect(await freshPage.locator(view).getAttribute('data-atmosphere')).toBe('sky fog rain clouds');
    const fresh = await counts(freshPage);
    console.log(`[dispose] Jacksboro in the rain ${JSON.stringify(plain)}; with sky, fog, rain and clouds ${JSON.stringify(withAtmosphere)}`);
    console.log(`[dispose] then Olinda ${JSON.stringify(switched)}; Olinda alone ${JSON.stringify(fresh)}`);

    // The sky's box, the rain's lines and the cloud deck; the rain's density and heights and the clouds' cover.
    expect(withAtmosphere.three.geometries).toBe(plain.three.geometries + 3);
    expect(withAtmosphere.three.textures).toBe(plain.three.textures + 3);
    // Olinda has no rain or clouds: only the sky stays, as on the fresh page.
    expect(switched).toEqual(fresh);
    expect(consoleProblems).toEqual([]);
  });

  it('after a 4.7 M-cell terrain drawn with level of detail (tiles at several levels), Olinda holds what Olinda alone needs', { timeout: 8 * RUN_TIMEOUT }, async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'terra-dispose-lod-'));
    try {
      const dem = await writeLargeDem(scratch);
      const page = await openPage('olinda');
      await importTerrain(page, dem.path, join(scratch, 'project'));
      await settle(page);
      const home = await viewState(page);
      // Zoom in: the tiles in view get finer levels, those of the home view stay cached.
      const box = (await page.locator('canvas.terrain-canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -500);
      await settle(page);
      const zoomed = await viewState(page);
      const large = await counts(page);
      const tiles = zoomed.tiles[0] * zoomed.tiles[1];
      expect(zoomed.strides).not.toEqual(home.strides);
      expect(new Set(zoomed.strides).size, 'tiles at several levels').toBeGreaterThanOrEqual(2);
      expect(large.three.geometries, 'levels built: more than one per tile').toBeGreaterThan(tiles);

      const readyBefore = Number(await page.locator(view).getAttribute('data-ready-count'));
      await page.selectOption('[data-testid="site-picker"]', 'olinda');
      await waitReopened(page, readyBefore);
      const switched = await counts(page);
      const fresh = await counts(await openPage('olinda'));
      console.log(`[dispose] the 4.7 M-cell terrain zoomed in ${JSON.stringify(large)}; then Olinda ${JSON.stringify(switched)}; Olinda alone ${JSON.stringify(fresh)}`);
      expect(switched).toEqual(fresh);
      expect(consoleProblems).toEqual([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

async function openPage(site: string, query = ''): Promise<Page> {
  const page = await context.newPage();
  watchConsole(page, consoleProblems);
  await page.goto(`${server.url}&site=${site}${query}`);
  await page.waitForSelector(`${view}[data-state="ready"]`, { timeout: READY_TIMEOUT });
  return page;
}

/** What is alive after the last frame drawn. */
async function counts(page: Page): Promise<GpuCounts> {
  const el = page.locator(view);
  const three = { geometries: Number(await el.getAttribute('data-geometries')), textures: Number(await el.getAttribute('data-textures')) };
  const webgl = await page.evaluate(() => Object.fromEntries(Object.entries(window.__webglLive!).map(([kind, set]) => [kind, set.size])));
  return { three, webgl };
}
