/**
 * The renderer in a real browser against serve mode: the terrain is drawn
 * with visible relief (checked by pixel statistics), the status bar and
 * legend report what the engine says, and an engine crash is survived.
 *
 * Needs the built renderer (`npx electron-vite build`) and Debian's Chromium,
 * which gives WebGL2 on SwiftShader headless. Screenshots go to test-results/.
 */
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineClient, type EngineInfo, type SiteData } from '../../../src/api';
import {
  foregroundMask,
  fraction,
  luminance,
  meanAbsDifference,
  meanAbsGradient,
  meanAbsLaplacian,
  pixel,
  stdDev,
} from './pixels';
import { BACKGROUND, READY_TIMEOUT, RESULTS_DIR } from './harness';
import { captureCanvas, serveExplorer, waitReopened, type ServedExplorer } from './explorer-page';

// Functions passed to page.evaluate / waitForFunction run in the browser. This
// file is compiled with the Node program (no lib.dom), so it declares, in its
// own module scope, the little of the DOM those functions touch.
interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  getBoundingClientRect(): { width: number; height: number };
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  documentElement: PageElement;
};


const view = '[data-testid="terrain-view"]';

let app: ServedExplorer | undefined;
let page: Page;
let client: EngineClient;
let jacksboro: SiteData;
let consoleProblems: string[] = [];

beforeAll(async () => {
  // The default site: no site in the URL.
  app = await serveExplorer('', {
    viewport: { width: 1280, height: 800 },
    prepare: async (engine) => {
      jacksboro = await engine.call('site.open', { id: 'jacksboro' });
    },
  });
  ({ page, consoleProblems } = app);
  client = app.client!;
});

afterAll(() => app?.close());

describe('terrain view in the browser (serve mode)', () => {
  it('draws the default site as lit, shaded relief', async () => {
    await waitFrames(page, 0);
    const on = await captureCanvas(page, 'terrain-hillshade-on');
    await page.screenshot({ path: join(RESULTS_DIR, 'window-hillshade-on.png') });

    const corner = pixel(on, 2, 2);
    expect(Math.max(...corner.map((c, i) => Math.abs(c - BACKGROUND[i]!)))).toBeLessThanOrEqual(3);
    const maskOn = foregroundMask(on, BACKGROUND);
    const lumOn = luminance(on);
    const coverage = fraction(maskOn);
    const spread = stdDev(lumOn);
    const gradient = meanAbsGradient(lumOn, maskOn, on.width, on.height);
    const laplacian = meanAbsLaplacian(lumOn, maskOn, on.width, on.height);

    // Hillshade off: the same view with plain elevation colours.
    const framesBefore = await frames(page);
    await page.click('[data-testid="hillshade-toggle"]');
    await page.waitForSelector(`${view}[data-hillshade="off"]`);
    await waitFrames(page, framesBefore);
    const off = await captureCanvas(page, 'terrain-hillshade-off');
    await page.screenshot({ path: join(RESULTS_DIR, 'window-hillshade-off.png') });
    const maskOff = foregroundMask(off, BACKGROUND);
    const lumOff = luminance(off);
    const onOff = meanAbsDifference(lumOn, lumOff, maskOn, maskOff);
    const laplacianOff = meanAbsLaplacian(lumOff, maskOff, off.width, off.height);

    // Back on for the tests that follow.
    await page.click('[data-testid="hillshade-toggle"]');
    await page.waitForSelector(`${view}[data-hillshade="on"]`);

    console.log(
      `[pixels] canvas ${on.width}x${on.height}; terrain covers ${(coverage * 100).toFixed(1)}%; ` +
        `luminance std ${spread.toFixed(1)}; mean |gradient| ${gradient.toFixed(2)}; ` +
        `mean |Laplacian| on ${laplacian.toFixed(2)}, off ${laplacianOff.toFixed(2)}; ` +
        `mean |on - off| ${onOff.toFixed(2)} (luminance levels, 0..255)`,
    );
    expect(coverage, 'most of the canvas shows terrain, not background').toBeGreaterThan(0.5);
    expect(spread, 'the image is not one flat colour').toBeGreaterThan(20);
    expect(gradient, 'relief shading draws slopes').toBeGreaterThan(4);
    expect(laplacian, 'relief shading draws ridges and valleys').toBeGreaterThan(6);
    expect(laplacian, 'the hillshade adds fine relief detail').toBeGreaterThan(1.5 * laplacianOff);
    expect(onOff, 'the hillshade changes the picture substantially').toBeGreaterThan(8);
    expect(consoleProblems).toEqual([]);
  });

  it('shows the compute backend, frame rate, legend and scale the engine and site imply', async () => {
    const info: EngineInfo = await client.call('engine.info', {});
    const backend = (await page.locator('[data-testid="backend"]').innerText()).trim();
    console.log(`[status] backend "${backend}", engine reports "${info.compute.tfjs.backend}"`);
    expect(backend.startsWith(info.compute.tfjs.backend)).toBe(true);
    if (info.compute.gpu.available) expect(backend).toContain(info.compute.gpu.adapter.description || info.compute.gpu.adapter.vendor);
    else expect(backend).toContain('no GPU');
    await expect
      .poll(async () => page.locator('[data-testid="cpu-threads"]').innerText())
      .toContain(String(info.compute.cpuThreads));

    await page.waitForFunction(() => Number(document.querySelector('[data-testid="fps"]')?.textContent) > 0, null, {
      timeout: 10_000,
    });
    const fps = Number(await page.locator('[data-testid="fps"]').innerText());
    console.log(`[status] ${fps} fps`);
    expect(fps).toBeGreaterThan(0);
    await expect.poll(async () => page.locator('[data-testid="status-bar"]').innerText()).toContain('Engine connected');

    const legend = await page.locator('[data-testid="legend"]').innerText();
    const { min, max } = jacksboro.stats;
    expect(legend).toContain(`${Math.round(min)} m`);
    expect(legend).toContain(`${Math.round(max)} m`);

    const scale = page.locator('[data-testid="scale-bar"]');
    const metres = Number(await scale.getAttribute('data-metres'));
    const text = await scale.innerText();
    console.log(`[scale] ${metres} m bar, "${text.replace(/\s+/g, ' ')}"; legend ${Math.round(min)}..${Math.round(max)} m`);
    expect(metres).toBeGreaterThan(0);
    expect(text).toMatch(/\d+(\.\d)? (m|km)/);
  });

  it('rescales the scale bar as the camera zooms, and the reset frames the site again', async () => {
    const scale = page.locator('[data-testid="scale-bar"]');
    const barWidth = () => page.evaluate(() => Number(document.querySelector('[data-testid="scale-bar"] .bar')?.getBoundingClientRect().width));
    const home = Number(await scale.getAttribute('data-metres'));
    const homeWidth = await barWidth();
    const box = (await page.locator(view).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
    await expect.poll(async () => Number(await scale.getAttribute('data-metres')), { timeout: 20_000 }).toBeLessThan(home);
    const zoomed = Number(await scale.getAttribute('data-metres'));
    await page.screenshot({ path: join(RESULTS_DIR, 'window-zoomed.png') });

    await page.click('[data-testid="reset-camera"]');
    await expect.poll(async () => Number(await scale.getAttribute('data-metres')), { timeout: 20_000 }).toBe(home);
    await expect.poll(barWidth, { timeout: 20_000 }).toBeCloseTo(homeWidth, 0);
    console.log(`[camera] scale bar ${home} m at home, ${zoomed} m zoomed in, ${home} m after reset`);
  });

  it('keeps the camera above the ground, zoomed in all the way and orbited down to the horizon', async () => {
    const { nx, ny, dxMetres, dyMetres } = jacksboro.georef;
    const { elevation, stats } = jacksboro;
    const exaggeration = Number(await page.locator('[data-testid="exaggeration"]').inputValue());
    /** Highest drawn ground (world y) at the cells round a world point, or null off the site. */
    const groundAt = (x: number, z: number): number | null => {
      const col = (x + ((nx - 1) * dxMetres) / 2) / dxMetres;
      const row = (z + ((ny - 1) * dyMetres) / 2) / dyMetres;
      if (col < 0 || row < 0 || col > nx - 1 || row > ny - 1) return null;
      let top = -Infinity;
      for (const r of [Math.floor(row), Math.ceil(row)]) for (const c of [Math.floor(col), Math.ceil(col)]) top = Math.max(top, elevation[r * nx + c]!);
      return (top - stats.min) * exaggeration;
    };
    const box = (await page.locator(view).boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    /** The camera's pose once it is still (the same in two reads half a second apart). */
    const still = async (): Promise<string> => {
      let pose = '';
      await expect
        .poll(
          async () => {
            const last = pose;
            pose = (await page.locator(view).getAttribute('data-camera'))!;
            return pose === last;
          },
          { timeout: 60_000, interval: 500 },
        )
        .toBe(true);
      return pose;
    };
    const poses: string[] = [];
    let lowest = Infinity;
    // From each side: in as far as the controls go, then dragged down to the lowest view they allow.
    for (const preset of ['south', 'east', 'north', 'west']) {
      await page.selectOption('[data-testid="camera-preset"]', preset);
      const framed = JSON.parse(await still()) as { position: [number, number, number]; target: [number, number, number] };
      await page.mouse.move(centre.x, centre.y);
      for (let i = 0; i < 30; i++) await page.mouse.wheel(0, -600);
      await still();
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(centre.x, centre.y - i * 40);
      await page.mouse.up();
      const { position, target } = JSON.parse(await still()) as { position: [number, number, number]; target: [number, number, number] };
      const distance = (p: number[], t: number[]) => Math.hypot(p[0]! - t[0]!, p[1]! - t[1]!, p[2]! - t[2]!);
      // The orbit's centre lies under the ground here: the ground stops the zoom before the controls' limit does.
      expect(distance(position, target), 'zoomed in').toBeLessThan(distance(framed.position, framed.target) / 2);
      const ground = groundAt(position[0], position[2]);
      poses.push(`${preset}: eye ${position.map((v) => v.toFixed(0)).join(', ')}, ground ${ground?.toFixed(0) ?? 'off the site'}`);
      if (ground !== null) lowest = Math.min(lowest, position[1] - ground);
    }
    await page.screenshot({ path: join(RESULTS_DIR, 'window-low.png') });
    console.log(`[camera] low views: ${poses.join('; ')}; least clearance ${lowest.toFixed(1)}`);
    expect(lowest, 'the camera over the ground under it').toBeGreaterThan(0);
    await page.keyboard.press('r');
  });

  it('frames the site from each side and from above: the north arrow turns with the view', async () => {
    const arrow = page.locator('[data-testid="north-arrow"]');
    // Screen rotation of north, clockwise from up: 0 from the south and from above, 180 from the north, 90 from the
    // east (looking west, north is on the right), -90 from the west.
    const expected = { north: 180, east: 90, west: -90, top: 0, south: 0 } as const;
    for (const [preset, degrees] of Object.entries(expected)) {
      await page.selectOption('[data-testid="camera-preset"]', preset);
      await expect.poll(async () => Math.abs(((Number(await arrow.getAttribute('data-degrees')) - degrees + 540) % 360) - 180), { timeout: 20_000 }).toBeLessThan(1);
    }
    await page.keyboard.press('2'); // from the west
    await expect.poll(async () => Math.abs(Number(await arrow.getAttribute('data-degrees')) + 90), { timeout: 20_000 }).toBeLessThan(1);
    await page.keyboard.press('r');
    await expect.poll(async () => Math.abs(Number(await arrow.getAttribute('data-degrees'))), { timeout: 20_000 }).toBeLessThan(1);
  });

  it('survives an engine crash: banner, new engine, site reopened', async () => {
    const before: EngineInfo = await client.call('engine.info', {});
    const readyBefore = await readyCount(page);
    process.kill(before.pid, 'SIGKILL');

    const banner = page.locator('[data-testid="engine-banner"]');
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await banner.getAttribute('data-kind')).toBe('restarted');
    await waitReopened(page, readyBefore);
    await expect.poll(async () => banner.innerText()).toContain('your site was reopened');
    await page.screenshot({ path: join(RESULTS_DIR, 'window-after-engine-restart.png') });

    const after: EngineInfo = await client.call('engine.info', {});
    console.log(`[crash] engine pid ${before.pid} killed; new engine pid ${after.pid}; banner "${(await banner.innerText()).replace(/\s+/g, ' ')}"`);
    expect(after.pid).not.toBe(before.pid);
    const image = await captureCanvas(page, 'terrain-after-restart');
    expect(fraction(foregroundMask(image, BACKGROUND))).toBeGreaterThan(0.5);
  });

  it('shows the engine error when a site cannot be opened', async () => {
    const other = await app!.context.newPage();
    try {
      await other.goto(`${app!.server.url}&site=atlantis`);
      const panel = other.locator('[data-testid="error-panel"]');
      await panel.waitFor({ state: 'visible', timeout: 30_000 });
      const message = await other.locator('[data-testid="error-message"]').innerText();
      console.log(`[error] "${message}"`);
      expect(message).toContain('No sample site "atlantis"');
      expect(await panel.innerText()).toContain('NOT_FOUND');
    } finally {
      await other.close();
    }
  });
});

async function frames(target: Page): Promise<number> {
  return Number(await target.locator(view).getAttribute('data-frames'));
}

async function readyCount(target: Page): Promise<number> {
  return Number(await target.locator(view).getAttribute('data-ready-count'));
}

/** Waits until the view has drawn a frame after `count` frames (so the latest state is on screen). */
async function waitFrames(target: Page, count: number): Promise<void> {
  await target.waitForFunction(
    ([selector, n]) => Number(document.querySelector(selector as string)?.dataset.frames) > (n as number),
    [view, count] as const,
    { timeout: READY_TIMEOUT },
  );
}
