/**
 * The weather view in a real browser against serve mode: open Jacksboro,
 * load the January 1996 storm (64 frames, 6 h apart) while its frames stream
 * into the timeline, play them, and check what is drawn against what the
 * engine computed:
 *
 * (b) the temperature overlay's colour at a pixel, decoded through the
 *     legend on the page (its CSS colour ramp, and its tick labels where
 *     they are drawn), equals the temperature of the probe dropped on that
 *     pixel, within the ramp's 8-bit colour resolution plus the spread of
 *     the probe cell's neighbours (a pixel may show the cell next door);
 *     every probe's temperature, pressure and wind-speed series equals the
 *     engine's series at its cell, from a second run with the probes as
 *     points;
 * (a) the wind particles move along the wind: between two rendered frames,
 *     the pixels particles left and the pixels they arrived at (the two
 *     signs of the frames' difference: the terrain cancels) are shifted, at
 *     the peak of their cross-correlation, along the frame's mean wind
 *     projected to the screen (projection measured by five probes: pixel
 *     clicked -> cell picked), by the distance that wind covers in the wind
 *     seconds the view reports between the two frames.
 *
 * SwiftShader renders on the CPU, and on two cores it competes with the
 * engine: the particles are off while the storm loads, then switched on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineClient, type Georeference, type WeatherPointSeries } from '../../../src/api';
import { BACKGROUND, READY_TIMEOUT, RESULTS_DIR } from './harness';
import { serveExplorer, type ExplorerPage, type ServedExplorer } from './explorer-page';
import { all, decodePng, foregroundMask, pickPixels, pixel, type Image } from './pixels';

// Functions passed to page.evaluate run in the browser; this file is compiled
// without lib.dom, so it declares the little of the DOM they touch.
interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  toDataURL(type: string): string;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare function getComputedStyle(el: PageElement): { backgroundImage: string };
declare function requestAnimationFrame(callback: () => void): number;

const FRAMES = 64;
const HOUR = 3600;
const FIRST = Date.UTC(1996, 0, 5) / 1000;
/** The frame the checks use: 1996-01-13 12Z, a strong south-westerly (mean u 9.5, v 7.5 m/s over the site) and 4-9 degC. */
const K = 34;
const TIME_K = FIRST + K * 6 * HOUR;
const LOAD_TIMEOUT = 420_000;
/**
 * Particle steps between the two frames compared: enough that a particle moves further than its trail is long
 * (else where particles left and arrived are a trail's length apart, not a step's), few enough that most survive.
 */
const PARTICLE_STEPS_APART = 4;
/** Half the width and height (px) of the box around the view's centre where the particles' motion is measured. */
const CAL_DX = 160;
const CAL_DY = 90;

const view = '[data-testid="terrain-view"]';
const weatherPanel = '[data-testid="weather"]';
const timeline = '[data-testid="timeline"]';

let app: ServedExplorer | undefined;
let page: Page;
let ui: ExplorerPage;
let client: EngineClient;
let georef: Georeference;
let consoleProblems: string[] = [];

beforeAll(async () => {
  app = await serveExplorer('&site=jacksboro', {
    viewport: { width: 1280, height: 800 },
    prepare: async (engine) => {
      georef = (await engine.call('site.open', { id: 'jacksboro' })).georef;
    },
  });
  ({ page, ui, consoleProblems } = app);
  client = app.client!;
});

afterAll(() => app?.close());

/** Probes on smooth temperature pixels: the temperature decoded there, the probe's chart value, the colour resolution of the ramp (degC). */
const decoded: { name: string; value: number; probe: number; quantum: number }[] = [];
/** Probes that measure the projection: the canvas pixel clicked and the cell picked. */
const calibration: { name: string; px: [number, number] }[] = [];

describe('weather view in the browser (serve mode)', () => {
  it('loads the storm over Jacksboro: 64 frames stream into the timeline, 6 h apart, and play', { timeout: LOAD_TIMEOUT + 120_000 }, async () => {
    await page.click('[data-testid="weather-particles"]');
    await page.waitForSelector(`${weatherPanel}[data-particles="off"]`);
    // What the timeline showed while the load ran, recorded in the page as it changed.
    const recorded = await ui.recordAttributes({ phase: [weatherPanel, 'phase'], count: [timeline, 'count'], source: [timeline, 'source'] });
    const started = Date.now();
    await page.click('[data-testid="weather-load"]');
    await page.waitForSelector(`${weatherPanel}[data-phase="running"]`);
    await page.waitForFunction((t) => Number(document.querySelector(t as string)?.dataset.count) >= 2, timeline, { timeout: LOAD_TIMEOUT });
    await page.waitForSelector(`${weatherPanel}:is([data-phase="done"], [data-phase="failed"])`, { timeout: LOAD_TIMEOUT });
    const running = (await recorded()).filter((r) => r.phase === 'running' && Number(r.count) >= 2);
    const midway = { count: Math.min(...running.map((r) => Number(r.count))), sources: [...new Set(running.map((r) => r.source))] };
    const outcome = await page.locator('[data-testid="weather-outcome"]').innerText();
    console.log(`[load] ${((Date.now() - started) / 1000).toFixed(1)} s wall; mid-load the timeline had ${midway.count} frames; "${outcome.replace(/\s+/g, ' ')}"`);
    expect(await ui.attr(weatherPanel, 'data-phase'), outcome).toBe('done');
    // Frames reached the timeline while the load ran: some, not all, and they were the weather's.
    expect(midway.sources).toEqual(['weather']);
    expect(midway.count).toBeLessThan(FRAMES);
    expect(Number(await ui.attr(timeline, 'data-count'))).toBe(FRAMES);
    expect(Number(await ui.attr(timeline, 'data-time'))).toBe(FIRST + (FRAMES - 1) * 6 * HOUR);
    await page.waitForSelector(`${view}[data-drawn-weather="${FIRST + (FRAMES - 1) * 6 * HOUR}:temperature"]`, { timeout: READY_TIMEOUT });

    // Six hours apart, labelled by date.
    await page.locator('[data-testid="timeline-scrub"]').fill('1');
    await page.waitForSelector(`${timeline}[data-index="1"]`);
    expect(Number(await ui.attr(timeline, 'data-time'))).toBe(FIRST + 6 * HOUR);
    expect(await page.locator('[data-testid="timeline-clock"]').innerText()).toBe('5 Jan 1996 06:00 UTC');
    await page.waitForSelector(`${view}[data-drawn-weather="${FIRST + 6 * HOUR}:temperature"]`, { timeout: READY_TIMEOUT });

    // Playing runs through the frames to the last one and stops there; the overlay follows.
    await page.selectOption('[data-testid="timeline-speed"]', '4');
    const drawn = new Set<string>();
    await page.click('[data-testid="timeline-play"]');
    await page.waitForSelector(`${timeline}[data-playing="true"]`);
    while ((await ui.attr(timeline, 'data-playing')) === 'true') {
      drawn.add((await ui.attr(view, 'data-drawn-weather'))!);
      await page.waitForTimeout(200);
    }
    expect(Number(await ui.attr(timeline, 'data-index'))).toBe(FRAMES - 1);
    await page.waitForSelector(`${view}[data-drawn-weather="${FIRST + (FRAMES - 1) * 6 * HOUR}:temperature"]`, { timeout: READY_TIMEOUT });
    console.log(`[play] ${drawn.size} distinct weather frames drawn while playing`);
    expect(drawn.size).toBeGreaterThanOrEqual(3);
    expect(consoleProblems).toEqual([]);
  });

  it("decodes the temperature overlay's colour through the legend to the temperature of the probe on that pixel", { timeout: 180_000 }, async () => {
    await page.locator('[data-testid="timeline-scrub"]').fill(String(K));
    await page.waitForSelector(`${timeline}[data-index="${K}"]`);
    // The ramp's own colours: hillshade off (the overlay follows the terrain's switch).
    await page.click('[data-testid="hillshade-toggle"]');
    await waitDrawn(`${TIME_K}:temperature`, 'off');
    const image = await ui.captureCanvas('weather-canvas-temperature');
    const legend = await readLegend();
    console.log(`[legend] ${legend.stops.length} colour stops; ticks ${legend.ticks.map((t) => `${t.value}@${t.at.toFixed(3)}`).join(', ')}`);
    expect(legend.ticks.length).toBeGreaterThanOrEqual(3);
    // The tick labels sit where their values are on a linear scale: fit value = a + b t and look at what is left.
    const fit = linearFit(legend.ticks.map((t) => t.at), legend.ticks.map((t) => t.value));
    const span = legend.ticks.at(-1)!.value - legend.ticks[0]!.value;
    for (const t of legend.ticks) expect(Math.abs(fit.a + fit.b * t.at - t.value), `tick ${t.value}`).toBeLessThan(span * 0.004);

    // Smooth pixels (a 7 x 7 window of nearly one colour), clear of overlays and spread over the view.
    const terrain = foregroundMask(image, BACKGROUND);
    const overlays = await ui.overlayRects();
    const free = (x: number, y: number) => !overlays.some((r) => x > r.left - 10 && x < r.left + r.width + 10 && y > r.top - 10 && y < r.top + r.height + 10);
    // Pixels of the overlay, not of the block's sides: their colour lies on the ramp.
    const onRamp = (x: number, y: number) => decodeColor(legend.stops, pixel(image, x, y)).residual < 3;
    const pixels = pickPixels(image.width, image.height, (x, y) => free(x, y) && all(terrain, image.width, x, y, 8, 1) && spread(image, x, y, 3) <= 4 && onRamp(x, y), 3, 9, 12);
    expect(pixels.length).toBe(3);
    const canvas = await ui.canvasBox();
    const quantum = rampQuantum(legend.stops) * Math.abs(fit.b);
    const found: { name: string; value: number; residual: number }[] = [];
    for (const [x, y] of pixels) {
      const { t, residual } = decodeColor(legend.stops, pixel(image, x, y));
      found.push({ name: await ui.dropProbe(canvas.x + x, canvas.y + y), value: fit.a + fit.b * t, residual });
    }
    const probes = await ui.readProbes();
    for (const f of found) {
      const probe = probes.find((p) => p.name === f.name)!;
      const value = probe.charts.temperature!.values[K]!;
      console.log(`[decode] ${f.name} (cell ${probe.col}, ${probe.row}): pixel ${f.value.toFixed(3)} degC, probe ${value.toFixed(3)} degC (pixel colour off the ramp by ${f.residual.toFixed(1)} of 255)`);
      expect(f.residual, 'the pixel shows a colour of the ramp').toBeLessThan(6);
      // Checked against a tolerance from the engine's field around the cell in the next test.
      expect(Math.abs(f.value - value)).toBeLessThan(1);
      decoded.push({ name: f.name, value: f.value, probe: value, quantum });
    }
    await page.screenshot({ path: join(RESULTS_DIR, 'weather-window-probes.png') });
    expect(consoleProblems).toEqual([]);
  });

  it("shows in each probe's charts the engine's series at its cell; the decoded colours agree with the engine's field", { timeout: LOAD_TIMEOUT }, async () => {
    // Five more probes, at the corners and the centre of the box the particle check looks at, to measure how cells
    // map to pixels there (a least-squares affine fit: the view's perspective and the relief make it vary).
    const image = await ui.captureCanvas('weather-canvas-calibration');
    const terrain = foregroundMask(image, BACKGROUND);
    const [cx, cy] = [Math.round(image.width / 2), Math.round(image.height / 2)];
    const canvas = await ui.canvasBox();
    for (const [dx, dy] of [[-CAL_DX, -CAL_DY], [CAL_DX, -CAL_DY], [0, 0], [-CAL_DX, CAL_DY], [CAL_DX, CAL_DY]] as const) {
      const [x, y] = [cx + dx, cy + dy];
      expect(terrain[y * image.width + x], `terrain under (${x}, ${y})`).toBe(1);
      calibration.push({ name: await ui.dropProbe(canvas.x + x, canvas.y + y), px: [x, y] });
    }
    const probes = await ui.readProbes();
    expect(probes.length).toBe(8);

    const started = Date.now();
    let fieldK: { temperature: Float32Array; u: Float32Array; v: Float32Array } | null = null;
    const reference = await client.call(
      'weather.run',
      { site: 'jacksboro', points: probes.map(({ name, x, y }) => ({ name, x, y })) },
      {
        onProgress: (p) => {
          const f = p.frame;
          if (f?.time === TIME_K) fieldK = { temperature: f.fields.temperature!, u: f.fields.u!, v: f.fields.v! };
        },
      },
    );
    console.log(`[reference] the same storm with ${probes.length} points took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(fieldK).not.toBeNull();
    for (const probe of probes) {
      const point: WeatherPointSeries = reference.points.find((g) => g.name === probe.name)!;
      expect([point.col, point.row], `${probe.name}: the engine puts the point in the probe's cell`).toEqual([probe.col, probe.row]);
      const { temperature, pressure, wind_speed: speed } = probe.charts;
      expect(temperature!.times).toEqual(point.time_s);
      expect(temperature!.values.length).toBe(FRAMES);
      // The same 32-bit frame values, streamed to the page and recorded by the engine: equal, not just close.
      expect(temperature!.values, `${probe.name} temperature`).toEqual(point.temperature_c);
      expect(pressure!.values, `${probe.name} pressure (hPa)`).toEqual(point.pressure_pa.map((p) => p / 100));
      expect(speed!.values, `${probe.name} wind speed`).toEqual(point.wind_speed_m_s);
    }

    // The decoded pixels against the probes' temperature (the engine's value at the cell, as just checked). The tolerance:
    // two 8-bit colour steps of the ramp, plus how far the 8 neighbouring cells differ from the probe's, since a pixel
    // near a cell's edge may show the cell next door (the click picks the nearest cell centre, the shader the same).
    const field = fieldK!.temperature;
    for (const d of decoded) {
      const probe = probes.find((p) => p.name === d.name)!;
      const cell = field[probe.row * georef.nx + probe.col]!;
      expect(d.probe).toBe(cell);
      let neighbours = 0;
      for (let r = probe.row - 1; r <= probe.row + 1; r++) for (let c = probe.col - 1; c <= probe.col + 1; c++) neighbours = Math.max(neighbours, Math.abs(field[r * georef.nx + c]! - cell));
      const tolerance = 2 * d.quantum + neighbours;
      console.log(`[decode] ${d.name}: |pixel - probe| = ${Math.abs(d.value - d.probe).toFixed(3)} degC; tolerance ${tolerance.toFixed(3)} (2 colour steps ${(2 * d.quantum).toFixed(3)} + neighbours ${neighbours.toFixed(3)})`);
      expect(Math.abs(d.value - d.probe)).toBeLessThanOrEqual(tolerance);
    }
    windK = { u: fieldK!.u, v: fieldK!.v };
  });

  it('moves the wind particles along the wind, projected to the screen', { timeout: 240_000 }, async () => {
    expect(windK).not.toBeNull();
    await page.click('[data-testid="weather-overlay-none"]');
    await waitDrawn(`${TIME_K}:none`, 'off');
    const still = await ui.captureCanvas('weather-canvas-no-particles');
    await page.click('[data-testid="weather-particles"]');
    await page.waitForSelector(`${weatherPanel}[data-particles="on"]`);
    await page.waitForFunction((v) => Number(document.querySelector(v as string)?.dataset.particleSteps) >= 3, view, { timeout: READY_TIMEOUT });
    const pair = await page.evaluate(async (STEPS_APART) => {
      const el = document.querySelector('[data-testid="terrain-view"]')!;
      const canvas = document.querySelector('canvas.terrain-canvas')!;
      // The dataset and the drawing buffer are read in one task: they describe the same drawn frame.
      const grab = () => ({ steps: Number(el.dataset.particleSteps), seconds: Number(el.dataset.particleSeconds), url: canvas.toDataURL('image/png') });
      const a = grab();
      while (Number(el.dataset.particleSteps) < a.steps + STEPS_APART) await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      return [a, grab()];
    }, PARTICLE_STEPS_APART);
    const [a, b] = pair.map((p) => ({ ...p, image: decodePng(Buffer.from(p.url.slice(p.url.indexOf(',') + 1), 'base64')) }));
    writeFileSync(join(RESULTS_DIR, 'weather-canvas-particles.png'), Buffer.from(a!.url.slice(a!.url.indexOf(',') + 1), 'base64'));
    const seconds = b!.seconds - a!.seconds;

    // Cells -> pixels over the box, from the calibration probes (pixel clicked, cell picked).
    const probes = await ui.readProbes();
    const cal = calibration.map((c) => {
      const p = probes.find((q) => q.name === c.name)!;
      return { cell: [p.col, p.row] as const, px: c.px };
    });
    const fit = affineFit(cal);
    const jacobian = fit.jacobian;
    // The wind the particles in the box feel: the mean over the cells the box shows (its corners mapped back to cells).
    const [cx, cy] = [Math.round(still.width / 2), Math.round(still.height / 2)];
    const box: Box = { x0: cx - CAL_DX - 40, x1: cx + CAL_DX + 40, y0: cy - CAL_DY - 30, y1: cy + CAL_DY + 30 };
    const corners = [[box.x0, box.y0], [box.x1, box.y0], [box.x0, box.y1], [box.x1, box.y1]].map(([x, y]) => pixelToCell(fit, x!, y!));
    const cols = corners.map((c) => c[0]);
    const rows = corners.map((c) => c[1]);
    const { u, v } = meanWind(windK!, georef.nx, Math.min(...cols), Math.max(...cols), Math.min(...rows), Math.max(...rows));
    const whole = meanWind(windK!, georef.nx, 0, georef.nx - 1, 0, georef.ny - 1);
    const cellsMoved = [(u / georef.dxMetres) * seconds, (-v / georef.dyMetres) * seconds];
    const expected = [jacobian[0] * cellsMoved[0]! + jacobian[1] * cellsMoved[1]!, jacobian[2] * cellsMoved[0]! + jacobian[3] * cellsMoved[1]!] as const;

    // Over the box the calibration probes span: where particles left and arrived between the two frames.
    const coverage = particleCoverage(a!.image, still, box);
    const moved = arrivalsAndDepartures(a!.image, b!.image, box);
    const shift = correlationPeak(moved.departures, moved.arrivals, box.x1 - box.x0, box.y1 - box.y0, 30);
    const angle = (Math.atan2(shift.dy, shift.dx) - Math.atan2(expected[1], expected[0])) * (180 / Math.PI);
    const turn = Math.abs(((angle + 540) % 360) - 180);
    const ratio = Math.hypot(shift.dx, shift.dy) / Math.hypot(expected[0], expected[1]);
    console.log(
      `[particles] ${(coverage * 100).toFixed(1)}% of the box's pixels show particles; ${b!.steps - a!.steps} steps, ${seconds.toFixed(1)} wind s apart; ` +
        `cells -> pixels fitted through 5 probes to ${fit.rms.toFixed(1)} px rms; mean wind in the box (${u.toFixed(2)}, ${v.toFixed(2)}) m/s (whole site (${whole.u.toFixed(2)}, ${whole.v.toFixed(2)})) -> expected shift (${expected[0].toFixed(1)}, ${expected[1].toFixed(1)}) px, ` +
        `departures -> arrivals correlate best at (${shift.dx.toFixed(1)}, ${shift.dy.toFixed(1)}) px (peak/mean ${shift.contrast.toFixed(1)}): ${turn.toFixed(1)} deg off, ${ratio.toFixed(2)} x as far`,
    );
    // Visible, not a blanket.
    expect(coverage).toBeGreaterThan(0.02);
    expect(coverage).toBeLessThan(0.6);
    expect(Math.hypot(expected[0], expected[1]), 'the frames are far enough apart to measure').toBeGreaterThan(4);
    expect(shift.contrast).toBeGreaterThan(1.5);
    // Direction within 20 degrees, distance within 35 %: the wind varies over the terrain (the mean stands in for it)
    // and the projection is fitted through three points of a relief.
    expect(turn).toBeLessThan(20);
    expect(ratio).toBeGreaterThan(0.65);
    expect(ratio).toBeLessThan(1.35);
    expect(consoleProblems).toEqual([]);
  });
});

/** The engine's wind at frame K (m/s east and north per cell), from the reference run. */
let windK: { u: Float32Array; v: Float32Array } | null = null;

/** Waits until the last frame drawn shows this weather state ("time:overlay") with this shading. */
async function waitDrawn(weather: string, hillshade: 'on' | 'off'): Promise<void> {
  await page.waitForSelector(`${view}[data-drawn-weather="${weather}"][data-drawn-hillshade="${hillshade}"]`, { state: 'attached', timeout: READY_TIMEOUT });
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

interface Legend {
  /** The CSS ramp: colours (0-255) at positions 0..1, bottom to top. */
  stops: { at: number; rgb: [number, number, number] }[];
  /** Tick values and where their labels are drawn on the bar (0 bottom, 1 top). */
  ticks: { value: number; at: number }[];
}

/** The weather legend as drawn: its bar's gradient and where each tick label's centre is on the bar. */
async function readLegend(): Promise<Legend> {
  const raw = await page.evaluate(() => {
    const bar = document.querySelector('[data-testid="weather-legend-bar"]')!;
    const r = bar.getBoundingClientRect();
    const ticks = [...document.querySelectorAll('[data-testid="weather-legend-ticks"] li')].map((li) => {
      const t = li.getBoundingClientRect();
      return { text: li.textContent ?? '', y: t.top + t.height / 2 };
    });
    return { gradient: getComputedStyle(bar).backgroundImage, top: r.top, height: r.height, ticks };
  });
  const stops = [...raw.gradient.matchAll(/rgb\((\d+),\s*(\d+),\s*(\d+)\)\s+([\d.]+)%/g)].map((m) => ({
    at: Number(m[4]) / 100,
    rgb: [Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number],
  }));
  expect(raw.gradient).toMatch(/^linear-gradient\(to top/);
  const ticks = raw.ticks.map((t) => ({ value: Number(t.text.replace('\u2212', '-').replace(/[^\d.-]/g, '')), at: (raw.top + raw.height - t.y) / raw.height })).sort((p, q) => p.at - q.at);
  return { stops, ticks };
}

/** The ramp position whose colour is nearest to `rgb` (nearest point on the piecewise-linear path), and how far off it is. */
function decodeColor(stops: Legend['stops'], rgb: [number, number, number]): { t: number; residual: number } {
  let best = { t: 0, residual: Infinity };
  for (let i = 0; i < stops.length - 1; i++) {
    const a = stops[i]!.rgb;
    const b = stops[i + 1]!.rgb;
    const d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const len2 = d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2;
    const f = Math.min(1, Math.max(0, ((rgb[0] - a[0]) * d[0]! + (rgb[1] - a[1]) * d[1]! + (rgb[2] - a[2]) * d[2]!) / len2));
    const residual = Math.hypot(rgb[0] - a[0] - f * d[0]!, rgb[1] - a[1] - f * d[1]!, rgb[2] - a[2] - f * d[2]!);
    if (residual < best.residual) best = { t: stops[i]!.at + f * (stops[i + 1]!.at - stops[i]!.at), residual };
  }
  return best;
}

/** The ramp position one 8-bit colour step moves along its slowest-changing segment. */
function rampQuantum(stops: Legend['stops']): number {
  let worst = 0;
  for (let i = 0; i < stops.length - 1; i++) {
    const a = stops[i]!.rgb;
    const b = stops[i + 1]!.rgb;
    const steps = Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1]), Math.abs(b[2] - a[2]));
    worst = Math.max(worst, (stops[i + 1]!.at - stops[i]!.at) / steps);
  }
  return worst;
}

function linearFit(x: number[], y: number[]): { a: number; b: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/** Largest channel difference from the centre pixel over the (2r+1)^2 window. */
function spread(image: Image, x: number, y: number, r: number): number {
  const c = pixel(image, x, y);
  let worst = 0;
  for (let j = -r; j <= r; j++) {
    for (let i = -r; i <= r; i++) {
      const p = pixel(image, x + i, y + j);
      worst = Math.max(worst, Math.abs(p[0] - c[0]), Math.abs(p[1] - c[1]), Math.abs(p[2] - c[2]));
    }
  }
  return worst;
}

/** Mean wind over the cells of columns c0..c1, rows r0..r1 (clamped to the grid). */
function meanWind(wind: { u: Float32Array; v: Float32Array }, nx: number, c0: number, c1: number, r0: number, r1: number): { u: number; v: number } {
  const ny = wind.u.length / nx;
  let su = 0;
  let sv = 0;
  let n = 0;
  for (let r = Math.max(0, Math.floor(r0)); r <= Math.min(ny - 1, Math.ceil(r1)); r++) {
    for (let c = Math.max(0, Math.floor(c0)); c <= Math.min(nx - 1, Math.ceil(c1)); c++) {
      su += wind.u[r * nx + c]!;
      sv += wind.v[r * nx + c]!;
      n++;
    }
  }
  return { u: su / n, v: sv / n };
}

/** A pixel back to (fractional) cell coordinates through the fitted affine map. */
function pixelToCell(fit: AffineFit, x: number, y: number): [number, number] {
  const [a, b, c, d] = fit.jacobian;
  const det = a * d - b * c;
  const dx = x - fit.offset[0];
  const dy = y - fit.offset[1];
  return [(d * dx - b * dy) / det, (-c * dx + a * dy) / det];
}

interface AffineFit {
  /** pixel = jacobian (col, row) + offset; jacobian row-major [a b; c d]. */
  jacobian: [number, number, number, number];
  offset: [number, number];
  /** Root-mean-square distance (px) of the points from the fit. */
  rms: number;
}

/** The affine map cell (col, row) -> pixel (x, y) closest to the points in the least-squares sense. */
function affineFit(points: { cell: readonly [number, number]; px: readonly [number, number] }[]): AffineFit {
  // Normal equations for [a b tx] (and [c d ty]) over rows (col, row, 1).
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const rx = [0, 0, 0];
  const ry = [0, 0, 0];
  for (const p of points) {
    const q = [p.cell[0], p.cell[1], 1];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) m[3 * i + j]! += q[i]! * q[j]!;
      rx[i]! += q[i]! * p.px[0];
      ry[i]! += q[i]! * p.px[1];
    }
  }
  const solve = (r: number[]) => {
    const det3 = (k: number[]) => k[0]! * (k[4]! * k[8]! - k[5]! * k[7]!) - k[1]! * (k[3]! * k[8]! - k[5]! * k[6]!) + k[2]! * (k[3]! * k[7]! - k[4]! * k[6]!);
    const d = det3(m);
    return [0, 1, 2].map((col) => det3(m.map((v, i) => (i % 3 === col ? r[Math.floor(i / 3)]! : v))) / d);
  };
  const [a, b, tx] = solve(rx) as [number, number, number];
  const [c, d, ty] = solve(ry) as [number, number, number];
  const rms = Math.sqrt(points.reduce((s, p) => s + (a * p.cell[0] + b * p.cell[1] + tx - p.px[0]) ** 2 + (c * p.cell[0] + d * p.cell[1] + ty - p.px[1]) ** 2, 0) / points.length);
  return { jacobian: [a, b, c, d], offset: [tx, ty], rms };
}

/** Share of the box's pixels that particles make brighter (they are near white) than the frame drawn without them. */
function particleCoverage(image: Image, still: Image, box: Box): number {
  let on = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const a = pixel(image, x, y);
      const s = pixel(still, x, y);
      if (a[0] + a[1] + a[2] - s[0] - s[1] - s[2] > 24) on++;
    }
  }
  return on / ((box.x1 - box.x0) * (box.y1 - box.y0));
}

/**
 * Where the particles went between frames a and b, and where they came from: b - a, positive and negative parts
 * (zero-mean). The terrain, the pins and where particles are denser than elsewhere (slopes facing the camera, edges
 * that hide them) are in both frames and cancel; what is left moves with the wind.
 */
function arrivalsAndDepartures(a: Image, b: Image, box: Box): { arrivals: Float32Array; departures: Float32Array } {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const arrivals = new Float32Array(w * h);
  const departures = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = pixel(a, box.x0 + x, box.y0 + y);
      const q = pixel(b, box.x0 + x, box.y0 + y);
      const d = (q[0] + q[1] + q[2] - p[0] - p[1] - p[2]) / 3;
      arrivals[y * w + x] = Math.max(0, d);
      departures[y * w + x] = Math.max(0, -d);
    }
  }
  for (const layer of [arrivals, departures]) {
    const mean = layer.reduce((s, v) => s + v, 0) / layer.length;
    for (let i = 0; i < layer.length; i++) layer[i]! -= mean;
  }
  return { arrivals, departures };
}

/**
 * The shift (dx, dy) within +-r that best lines `b` up with `a` (b(x + dx, y + dy) ~ a(x, y)), refined to a
 * fraction of a pixel by the centroid of the positive correlation in the 3 x 3 around the peak, and the peak over
 * the mean |correlation|.
 */
function correlationPeak(a: Float32Array, b: Float32Array, w: number, h: number, r: number): { dx: number; dy: number; contrast: number } {
  const side = 2 * r + 1;
  const c = new Float64Array(side * side);
  let best = 0;
  let total = 0;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      let sum = 0;
      for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
        const row = y * w;
        const rowB = (y + dy) * w + dx;
        for (let x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) sum += a[row + x]! * b[rowB + x]!;
      }
      const k = (dy + r) * side + dx + r;
      c[k] = sum;
      total += Math.abs(sum);
      if (sum > c[best]!) best = k;
    }
  }
  const [px, py] = [(best % side) - r, Math.floor(best / side) - r];
  let sx = 0;
  let sy = 0;
  let sw = 0;
  for (let j = -1; j <= 1; j++) {
    for (let i = -1; i <= 1; i++) {
      const [x, y] = [px + i, py + j];
      if (Math.abs(x) > r || Math.abs(y) > r) continue;
      const v = Math.max(0, c[(y + r) * side + x + r]!);
      sx += v * x;
      sy += v * y;
      sw += v;
    }
  }
  return { dx: sx / sw, dy: sy / sw, contrast: c[best]! / (total / c.length) };
}
