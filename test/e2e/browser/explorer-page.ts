/**
 * What the explorer's browser tests do on the page: read attributes, capture
 * the canvas as last drawn, drop probes by clicking and read their charts,
 * run a rain from the scenario panel, find the HTML panels over the view; and
 * how a suite starts serve mode and opens the page on it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { EngineClient, WebSocketTransport, type Params, type WebSocketLike } from '../../../src/api';
import { startServer, type RunningServer } from '../../../src/server/server';
import { KNOWN_CONSOLE, PAGE_OPTIONS, READY_TIMEOUT, RENDERER_DIR, RESULTS_DIR, checkPrerequisites, launchChromium } from './harness';
import { decodePng, type Image } from './pixels';

// Functions passed to page.evaluate run in the browser; this file is compiled
// without lib.dom, so it declares the little of the DOM they touch.
interface PageElement {
  dataset: Record<string, string | undefined>;
  querySelectorAll(selector: string): Iterable<PageElement>;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  toDataURL(type: string): string;
}
declare const document: {
  body: unknown;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare const MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void; disconnect(): void };
declare const window: { attributeLog?: { log: AttributeRecord[]; stop(): void } };

/** Attributes read together at one instant: for each name watched, its value then (undefined: no such element or attribute). */
export type AttributeRecord = Record<string, string | undefined>;

/** What the page knows about one probe: where it is and what its charts plot. */
export interface PageProbe {
  name: string;
  col: number;
  row: number;
  x: number;
  y: number;
  charts: Record<string, { times: number[]; values: number[] }>;
}

/** The scenario panel's run form, as typed into its fields (run-intensityMmPerH, ...). */
export interface RainForm {
  intensityMmPerH: string;
  rainMinutes: string;
  durationMinutes: string;
  intervalMinutes: string;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export class ExplorerPage {
  constructor(readonly page: Page) {}

  attr(selector: string, name: string): Promise<string | null> {
    return this.page.locator(selector).getAttribute(name);
  }

  async canvasBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    return (await this.page.locator('canvas.terrain-canvas').boundingBox())!;
  }

  captureCanvas(name: string): Promise<Image> {
    return captureCanvas(this.page, name);
  }

  /**
   * Clicks the terrain and returns the name of the probe that appeared. A press held past the view's click time
   * (600 ms) is an orbit, not a click, and SwiftShader frames on a busy machine can hold up the release: one retry.
   */
  async dropProbe(x: number, y: number): Promise<string> {
    const count = Number(await this.attr('[data-testid="probes"]', 'data-count'));
    const appeared = `[data-testid="probes"][data-count="${count + 1}"]`;
    await this.page.mouse.click(x, y);
    const ok = await this.page.waitForSelector(appeared, { state: 'attached', timeout: 15_000 }).then(() => true, () => false);
    if (!ok) {
      console.log(`[probe] the click at (${x.toFixed(0)}, ${y.toFixed(0)}) dropped no probe; clicking again`);
      await this.page.mouse.click(x, y);
      await this.page.waitForSelector(appeared, { state: 'attached' });
    }
    return (await this.page.locator('[data-testid="probe"]').last().getAttribute('data-name'))!;
  }

  readProbes(): Promise<PageProbe[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="probe"]')].map((el) => {
        const d = el.dataset;
        const charts: Record<string, { times: number[]; values: number[] }> = {};
        for (const svg of el.querySelectorAll('[data-testid="probe-chart"]')) {
          charts[svg.dataset.variable!] = { times: JSON.parse(svg.dataset.times!) as number[], values: JSON.parse(svg.dataset.values!) as number[] };
        }
        return { name: d.name!, col: Number(d.col), row: Number(d.row), x: Number(d.x), y: Number(d.y), charts };
      }),
    );
  }

  /**
   * Starts recording, in the page, the attributes `watch` names (name -> [selector, attribute]) each time
   * anything in the document changes; the function returned stops and returns every record. What the page
   * showed while a fast run was under way cannot slip between two reads of the test's this way.
   */
  async recordAttributes(watch: Record<string, [selector: string, attribute: string]>): Promise<() => Promise<AttributeRecord[]>> {
    await this.page.evaluate((watched) => {
      const log: AttributeRecord[] = [];
      const take = () => log.push(Object.fromEntries(Object.entries(watched).map(([name, [sel, attr]]) => [name, document.querySelector(sel)?.dataset[attr]])));
      const observer = new MutationObserver(take);
      observer.observe(document.body, { attributes: true, subtree: true, childList: true });
      take();
      window.attributeLog = { log, stop: () => observer.disconnect() };
    }, watch);
    return () =>
      this.page.evaluate(() => {
        window.attributeLog!.stop();
        return window.attributeLog!.log;
      });
  }

  /** Types `rain` into the scenario panel's run form. */
  async fillRain(rain: RainForm): Promise<void> {
    for (const [field, value] of Object.entries(rain)) await this.page.fill(`[data-testid="run-${field}"]`, value);
  }

  /** Runs the scenario panel's flood as its form stands and waits until it is done; returns the run's folder. */
  async run(timeout: number): Promise<string> {
    await this.page.click('[data-testid="run-button"]');
    await this.page.waitForSelector('[data-testid="scenario"][data-phase="done"]', { timeout });
    return (await this.attr('[data-testid="scenario"]', 'data-run-dir'))!;
  }

  /** Runs `rain` from the scenario panel and waits until it is done; returns the run's folder. */
  async runRain(rain: RainForm, timeout: number): Promise<string> {
    await this.fillRain(rain);
    return this.run(timeout);
  }

  /** Waits until the view has stopped drawing (the camera's damping has come to rest). */
  async settled(): Promise<void> {
    let last = -1;
    // SwiftShader draws a frame in about a second: wait longer than that between looks.
    for (let k = 0; k < 30; k++) {
      await this.page.waitForTimeout(1500);
      const frames = Number(await this.attr('[data-testid="terrain-view"]', 'data-frames'));
      if (frames === last) return;
      last = frames;
    }
    throw new Error('the view kept drawing for 45 s');
  }

  /** HTML overlays on the view (panels), in canvas pixels: clicks there do not reach the terrain. */
  overlayRects(): Promise<Rect[]> {
    return this.page.evaluate(() => {
      const canvas = document.querySelector('canvas.terrain-canvas')!.getBoundingClientRect();
      return [...document.querySelectorAll('.viewport .panel')].map((el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left - canvas.left, top: r.top - canvas.top, width: r.width, height: r.height };
      });
    });
  }
}

/** A browser on the explorer's page, and the console errors and warnings it printed (none are expected). */
export interface OpenedExplorer {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  ui: ExplorerPage;
  consoleProblems: string[];
}

/**
 * Launches Chromium, opens `url` at this viewport and waits until the 3D view
 * has drawn its terrain. The page asks for reduced motion unless `motion` is
 * 'no-preference' (harness.ts PAGE_OPTIONS).
 */
export async function openExplorer(
  url: string,
  viewport = { width: 1280, height: 900 },
  motion: 'reduce' | 'no-preference' = PAGE_OPTIONS.reducedMotion,
): Promise<OpenedExplorer> {
  const browser = await launchChromium();
  const context = await browser.newContext({ ...PAGE_OPTIONS, viewport, acceptDownloads: true, reducedMotion: motion });
  const page = await context.newPage();
  const consoleProblems: string[] = [];
  watchConsole(page, consoleProblems);
  await page.goto(url);
  await page.waitForSelector('[data-testid="terrain-view"][data-state="ready"]', { timeout: READY_TIMEOUT });
  return { browser, context, page, ui: new ExplorerPage(page), consoleProblems };
}

/** Adds to `problems` each console error and warning of the page (but the known ones) and each uncaught page error. */
export function watchConsole(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    if (KNOWN_CONSOLE.some((known) => known.test(message.text()))) return;
    problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

/** The canvas as drawn last (preserveDrawingBuffer is on), saved to test-results. */
export async function captureCanvas(page: Page, name: string): Promise<Image> {
  const url = await page.evaluate(() => document.querySelector('canvas.terrain-canvas')!.toDataURL('image/png'));
  const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  writeFileSync(join(RESULTS_DIR, `${name}.png`), png);
  return decodePng(png);
}

/** Waits until the view has opened a site again (its ready count past `readyBefore`) and is ready. */
export async function waitReopened(page: Page, readyBefore: number): Promise<void> {
  await page.waitForFunction(
    ([selector, count]) => {
      const el = document.querySelector(selector as string);
      return el?.dataset.state === 'ready' && Number(el.dataset.readyCount) > (count as number);
    },
    ['[data-testid="terrain-view"]', readyBefore] as const,
    { timeout: READY_TIMEOUT },
  );
}

/** Serve mode on the built renderer, once the build and Chromium are checked to be there. */
export function startServe(): Promise<RunningServer> {
  checkPrerequisites();
  return startServer({ rendererDir: RENDERER_DIR, port: 0 });
}

/** A suite's serve-mode server, its engine client (when asked for) and a browser on the explorer. */
export interface ServedExplorer extends OpenedExplorer {
  server: RunningServer;
  client: EngineClient | undefined;
  /** Closes the client, the browser and the server. */
  close(): Promise<void>;
}

export interface ServeExplorerOptions {
  viewport?: { width: number; height: number };
  motion?: 'reduce' | 'no-preference';
  /** Connects an engine client (as the page does); implied by `prepare`. */
  engine?: boolean;
  /** Runs with the client before the page opens (to open the site, build a data set...). */
  prepare?: (client: EngineClient) => Promise<void>;
}

/**
 * Starts serve mode, connects an engine client if asked, runs `prepare`, then opens the explorer at the server's
 * URL plus `query` (e.g. '&site=jacksboro'). What opened is closed again if a later step fails, as afterAll
 * would have nothing to close.
 */
export async function serveExplorer(query: string, options: ServeExplorerOptions = {}): Promise<ServedExplorer> {
  const server = await startServe();
  let client: EngineClient | undefined;
  try {
    if (options.engine || options.prepare) client = await connectEngine(server);
    if (options.prepare) await options.prepare(client!);
    const opened = await openExplorer(`${server.url}${query}`, options.viewport, options.motion);
    return {
      ...opened,
      server,
      client,
      close: async () => {
        client?.close();
        await opened.context.close();
        await opened.browser.close();
        await server.close();
      },
    };
  } catch (error) {
    client?.close();
    await server.close();
    throw error;
  }
}

/** The engine's flood.run for what the page runs from `rain` on `site` (the form's other fields at their defaults). */
export function floodRunParams(site: string, rain: RainForm): Params<'flood.run'> {
  return {
    site,
    rain: { intensity_mm_per_h: Number(rain.intensityMmPerH), duration_s: Number(rain.rainMinutes) * 60 },
    duration_s: Number(rain.durationMinutes) * 60,
    output_interval_s: Number(rain.intervalMinutes) * 60,
    scheme: 'fv',
    manning: 0.03,
    gauges: [],
  };
}

/** An engine client on a serve-mode server's API socket, connecting as the page does (its origin, its token). */
export async function connectEngine(server: RunningServer): Promise<EngineClient> {
  const origin = `http://127.0.0.1:${server.port}`;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin });
  return new EngineClient(await WebSocketTransport.open(socket as unknown as WebSocketLike));
}
