/**
 * World models in the explorer, in a real browser against serve mode: train a
 * surrogate from the models panel with live loss curves, cancel and resume
 * it, preview the scenario panel's storm with it, and compare it with the
 * solver on the same storm.
 *
 * What is shown is checked against what the engine computed: the loss chart
 * against the model folder's history, the metrics against metrics.json, and
 * pixels against fields: pixels the preview turns to water are clicked to drop
 * probes, whose cells must be wet in the engine's prediction (and pixels left
 * as terrain dry); pixels the difference map colours must be wet in the model
 * or the solver, red where the model is deeper and blue where shallower.
 *
 * The storm dataset (a 40 x 32 window of Jacksboro, 7 storms) is built through
 * the engine API first, to keep the test short; the engine test covers that
 * job (test/unit/engine/learn-jobs.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineClient } from '../../../src/api';
import { DRY_M, symmetricScale } from '../../../renderer/src/scene/depth-difference';
import { serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';
import { BACKGROUND, RESULTS_DIR } from './harness';
import { all, changedMask, foregroundMask, pickPixels, type Image } from './pixels';

// Functions passed to page.waitForFunction run in the browser; this file is compiled without lib.dom.
declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };

const crop = { row: 224, col: 352, rows: 32, cols: 40 };
const STORM = { intensity_mm_h: 60, duration_min: 10 };
/** Beyond the trained 30-90 mm/h: the model extrapolates, and says so. */
const FAR_STORM = { intensity_mm_h: 160, duration_min: 10 };
/** The water layer hides depths below 1 cm (renderer/src/scene/depth-ramp.ts). */
const WATER_M = 0.01;
const JOB_TIMEOUT = 240_000;
const NX = 403;

const view = '[data-testid="terrain-view"]';
const panel = '[data-testid="models"]';

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let client: EngineClient;
let projectDir: string;
let consoleProblems: string[] = [];
let before: Image;

beforeAll(async () => {
  projectDir = mkdtempSync(join(tmpdir(), 'terra-models-e2e-'));
  app = await serveExplorer('&site=jacksboro', {
    viewport: { width: 1280, height: 860 },
    prepare: async (engine) => {
      await engine.call('learn.dataset', { projectDir, name: 'valley', site: 'jacksboro', scenarios: 7, intensity_mm_h: [30, 90], duration_min: [5, 12], tail_min: 3, crop });
    },
  });
  ({ page, ui, consoleProblems } = app);
  client = app.client!;
}, JOB_TIMEOUT);

afterAll(async () => {
  await app?.close();
  if (projectDir) rmSync(projectDir, { recursive: true, force: true });
});

describe('world models in the explorer (serve mode)', () => {
  it('trains a model from the panel with live losses; a cancelled training resumes to the end', { timeout: JOB_TIMEOUT }, async () => {
    const project = page.locator('[data-testid="models-project"]');
    await project.fill(projectDir);
    await project.dispatchEvent('change');
    await page.waitForSelector('[data-testid="models-empty"]');
    await page.click('[data-testid="train-form"] summary');
    await page.waitForSelector('[data-testid="train-dataset"] option[value="valley"]', { state: 'attached' });
    await page.selectOption('[data-testid="train-dataset"]', 'valley');
    await page.fill('[data-testid="train-name"]', 'mlp-e2e');
    await page.fill('[data-testid="train-epochs"]', '4');
    await page.click('[data-testid="train-start"]');
    await page.waitForSelector(`${panel}[data-job="train"]`);
    // Live: batch losses reach the chart before the first epoch ends; cancel once an epoch is in.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-batches')) > 0, null, { timeout: JOB_TIMEOUT });
    await page.waitForFunction(() => (document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-epochs') ?? '') !== '', null, { timeout: JOB_TIMEOUT });
    await page.click('[data-testid="models-cancel"]');
    await page.waitForSelector(`${panel}[data-cancelled="train"][data-job="none"]`, { timeout: JOB_TIMEOUT });
    const resume = await page.locator('[data-testid="model-resume"]').innerText();
    const done = Number(/\((\d+) of 4 epochs done\)/.exec(resume)?.[1]);
    console.log(`[train] cancelled: "${resume}"`);
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(4);

    await page.click('[data-testid="model-resume"]');
    await page.waitForSelector(`${panel}[data-job="train"]`);
    await page.waitForSelector(`${panel}[data-job="none"] [data-testid="model-metrics"]`, { timeout: JOB_TIMEOUT });
    const chart = page.locator('[data-testid="loss-chart"]');
    const metrics = JSON.parse(readFileSync(join(projectDir, 'learn/models/mlp-e2e/metrics.json'), 'utf8')) as {
      history: { epoch: number; val_loss: number }[];
      validation: { pooled: { csi: number; rmse_wet_m: number } };
    };
    expect(await chart.getAttribute('data-epochs')).toBe('1,2,3,4');
    expect((await chart.getAttribute('data-val-losses'))!.split(',').map(Number)).toEqual(metrics.history.map((h) => h.val_loss));
    const table = await page.locator('[data-testid="model-metrics"]').innerText();
    const csi = Number(/CSI\s+([\d.]+)/.exec(table)?.[1]);
    console.log(`[train] ${table.replace(/\s+/g, ' ')}`);
    expect(csi).toBeCloseTo(metrics.validation.pooled.csi, 2);
    expect(await page.locator('[data-testid="model-mlp-e2e"]').isChecked()).toBe(true);
  });

  it("previews the scenario's storm: water where the model has it, to within half a cell", { timeout: JOB_TIMEOUT }, async () => {
    await page.fill('[data-testid="run-intensityMmPerH"]', String(STORM.intensity_mm_h));
    await page.fill('[data-testid="run-rainMinutes"]', String(STORM.duration_min));
    before = await ui.captureCanvas('models-before');
    await page.click('[data-testid="model-preview"]');
    await page.waitForSelector(`${view}[data-drawn-compare="model:mlp-e2e:60:10"]`, { timeout: JOB_TIMEOUT });
    const shown = await ui.captureCanvas('models-preview');
    const facts = await page.locator('[data-testid="prediction-facts"]').innerText();
    console.log(`[preview] ${facts}`);

    const reference = await client.call('learn.predict', { projectDir, model: 'mlp-e2e', site: 'jacksboro', ...STORM });
    expect(facts).toContain(`${reference.wet_cells} cells`);
    const water = changedMask(shown, before);
    const terrain = foregroundMask(before, BACKGROUND);
    const overlays = await ui.overlayRects();
    const free = (x: number, y: number) => !overlays.some((r) => x > r.left - 8 && x < r.left + r.width + 8 && y > r.top - 8 && y < r.top + r.height + 8);
    const wet = pickPixels(shown.width, shown.height, (x, y) => all(water, shown.width, x, y, 1, 1) && free(x, y), 2, 2);
    const dry = pickPixels(shown.width, shown.height, (x, y) => all(terrain, shown.width, x, y, 6, 1) && all(water, shown.width, x, y, 6, 0) && free(x, y), 2);
    expect(wet.length, 'the preview draws water').toBe(2);
    expect(dry.length).toBe(2);
    const canvas = await ui.canvasBox();
    const names = { wet: [] as string[], dry: [] as string[] };
    for (const [x, y] of wet) names.wet.push(await ui.dropProbe(canvas.x + x, canvas.y + y));
    for (const [x, y] of dry) names.dry.push(await ui.dropProbe(canvas.x + x, canvas.y + y));
    const probes = await ui.readProbes();
    const depthAt = (name: string) => {
      const p = probes.find((q) => q.name === name)!;
      return reference.depth[p.row * NX + p.col]!;
    };
    // The water's depth is interpolated between cell centres, so its edge runs between a wet cell and a dry one:
    // a water pixel lies over a wet cell or within half a cell of one (a neighbour of the cell picked there).
    const deepestAround = (name: string) => {
      const p = probes.find((q) => q.name === name)!;
      let most = 0;
      for (let r = p.row - 1; r <= p.row + 1; r++) for (let c = p.col - 1; c <= p.col + 1; c++) most = Math.max(most, reference.depth[r * NX + c] ?? 0);
      return most;
    };
    console.log(`[preview] model depth under water pixels ${names.wet.map(depthAt).map((d) => d.toFixed(3)).join(', ')} m (deepest around ${names.wet.map(deepestAround).map((d) => d.toFixed(3)).join(', ')} m), under dry ${names.dry.map(depthAt).map((d) => d.toFixed(4)).join(', ')} m`);
    for (const n of names.wet) expect(deepestAround(n)).toBeGreaterThanOrEqual(WATER_M);
    for (const n of names.dry) expect(depthAt(n)).toBeLessThan(WATER_M);
  });

  it('compares with physics beyond the trained range: a warning, and a difference map coloured where either is wet, red where the model is deeper', { timeout: JOB_TIMEOUT }, async () => {
    await page.fill('[data-testid="run-intensityMmPerH"]', String(FAR_STORM.intensity_mm_h));
    await page.click('[data-testid="model-verify"]');
    await page.waitForSelector(`${view}[data-drawn-compare="difference:mlp-e2e:160:10"]`, { timeout: JOB_TIMEOUT });
    const shown = await ui.captureCanvas('models-difference');
    await page.locator('[data-testid="verify-scores"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(RESULTS_DIR, 'world-models-window.png') });
    expect(await page.locator('[data-testid="prediction-confidence"]').innerText()).toMatch(/Low confidence: .*outside the trained range/);
    const reference = await client.call('learn.verify', { projectDir, model: 'mlp-e2e', site: 'jacksboro', ...FAR_STORM });
    const scores = await page.locator('[data-testid="verify-scores"]').innerText();
    console.log(`[verify] ${scores.replace(/\s+/g, ' ')}`);
    expect(Number(/CSI\s+([\d.]+)/.exec(scores)?.[1])).toBeCloseTo(reference.scores.csi!, 2);
    // The legend spans the 98th percentile of |model - physics| over the cells wet in either.
    const magnitudes: number[] = [];
    for (let k = 0; k < reference.depth.length; k++) {
      if (reference.depth[k]! >= DRY_M || reference.physics_depth[k]! >= DRY_M) magnitudes.push(Math.abs(reference.depth[k]! - reference.physics_depth[k]!));
    }
    magnitudes.sort((a, b) => a - b);
    const hi = symmetricScale(magnitudes[Math.floor(0.98 * magnitudes.length)]!).hi;
    expect(Number(await page.locator('[data-testid="difference-legend"]').getAttribute('data-hi'))).toBeCloseTo(hi, 9);

    // Against the view without the comparison, probes' pins included.
    await page.click('[data-testid="compare-off"]');
    await page.waitForSelector(`${view}[data-drawn-compare="none"]`);
    const off = await ui.captureCanvas('models-compare-off');
    await page.click('[data-testid="compare-difference"]');
    await page.waitForSelector(`${view}[data-drawn-compare="difference:mlp-e2e:160:10"]`);
    const coloured = changedMask(shown, off);
    const overlays = await ui.overlayRects();
    const free = (x: number, y: number) => !overlays.some((r) => x > r.left - 8 && x < r.left + r.width + 8 && y > r.top - 8 && y < r.top + r.height + 8);
    const pins = (await ui.readProbes()).length;
    // Two strongly coloured pixels (model clearly deeper or shallower) and one of any colour.
    const at = (x: number, y: number) => 4 * (y * shown.width + x);
    const strong = (x: number, y: number) => Math.abs(shown.data[at(x, y)]! - shown.data[at(x, y) + 2]!) > 60;
    const picked = [
      ...pickPixels(shown.width, shown.height, (x, y) => all(coloured, shown.width, x, y, 1, 1) && strong(x, y) && free(x, y), 2, 2),
      ...pickPixels(shown.width, shown.height, (x, y) => all(coloured, shown.width, x, y, 1, 1) && free(x, y), 1, 2),
    ];
    expect(picked.length, 'the difference map is drawn').toBe(3);
    const canvas = await ui.canvasBox();
    const colours = picked.map(([x, y]) => [shown.data[at(x, y)]!, shown.data[at(x, y) + 2]!] as const);
    const names: string[] = [];
    for (const [x, y] of picked) names.push(await ui.dropProbe(canvas.x + x, canvas.y + y));
    const probes = (await ui.readProbes()).slice(pins);
    names.forEach((name, i) => {
      const p = probes.find((q) => q.name === name)!;
      const k = p.row * NX + p.col;
      const [m, ph] = [reference.depth[k]!, reference.physics_depth[k]!];
      const [red, blue] = colours[i]!;
      console.log(`[difference] pixel rgb r=${red} b=${blue}: model ${m.toFixed(3)} m, physics ${ph.toFixed(3)} m`);
      expect(Math.max(m, ph), 'coloured cells are wet in the model or the solver').toBeGreaterThanOrEqual(DRY_M);
      if (red > blue + 60) expect(m - ph, 'red: the model is deeper').toBeGreaterThan(0);
      if (blue > red + 60) expect(m - ph, 'blue: the model is shallower').toBeLessThan(0);
    });
    expect(consoleProblems).toEqual([]);
  });
});
