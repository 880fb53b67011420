/**
 * Opens a page of renderer code that is not the app (the test pages in
 * ./pages, the benchmarks' pages): Vite serves it from the sources (no app
 * build), Debian's Chromium shows it. For checks and measurements of the
 * renderer's parts on a real WebGL2 context, below the whole explorer.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import { PAGE_OPTIONS, ROOT, launchChromium } from './harness';

export interface TestPage {
  page: Page;
  /** Uncaught errors the page threw (none are expected). */
  errors: string[];
  close(): Promise<void>;
}

/** `path`: the page's HTML from the repository's root; `ready`: a global function its module installs. */
export async function openTestPage(path: string, ready: string, viewport = { width: 1280, height: 720 }): Promise<TestPage> {
  const vite = await createServer({
    configFile: false,
    root: ROOT,
    cacheDir: join(tmpdir(), 'terra-e2e-vite'),
    logLevel: 'warn',
    resolve: { alias: { '@api': join(ROOT, 'src/api') } },
    optimizeDeps: { entries: [path] },
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  });
  await vite.listen();
  const browser = await launchChromium();
  const page = await browser.newPage({ ...PAGE_OPTIONS, viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(path, vite.resolvedUrls!.local[0]).href);
  await page.waitForFunction((name) => typeof (globalThis as Record<string, unknown>)[name as string] === 'function', ready);
  return {
    page,
    errors,
    async close() {
      await browser.close();
      await vite.close();
    },
  };
}
