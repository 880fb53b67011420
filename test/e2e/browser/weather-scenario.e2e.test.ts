/**
 * A weather scenario composed in the explorer and played with its flood on
 * one clock, in a real browser against serve mode: open Jacksboro, switch the
 * Weather panel to Scenario, set a cold front and a rain cell whose path is
 * picked by clicking the terrain, run the weather, then flood from the same
 * storm and scrub the flood: the weather frame on show is the one at the
 * flood frame's moment.
 *
 * What is shown is checked against the scenario: a probe's temperature drops
 * by the front's 8 K between the first frame (the front far away) and the
 * last (far behind it); the path's ends are the cells clicked; the flood's
 * rain is the cell's (volume in = peak x pi x R^2 x time raining, the cell
 * staying inside the grid).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';
import { READY_TIMEOUT } from './harness';

const JOB_TIMEOUT = 240_000;
const view = '[data-testid="terrain-view"]';
const weatherPanel = '[data-testid="weather"]';
const scenarioPanel = '[data-testid="scenario"]';
const timeline = '[data-testid="timeline"]';
/** 2026-06-15T12:00Z, the form's default start. */
const START = Date.UTC(2026, 5, 15, 12) / 1000;
const FRAMES = 7; // 1 h every 10 min

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let consoleProblems: string[] = [];

beforeAll(async () => {
  app = await serveExplorer('&site=jacksboro', { viewport: { width: 1280, height: 900 } });
  ({ page, ui, consoleProblems } = app);
}, JOB_TIMEOUT);

afterAll(() => app?.close());

describe('weather scenario and its flood on one clock (serve mode)', () => {
  it('composes a front and a rain cell, picking the path on the terrain, and runs the weather', { timeout: JOB_TIMEOUT }, async () => {
    await page.click('[data-testid="weather-source-scenario"]');
    await page.fill('[data-testid="ws-hours"]', '1');
    await page.fill('[data-testid="ws-interval"]', '10');
    await page.fill('[data-testid="ws-crossing"]', '0.5');
    await page.fill('[data-testid="ws-speed"]', '10');
    await page.fill('[data-testid="ws-radius"]', '2');
    await page.fill('[data-testid="ws-cell-from"]', '0');

    // The path (a default one crosses the site): Start then a click on the terrain, End then another; no probe is dropped.
    const canvas = await ui.canvasBox();
    const before = await page.locator('[data-testid="ws-pick-start"]').innerText();
    for (const [end, fx, fy] of [['start', 0.42, 0.55], ['end', 0.62, 0.5]] as const) {
      await page.click(`[data-testid="ws-pick-${end}"]`);
      await page.waitForSelector(`[data-testid="weather-editor"][data-picking="${end}"]`);
      await page.mouse.click(canvas.x + canvas.width * fx, canvas.y + canvas.height * fy);
      await page.waitForSelector('[data-testid="weather-editor"][data-picking="none"]');
    }
    expect(await page.locator('[data-testid="ws-pick-start"]').innerText()).not.toBe(before);
    expect(await ui.attr('[data-testid="probes"]', 'data-count')).toBe('0');
    const span = await page.locator('[data-testid="ws-cell-span"]').innerText();
    console.log(`[editor] path ${await page.locator('[data-testid="ws-pick-start"]').innerText()} -> ${await page.locator('[data-testid="ws-pick-end"]').innerText()}: ${span}`);
    expect(span).toMatch(/^[\d.]+ km, raining from 0 h to [\d.]+ h$/);

    // A probe near the centre: its temperature series tells the front's passage.
    await ui.dropProbe(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.45);
    await page.click('[data-testid="weather-load"]');
    await page.waitForSelector(`${weatherPanel}[data-phase="done"]`, { timeout: JOB_TIMEOUT });
    expect(Number(await ui.attr(timeline, 'data-count'))).toBe(FRAMES);
    await page.waitForSelector(`${view}[data-drawn-weather="${START + 3600}:temperature"]`, { timeout: READY_TIMEOUT });
    const [probe] = await ui.readProbes();
    const t = probe!.charts.temperature!;
    expect(t.times).toEqual(Array.from({ length: FRAMES }, (_, k) => START + 600 * k));
    const drop = t.values[0]! - t.values.at(-1)!;
    console.log(`[weather] probe temperature ${t.values.map((v) => v.toFixed(2)).join(', ')} degC: drop ${drop.toFixed(3)} K`);
    // 30 min either side of the crossing the line is 18 km away, 3 widths: the change is done to within 1e-5.
    expect(drop).toBeCloseTo(8, 2);

    // A scenario has humidity (the samples do not): it can be the overlay, with its legend in %.
    await page.click('[data-testid="weather-overlay-relativeHumidity"]');
    await page.waitForSelector(`${view}[data-drawn-weather="${START + 3600}:relativeHumidity"]`, { timeout: READY_TIMEOUT });
    expect(await ui.attr('[data-testid="weather-legend"]', 'data-field')).toBe('relativeHumidity');
    expect(await page.locator('[data-testid="weather-legend-ticks"]').innerText()).toMatch(/\d+ %/);
    await ui.captureCanvas('weather-scenario-humidity');
    await page.click('[data-testid="weather-overlay-temperature"]');
  });

  it('floods from the same storm; scrubbing the flood shows the weather of the same moment', { timeout: JOB_TIMEOUT }, async () => {
    await page.selectOption('[data-testid="run-scheme"]', 'inertial');
    await page.click('[data-testid="weather-flood"]');
    await page.waitForSelector(`${scenarioPanel}[data-phase="done"]`, { timeout: JOB_TIMEOUT });
    expect(Number(await ui.attr(timeline, 'data-count'))).toBe(FRAMES);
    const summary = JSON.parse(readFileSync(join((await ui.attr(scenarioPanel, 'data-run-dir'))!, 'summary.json'), 'utf8')) as { name: string; volume_in_m3: number };
    const [, peak, radius, t0, t1] = /rain cell ([\d.]+) mm\/h, radius ([\d.]+) m, ([\d.]+)-([\d.]+) s/.exec(summary.name)!.map(Number);
    const analytic = (peak! / 3.6e6) * Math.PI * radius! ** 2 * (t1! - t0!);
    console.log(`[flood] ${summary.name}: rain in ${summary.volume_in_m3.toFixed(1)} m3, the cell's ${analytic.toFixed(1)} m3`);
    expect(peak).toBe(60);
    expect(radius).toBe(2000);
    // Rain in, plus what flows in over the open edges (a little); the profile's tails beyond the grid's edges
    // are lost (erfc(3)/2 ~ 1e-5 with the path 3 radii from an edge).
    expect(summary.volume_in_m3 / analytic - 1).toBeGreaterThan(-1e-4);
    expect(summary.volume_in_m3 / analytic - 1).toBeLessThan(1e-3);
    for (const k of [0, 3, 6]) {
      await page.locator('[data-testid="timeline-scrub"]').fill(String(k));
      await page.waitForSelector(`${timeline}[data-index="${k}"]`);
      // Flood time 600 k s is the scenario's start + 600 k s: the weather frame of that moment is drawn with it
      // (its wind; the overlay goes off for the flood, so the water shows).
      await page.waitForSelector(`${view}[data-drawn-water="${600 * k}"][data-drawn-weather="${START + 600 * k}:none"]`, { timeout: READY_TIMEOUT });
    }
    await ui.captureCanvas('weather-scenario-flood');
    expect(consoleProblems).toEqual([]);
  });
});
