/**
 * The explorer in English and Simplified Chinese, in a real browser against
 * serve mode: it opens in English (headless Chromium reports en-US); the
 * header's language switch turns it to 简体中文; with a flood run, its
 * derived layers, a probe, a weather scenario, the atmosphere menu, the world
 * models' forms, About and Import open, no English is left on screen; the
 * choice survives a reload; switching back restores English.
 *
 * "No English" is checked on what a user sees: every visible text node, the
 * selected option of every visible <select>, and the title, aria-label and
 * placeholder of every visible element. Any word of 3 or more Latin letters
 * fails unless it is in ALLOWED (abbreviations, units, the product and the
 * site's name). Text the engine supplies (sample and site descriptions, GPU
 * and backend names, CRS codes, paths, progress and error messages) is in
 * English by design; the page marks it translate="no" and it is skipped, as
 * are absolute paths in attributes. The same check run on the English page
 * must find English, so the check is seen to work.
 *
 * The built app's Content Security Policy (no eval) holds: the page logs no
 * CSP violation or other console problem while switching languages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveExplorer, type ServedExplorer } from './explorer-page';
import { READY_TIMEOUT, RESULTS_DIR, ROOT } from './harness';

// Functions passed to page.evaluate run in the browser; this file is compiled
// without lib.dom, so it declares the little of the DOM they touch.
interface PageRect {
  width: number;
  height: number;
}
interface PageNode {
  nodeValue: string | null;
  parentElement: PageElement | null;
}
interface PageElement extends PageNode {
  tagName: string;
  id: string;
  className: unknown;
  closest(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  checkVisibility(options?: Record<string, boolean>): boolean;
  getClientRects(): { length: number };
  selectedOptions?: { length: number; 0?: { textContent: string | null } };
}
declare const document: {
  body: PageElement;
  documentElement: { lang: string };
  querySelectorAll(selector: string): Iterable<PageElement>;
  createTreeWalker(root: PageElement, whatToShow: number): { nextNode(): PageNode | null };
  createRange(): { selectNodeContents(node: PageNode): void; getClientRects(): ArrayLike<PageRect> };
};
declare const localStorage: { getItem(key: string): string | null };

const JOB_TIMEOUT = 240_000;
const view = '[data-testid="terrain-view"]';
const scenario = '[data-testid="scenario"]';
const weatherPanel = '[data-testid="weather"]';
const picker = '[data-testid="locale-picker"]';

/** The sample site and the words of its name, shown as they are. */
const SITE = 'jacksboro';
const SITE_NAME = (JSON.parse(readFileSync(join(ROOT, 'assets/sites', SITE, 'site.json'), 'utf8')) as { name: string }).name;

/** Latin words allowed on the Chinese page: abbreviations, units, the product and the site's name. */
const ALLOWED = new Set([
  ...['CSI', 'POD', 'FAR', 'NSE', 'RMSE', 'MLP', 'Net', 'CSV', 'PNG', 'GPU', 'CPU', 'UTC', 'ARR'],
  ...['min', 'hPa', 'fps'],
  ...['Terra', 'Twin'],
  ...(SITE_NAME.match(/[A-Za-z]{3,}/g) ?? []),
]);

interface Shown {
  /** Where: the element's tag, test id or class. */
  where: string;
  text: string;
}

/** What the page shows a user: visible text, selected options, and titles, aria-labels and placeholders of visible elements. */
function shownText(page: Page): Promise<Shown[]> {
  return page.evaluate(() => {
    const out: { where: string; text: string }[] = [];
    const name = (el: PageElement) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : ''}`;
    const where = (el: PageElement) => {
      const parts: string[] = [];
      for (let e: PageElement | null = el; e && parts.length < 3; e = e.parentElement) parts.unshift(name(e));
      return parts.join(' > ');
    };
    const engineText = (el: PageElement) => el.closest('[translate="no"]') !== null;
    // Text nodes drawn on screen (a closed <select>'s options, display:none and the like have no boxes).
    const SHOW_TEXT = 4;
    const walker = document.createTreeWalker(document.body, SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.nodeValue?.trim();
      if (!el || !text || engineText(el) || el.closest('select, script, style')) continue;
      range.selectNodeContents(node);
      const boxes = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
      if (boxes.length === 0 || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      out.push({ where: where(el), text });
    }
    for (const el of document.querySelectorAll('*')) {
      if (engineText(el) || el.getClientRects().length === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
      for (const attr of ['title', 'aria-label', 'placeholder']) {
        const value = el.getAttribute(attr);
        if (value) out.push({ where: `${where(el)} @${attr}`, text: value });
      }
      const option = el.tagName === 'SELECT' ? el.selectedOptions?.[0] : undefined;
      if (option?.textContent) out.push({ where: `${where(el)} (selected)`, text: option.textContent.trim() });
    }
    return out;
  });
}

/** Latin words of 3+ letters not in ALLOWED, with where they are; absolute paths ("/home/me/dem.tif") are as they are. */
function untranslated(shown: Shown[]): string[] {
  return shown.flatMap(({ where, text }) => {
    const words = (text.replace(/(^|[\s(（])\/[\w.\-/]+/g, '$1').match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !ALLOWED.has(w));
    return words.length ? [`${where}: "${text}" (${[...new Set(words)].join(', ')})`] : [];
  });
}

/** Fails with every untranslated word on show, named by where it is, in the state `state`. */
async function expectChinese(state: string): Promise<void> {
  const shown = await shownText(page);
  expect(shown.length, `${state}: nothing on show`).toBeGreaterThan(20);
  expect(untranslated(shown), `${state}: English on the Chinese page`).toEqual([]);
}

let app: ServedExplorer | undefined;
let page: Page;
let consoleProblems: string[] = [];

beforeAll(async () => {
  app = await serveExplorer(`&site=${SITE}`, { viewport: { width: 1280, height: 860 } });
  ({ page, consoleProblems } = app);
}, JOB_TIMEOUT);

afterAll(() => app?.close());

describe('English and Simplified Chinese in the explorer (serve mode)', () => {
  it('opens in English, as the browser reports en-US; the check finds that English', async () => {
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator(picker).inputValue()).toBe('en');
    expect(await page.locator(`${scenario} h2`).textContent()).toBe('Rain scenario');
    const english = untranslated(await shownText(page)).join('\n');
    for (const word of ['Rain scenario', 'Weather', 'World models', 'Probes', 'Engine connected', 'Hillshade']) expect(english).toContain(word);
  });

  it('switches to 简体中文 with the header control; no English is left on the page at rest', async () => {
    await page.selectOption(picker, 'zh-CN');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.evaluate(() => localStorage.getItem('terra-twin.locale'))).toBe('zh-CN');
    expect(await page.locator(`${scenario} h2`).textContent()).toBe('降雨情景');
    await expectChinese('at rest');

    // The atmosphere menu, the weather scenario form, the models' folded forms.
    await page.click('[data-testid="atmosphere-menu"]');
    await expectChinese('atmosphere menu');
    await page.keyboard.press('Escape');
    await page.click('[data-testid="weather-source-scenario"]');
    await page.waitForSelector('[data-testid="weather-editor"]');
    await expectChinese('weather scenario form');
    await page.click('[data-testid="train-form"] summary');
    await page.click('[data-testid="dataset-form"] summary');
    await expectChinese('models forms');
    await page.screenshot({ path: join(RESULTS_DIR, 'i18n-zh-forms.png') });
  });

  it('shows a flood run, its layers and a probe in Chinese', { timeout: JOB_TIMEOUT }, async () => {
    const values = { intensityMmPerH: '200', rainMinutes: '5', durationMinutes: '10', intervalMinutes: '2' };
    for (const [field, value] of Object.entries(values)) await page.fill(`[data-testid="run-${field}"]`, value);
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector(`${scenario}[data-phase="done"]`, { timeout: JOB_TIMEOUT });
    await page.waitForSelector(`${view}[data-water-time="600"]`, { timeout: READY_TIMEOUT });
    const canvas = (await page.locator('canvas.terrain-canvas').boundingBox())!;
    await page.mouse.click(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.55);
    await page.waitForSelector('[data-testid="probe"]');
    await expectChinese('flood run with a probe');
    expect(await page.locator('[data-testid="run-outcome"]').innerText()).toContain('质量误差');

    for (const layer of ['max-depth', 'hazard', 'arrival', 'depth']) {
      await page.click(`[data-testid="flood-layer-${layer}"]`);
      await page.waitForSelector(`[data-testid="flood-analysis"][data-layer="${layer}"]`);
      await expectChinese(`flood layer ${layer}`);
      if (layer === 'hazard') await page.screenshot({ path: join(RESULTS_DIR, 'i18n-zh-hazard.png') });
    }
    await page.locator(`${scenario} h2`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(RESULTS_DIR, 'explorer-zh.png') });
  });

  it('shows a weather scenario with the flood on the timeline in Chinese', { timeout: JOB_TIMEOUT }, async () => {
    await page.uncheck('[data-testid="ws-cell"]');
    await page.fill('[data-testid="ws-hours"]', '1');
    await page.fill('[data-testid="ws-interval"]', '30');
    await page.click('[data-testid="weather-load"]');
    await page.waitForSelector(`${weatherPanel}[data-phase="done"]`, { timeout: JOB_TIMEOUT });
    await page.click('[data-testid="timeline-source-weather"]');
    await page.waitForSelector('[data-testid="weather-legend"]');
    await expectChinese('weather scenario on the timeline');
    await page.screenshot({ path: join(RESULTS_DIR, 'i18n-zh-weather.png') });
    expect(await page.locator('[data-testid="timeline-clock"]').innerText()).toMatch(/^2026年6月15日 \d\d:\d\d UTC$/);
    await page.click('[data-testid="timeline-source-flood"]');
  });

  it('shows About and Import in Chinese', async () => {
    await page.click('button[aria-label="关于 Terra Twin"]');
    await page.waitForSelector('[data-testid="about-dialog"]');
    await expectChinese('About');
    await page.screenshot({ path: join(RESULTS_DIR, 'i18n-zh-about.png') });
    await page.keyboard.press('Escape');
    await page.click('[data-testid="import-button"]');
    await page.waitForSelector('[data-testid="import-dialog"]');
    await expectChinese('Import');
    await page.screenshot({ path: join(RESULTS_DIR, 'i18n-zh-import.png') });
    await page.click('[data-testid="import-dismiss"]');
    await page.waitForSelector('[data-testid="import-dialog"]', { state: 'detached' });
  });

  it('keeps 简体中文 across a reload', async () => {
    await page.reload();
    await page.waitForSelector(`${view}[data-state="ready"]`, { timeout: READY_TIMEOUT });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator(picker).inputValue()).toBe('zh-CN');
    expect(await page.locator(`${scenario} h2`).textContent()).toBe('降雨情景');
    await expectChinese('after a reload');
  });

  it('switches back to English', async () => {
    await page.selectOption(picker, 'en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.evaluate(() => localStorage.getItem('terra-twin.locale'))).toBe('en');
    expect(await page.locator(`${scenario} h2`).textContent()).toBe('Rain scenario');
    expect(await page.locator('[data-testid="connection"]').innerText()).toBe('Engine connected');
    const shown = (await shownText(page)).map((s) => s.text).join('\n');
    expect(shown).not.toMatch(/\p{Script=Han}/u);
  });

  it('logs no console problem (no Content Security Policy violation: messages compile without eval)', () => {
    expect(consoleProblems).toEqual([]);
  });
});
