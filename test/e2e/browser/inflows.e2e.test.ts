/**
 * Inflows and edges from the scenario panel, in a real browser against serve
 * mode: on Jacksboro, make every edge a wall, place an inflow by clicking the
 * terrain, set its hydrograph and run. The engine's run must carry exactly
 * the hydrograph's volume (a triangle: peak x duration / 2) on top of the
 * rain, none may leave, and a probe dropped where the inflow was placed must
 * see water arrive.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';

const RUN_TIMEOUT = 240_000;
const scenario = '[data-testid="scenario"]';
const inflows = '[data-testid="inflows"]';
/** A light, short rain so the inflow dominates; 10 min of flood in 2-min frames. */
const RAIN = { intensityMmPerH: '1', rainMinutes: '1', durationMinutes: '10', intervalMinutes: '2' };
const HYDROGRAPH = { peak: 40, riseMinutes: 3, totalMinutes: 8 };

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let consoleProblems: string[] = [];

beforeAll(async () => {
  app = await serveExplorer('&site=jacksboro', { viewport: { width: 1280, height: 900 } });
  ({ page, ui, consoleProblems } = app);
}, RUN_TIMEOUT);

afterAll(() => app?.close());

describe('inflows and edges from the scenario panel (serve mode)', () => {
  it('places an inflow by clicking, walls the edges, and runs: the hydrograph\'s volume goes in, none leaves', { timeout: RUN_TIMEOUT }, async () => {
    await ui.fillRain(RAIN);
    for (const edge of ['west', 'north', 'east', 'south']) await page.click(`[data-testid="run-edge-${edge}"]`);
    expect(await page.locator(`${scenario} .facts`).innerText()).toContain('walls all round');

    const canvas = await ui.canvasBox();
    const at = { x: canvas.x + canvas.width * 0.55, y: canvas.y + canvas.height * 0.5 };
    await page.click('[data-testid="inflow-add"]');
    await page.waitForSelector(`${inflows}[data-placing="yes"]`);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector(`${inflows}[data-count="1"][data-placing="no"]`);
    expect(await ui.attr('[data-testid="probes"]', 'data-count')).toBe('0');
    const row = page.locator('[data-testid="inflow"]');
    const inputs = row.locator('input');
    await inputs.nth(0).fill(String(HYDROGRAPH.peak));
    await inputs.nth(1).fill(String(HYDROGRAPH.riseMinutes));
    await inputs.nth(2).fill(String(HYDROGRAPH.totalMinutes));
    // A probe on the inflow's pixel: the same DEM cell.
    const probe = await ui.dropProbe(at.x, at.y);

    const runDir = await ui.run(RUN_TIMEOUT);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as {
      volume_in_m3: number;
      volume_out_m3: number;
      volume_clipped_m3: number;
      mass_error_rel: number;
      cells: number;
      dx_m: number;
      dy_m: number;
    };
    const rain = (Number(RAIN.intensityMmPerH) / 3.6e6) * Number(RAIN.rainMinutes) * 60 * summary.cells * summary.dx_m * summary.dy_m;
    const triangle = (HYDROGRAPH.peak * HYDROGRAPH.totalMinutes * 60) / 2;
    const inflow = summary.volume_in_m3 - summary.volume_clipped_m3 - rain;
    console.log(`[inflow] in ${summary.volume_in_m3.toFixed(1)} m3: rain ${rain.toFixed(1)}, inflow ${inflow.toFixed(3)} (triangle ${triangle}); out ${summary.volume_out_m3}`);
    expect(inflow / triangle - 1).toBeLessThan(1e-9);
    expect(inflow / triangle - 1).toBeGreaterThan(-1e-9);
    expect(summary.volume_out_m3).toBe(0);
    expect(summary.mass_error_rel).toBeLessThan(1e-9);

    const [p] = (await ui.readProbes()).filter((q) => q.name === probe);
    const depth = p!.charts.depth!.values;
    console.log(`[inflow] depth at the inflow's cell: ${depth.map((d) => d.toFixed(3)).join(', ')} m`);
    expect(depth[0]).toBe(0);
    expect(Math.max(...depth)).toBeGreaterThan(0.1);
    await ui.captureCanvas('inflow-run');
    expect(consoleProblems).toEqual([]);
  });
});
