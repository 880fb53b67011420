/**
 * What the explorer's browser tests do on the page: read attributes, capture
 * the canvas as last drawn, drop probes by clicking and read their charts,
 * find the HTML panels over the view.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { EngineClient, WebSocketTransport, type WebSocketLike } from '../../../src/api';
import type { RunningServer } from '../../../src/server/server';
import { KNOWN_CONSOLE, PAGE_OPTIONS, READY_TIMEOUT, RESULTS_DIR, launchChromium } from './harness';
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

  /** The canvas as drawn last (preserveDrawingBuffer is on), saved to test-results. */
  async captureCanvas(name: string): Promise<Image> {
    const url = await this.page.evaluate(() => document.querySelector('canvas.terrain-canvas')!.toDataURL('image/png'));
    const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
    writeFileSync(join(RESULTS_DIR, `${name}.png`), png);
    return decodePng(png);
  }

  /** Clicks the terrain and returns the name of the probe that appeared. */
  async dropProbe(x: number, y: number): Promise<string> {
    const count = Number(await this.attr('[data-testid="probes"]', 'data-count'));
    await this.page.mouse.click(x, y);
    await this.page.waitForSelector(`[data-testid="probes"][data-count="${count + 1}"]`);
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
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    if (KNOWN_CONSOLE.some((known) => known.test(message.text()))) return;
    consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleProblems.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForSelector('[data-testid="terrain-view"][data-state="ready"]', { timeout: READY_TIMEOUT });
  return { browser, context, page, ui: new ExplorerPage(page), consoleProblems };
}

/** An engine client on a serve-mode server's API socket, connecting as the page does (its origin, its token). */
export async function connectEngine(server: RunningServer): Promise<EngineClient> {
  const origin = `http://127.0.0.1:${server.port}`;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin });
  return new EngineClient(await WebSocketTransport.open(socket as unknown as WebSocketLike));
}
