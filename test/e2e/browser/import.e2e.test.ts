/**
 * Importing data in a real browser against serve mode: the drop overlay says
 * what a browser can and cannot do, a typed absolute path is inspected and
 * previewed (size, CRS, range, nodata share, warnings), bad files show the
 * engine's specific error, and Accept runs the import as a job with progress
 * that ends with the project written to disk and the imported terrain drawn.
 *
 * Needs the built renderer (`npx electron-vite build`) and Debian's Chromium.
 * Screenshots go to test-results/.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGeoTiff } from '../../../src/io/geotiff';
import { decodePng, foregroundMask, fraction } from './pixels';
import { BACKGROUND, RESULTS_DIR, ROOT } from './harness';
import { serveExplorer, waitReopened, type ServedExplorer } from './explorer-page';

// Functions passed to page.evaluate / waitForFunction run in the browser; this
// file is compiled without lib.dom, so it declares the little it touches.
interface PageElement {
  dataset: Record<string, string | undefined>;
  dispatchEvent(event: unknown): boolean;
  toDataURL(type: string): string;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  body: PageElement;
};
declare class DataTransfer {
  items: { add(file: unknown): void };
}
declare class File {
  constructor(parts: string[], name: string);
}
declare class DragEvent {
  constructor(type: string, init: { bubbles: boolean; cancelable: boolean; dataTransfer: DataTransfer });
}

const DATA = resolve(ROOT, '../shared/data');
const OLINDA = join(DATA, 'terrain/olinda_dem_utm25s.tif');
const SEATTLE = join(DATA, 'weather/seattle-weather.csv');

const view = '[data-testid="terrain-view"]';
const dialog = '[data-testid="import-dialog"]';

let app: ServedExplorer | undefined;
let page: Page;
let scratch: string;
let consoleProblems: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'terra-import-e2e-'));
  // The default site: no site in the URL.
  app = await serveExplorer('', { viewport: { width: 1280, height: 860 } });
  ({ page, consoleProblems } = app);
});

afterAll(async () => {
  await app?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Fires a drag of one (path-less) file over the window and, optionally, drops it. */
async function dragFile(name: string, drop: boolean): Promise<void> {
  await page.evaluate(
    ([fileName, andDrop]) => {
      const data = new DataTransfer();
      data.items.add(new File(['not read'], fileName as string));
      const fire = (type: string) => document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
      fire('dragenter');
      fire('dragover');
      if (andDrop) fire('drop');
    },
    [name, drop] as const,
  );
}

async function addPath(path: string): Promise<void> {
  await page.fill('[data-testid="import-path-input"]', path);
  await page.click('[data-testid="import-add"]');
}

async function removeAll(): Promise<void> {
  for (let n = await page.locator('[data-testid="import-file"]').count(); n > 0; n--) {
    await page.locator('[data-testid="import-file"] header button').first().click();
  }
}

describe('import in the browser (serve mode)', () => {
  it('a drop says that a browser has no file paths and opens the dialog with the name', async () => {
    await dragFile('olinda_dem_utm25s.tif', false);
    const overlay = page.locator('[data-testid="drop-overlay"]');
    await overlay.waitFor({ state: 'visible' });
    expect(await overlay.getAttribute('data-host')).toBe('browser');
    expect(await overlay.innerText()).toMatch(/a browser cannot tell the engine where a dropped file is/);
    expect(await overlay.innerText()).toMatch(/absolute path on the engine.s machine/);
    await page.screenshot({ path: join(RESULTS_DIR, 'import-drop-overlay.png') });

    await dragFile('olinda_dem_utm25s.tif', true);
    await overlay.waitFor({ state: 'detached' });
    await page.locator(dialog).waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid="import-dropped-names"]').innerText()).toContain('You dropped olinda_dem_utm25s.tif');
    expect(await page.locator('[data-testid="import-hint"]').innerText()).toMatch(/Serve mode: .*absolute path/);
    expect(await page.locator('[data-testid="import-empty"]').isVisible()).toBe(true);
    // The project folder starts at the engine's default, on the engine's machine.
    expect(await page.locator('[data-testid="import-project"]').inputValue()).toMatch(/Terra Twin[\\/]Untitled project$/);
    expect(await page.locator('[data-testid="import-accept"]').isDisabled()).toBe(true);
  });

  it('previews a typed path: size, cell size, CRS, range, nodata share, units', async () => {
    await addPath(OLINDA);
    const file = page.locator('[data-testid="import-file"]');
    await page.waitForSelector('[data-testid="import-file"][data-state="ready"]', { timeout: 30_000 });
    const text = async (id: string) => (await file.locator(`[data-testid="${id}"]`).innerText()).trim();
    console.log(`[preview] ${(await file.innerText()).replace(/\s+/g, ' ')}`);
    expect(await text('fact-size')).toBe('111 \u00d7 111 cells');
    expect(await text('fact-cell')).toBe('89.9941 \u00d7 89.9941 m');
    expect(await text('fact-crs')).toBe('UTM zone 25S (datum assumed WGS 84)');
    expect(await text('fact-range')).toMatch(/^-1 \u2026 88 m \(mean 21\.67\)$/);
    expect(await text('fact-nodata')).toBe('0.00 % (0 of 12,321 values)');
    expect(await text('fact-units')).toMatch(/^m \(assumed: the format stores none\); imported as m$/);
    expect(await text('fact-spikes')).toMatch(/^8 candidate cells/);
    expect(await file.locator('[data-testid="import-no-warnings"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="import-accept"]').isEnabled()).toBe(true);
    await page.locator(dialog).screenshot({ path: join(RESULTS_DIR, 'import-preview.png') });
  });

  it('shows the engine\u2019s specific error for a weather CSV offered as terrain, and for a missing file', async () => {
    await addPath(SEATTLE);
    const bad = page.locator(`[data-testid="import-file"][data-path="${SEATTLE}"]`);
    await bad.and(page.locator('[data-state="error"]')).waitFor({ timeout: 30_000 });
    const message = await bad.locator('[data-testid="import-file-error-message"]').innerText();
    console.log(`[error] "${message}"`);
    expect(message).toMatch(/^seattle-weather\.csv: a station time series CSV, not a terrain grid; terrain comes from a GeoTIFF/);
    const meta = await bad.locator('[data-testid="import-file-error"]').innerText();
    expect(meta).toContain('INVALID_DATA');
    expect(meta).toContain('field format');
    expect(meta).toContain('not a grid');

    const missing = join(scratch, 'no-such-dem.tif');
    await addPath(missing);
    const gone = page.locator(`[data-testid="import-file"][data-path="${missing}"]`);
    await gone.and(page.locator('[data-state="error"]')).waitFor({ timeout: 30_000 });
    expect(await gone.locator('[data-testid="import-file-error-message"]').innerText()).toBe(`no-such-dem.tif: no such file (${missing})`);
    expect(await gone.locator('[data-testid="import-file-error"]').innerText()).toContain('NOT_FOUND');

    await addPath('relative/dem.tif');
    const relative = page.locator('[data-testid="import-file"][data-path="relative/dem.tif"]');
    await relative.and(page.locator('[data-state="error"]')).waitFor({ timeout: 30_000 });
    expect(await relative.locator('[data-testid="import-file-error-message"]').innerText()).toMatch(/path: an absolute path on the engine.s machine/);
    await page.locator(dialog).screenshot({ path: join(RESULTS_DIR, 'import-errors.png') });

    // "Any data" takes the CSV as a station series: columns and a highlighted units warning.
    await page.selectOption('[data-testid="import-as"]', 'any');
    await bad.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 30_000 });
    expect(await bad.locator('[data-testid="fact-columns"]').innerText()).toContain('precipitation');
    expect(await bad.locator('[data-testid="import-warnings"]').innerText()).toMatch(/have no units/);
    await page.selectOption('[data-testid="import-as"]', 'terrain');
    await bad.and(page.locator('[data-state="error"]')).waitFor({ timeout: 30_000 });
    // Only the good file goes ahead: remove the others.
    await removeAll();
    expect(await page.locator('[data-testid="import-file"]').count()).toBe(0);
  });

  it('accepts into a temporary project: progress, success, manifest on disk, the terrain drawn', async () => {
    const project = join(scratch, 'olinda project');
    await addPath(OLINDA);
    await page.waitForSelector('[data-testid="import-file"][data-state="ready"]', { timeout: 30_000 });
    await page.fill('[data-testid="import-project"]', project);
    await page.locator('[data-testid="import-project"]').dispatchEvent('change');
    expect(await page.locator('[data-testid="import-project-hint"]').innerText()).not.toContain('default');

    const readyBefore = Number(await page.locator(view).getAttribute('data-ready-count'));
    // Record every progress state the dialog shows, in the page, as it happens.
    await page.evaluate(() => {
      const seen: string[] = [];
      (globalThis as unknown as { __progress: string[] }).__progress = seen;
      const Observer = (globalThis as unknown as { MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void } }).MutationObserver;
      new Observer(() => {
        const el = document.querySelector('[data-testid="import-progress"]') as unknown as { innerText: string } | null;
        if (el && seen.at(-1) !== el.innerText) seen.push(el.innerText);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.click('[data-testid="import-accept"]');
    const result = page.locator('[data-testid="import-result"]');
    await result.waitFor({ state: 'visible', timeout: 60_000 });
    const progress = await page.evaluate(() => (globalThis as unknown as { __progress: string[] }).__progress);
    console.log(`[progress] ${progress.map((p) => p.replace(/\s+/g, ' ')).join(' | ')}`);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((p) => /File 1 of 1: olinda_dem_utm25s\.tif/.test(p))).toBe(true);

    const summary = await result.innerText();
    console.log(`[result] ${summary.replace(/\s+/g, ' ')}`);
    expect(summary).toContain('Imported 1 data set into');
    expect(summary).toContain(project);
    expect(summary).toContain('data/olinda_dem_utm25s.tif');
    expect(summary).toContain('data/olinda_dem_utm25s.json');
    expect(await page.locator('[data-testid="import-manifest"]').innerText()).toBe(join(project, 'terra-project.json'));
    await page.locator(dialog).screenshot({ path: join(RESULTS_DIR, 'import-done.png') });

    // On disk: the manifest lists the data set; the GeoTIFF is what the view shows.
    const manifest = JSON.parse(readFileSync(join(project, 'terra-project.json'), 'utf8')) as { data: Array<{ id: string; file: string }> };
    expect(manifest.data).toEqual([expect.objectContaining({ id: 'olinda_dem_utm25s', file: 'data/olinda_dem_utm25s.tif' })]);
    const tif = await readGeoTiff(join(project, 'data/olinda_dem_utm25s.tif'));

    // The imported terrain opens in the 3D view.
    await waitReopened(page, readyBefore);
    await page.click('[data-testid="import-close"]');
    await page.locator(dialog).waitFor({ state: 'detached' });
    const card = await page.locator('.site-card').innerText();
    console.log(`[view] ${card.replace(/\s+/g, ' ')}`);
    expect(card).toContain('olinda_dem_utm25s.tif');
    expect(card).toContain(`${tif.georef.nx} \u00d7 ${tif.georef.ny} cells`);
    await page.screenshot({ path: join(RESULTS_DIR, 'import-terrain-view.png') });
    const url = await page.evaluate(() => document.querySelector('canvas.terrain-canvas')!.toDataURL('image/png'));
    const image = decodePng(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
    expect(fraction(foregroundMask(image, BACKGROUND)), 'the imported terrain covers the view').toBeGreaterThan(0.3);
    expect(consoleProblems).toEqual([]);
  });

  it('cancels a running import: the call ends, the dialog says so, the manifest is untouched', async () => {
    const project = join(scratch, 'cancel project');
    await page.click('[data-testid="import-button"]');
    await page.locator(dialog).waitFor({ state: 'visible' });
    // Trinidad regridded to 30 m (9.8 M cells) takes many seconds: time to cancel.
    const trinidad = join(DATA, 'terrain/trinidad_colorado_3arcsec_feet.nc');
    await addPath(trinidad);
    await page.waitForSelector('[data-testid="import-file"][data-state="ready"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="fact-range"]').innerText()).toMatch(/ft = .* m/);
    await page.fill('[data-testid="import-project"]', project);
    await page.locator('[data-testid="import-project"]').dispatchEvent('change');
    await page.fill('[data-testid="import-cell-size"]', '30');
    await page.locator('[data-testid="import-cell-size"]').dispatchEvent('change');
    await page.click('[data-testid="import-accept"]');
    await page.locator('[data-testid="import-progress"]').waitFor({ state: 'visible' });
    const clickedAt = performance.now();
    await page.click('[data-testid="import-cancel"]');
    await page.locator('[data-testid="import-cancelled"]').waitFor({ state: 'visible', timeout: 60_000 });
    console.log(`[cancel] the dialog reported the cancel ${Math.round(performance.now() - clickedAt)} ms after the click`);
    expect(await page.locator('[data-testid="import-progress"]').count()).toBe(0);
    expect(await page.locator('[data-testid="import-result"]').count()).toBe(0);
    // What the dialog says is what is on disk: no manifest, no terrain written.
    expect(existsSync(join(project, 'terra-project.json'))).toBe(false);
    expect(existsSync(join(project, 'data', 'trinidad_colorado_3arcsec_feet.tif'))).toBe(false);
    // The file is still there to import again.
    expect(await page.locator('[data-testid="import-file"][data-state="ready"]').count()).toBe(1);
    expect(await page.locator('[data-testid="import-accept"]').isEnabled()).toBe(true);
    await page.locator(dialog).screenshot({ path: join(RESULTS_DIR, 'import-cancelled.png') });
    await page.click('[data-testid="import-dismiss"]');
    await page.locator(dialog).waitFor({ state: 'detached' });
  });
});
