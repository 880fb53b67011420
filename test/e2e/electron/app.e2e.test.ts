/**
 * The desktop app end to end: the real main process, preload, renderer and
 * engine utility process, driven by Playwright's _electron.
 *
 * Needs the Electron binary. Installs made with ELECTRON_SKIP_BINARY_DOWNLOAD
 * have none; then this suite is skipped, says so loudly, and the browser e2e
 * suite (serve mode) covers the same renderer flows.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_API_KEYS, type DesktopApi } from '../../../src/api/desktop-api';

/**
 * The page globals the checks touch. This file is type-checked without the DOM
 * lib (tsconfig.node.json), so functions run in the page cast globalThis to this.
 */
interface PageGlobals {
  terra: DesktopApi;
  location: { href: string };
  document: { createElement(tag: 'script'): { textContent: string }; head: { appendChild(node: unknown): void } };
  __inlineRan?: boolean;
  require?: unknown;
  process?: unknown;
  module?: unknown;
}

const root = resolve(import.meta.dirname, '../../..');

/** The Electron executable, or why there is none. */
function findElectron(): { path: string } | { missing: string } {
  try {
    // node_modules/electron/index.js returns the binary's path, or throws
    // "Electron failed to install correctly" when the download was skipped.
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path !== 'string') return { missing: 'require("electron") did not return a path' };
    if (!existsSync(path)) return { missing: `${path} does not exist` };
    return { path };
  } catch (err) {
    return { missing: (err as Error).message };
  }
}

const electronBinary = findElectron();
const skip = 'missing' in electronBinary;
if (skip) {
  const line = '!'.repeat(100);
  console.warn(
    `\n${line}\n!!! ELECTRON E2E SKIPPED: no Electron binary installed (ELECTRON_SKIP_BINARY_DOWNLOAD); ` +
      `the browser e2e suite covers the same flows.\n!!! (${electronBinary.missing})\n${line}\n`,
  );
}

const READY = '[data-testid="terrain-view"][data-state="ready"]';

describe.skipIf(skip)('Terra Twin desktop (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    for (const built of ['out/main/index.js', 'out/main/engine.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      if (!existsSync(join(root, built))) throw new Error(`${built} is missing: run "npx electron-vite build" first`);
    }
    // A throw-away profile: recent files, caches and the single-instance lock stay out of the user's.
    home = mkdtempSync(join(tmpdir(), 'terra-e2e-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RENDERER_URL') env[k] = v;
    const args = ['.'];
    if (process.platform === 'linux' && process.getuid?.() === 0) args.unshift('--no-sandbox'); // Chromium refuses root otherwise
    app = await electron.launch({
      executablePath: (electronBinary as { path: string }).path,
      args,
      cwd: root,
      env: { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`[renderer] ${m.text()}`);
    });
  });

  afterAll(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** engine.info through window.terra, with an id the renderer's own client never uses. */
  const enginePid = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolvePid, reject) => {
          const id = 2 ** 40 + Math.floor(Math.random() * 1e6);
          const timer = setTimeout(() => reject(new Error('engine.info timed out')), 30_000);
          const { terra } = globalThis as unknown as PageGlobals;
          const off = terra.engine.onMessage((m) => {
            if (m.t !== 'result' || m.id !== id) return;
            clearTimeout(timer);
            off();
            if (m.ok) resolvePid((m.value as { pid: number }).pid);
            else reject(new Error(m.error.message));
          });
          terra.engine.send({ t: 'call', id, method: 'engine.info', params: {} });
        }),
    );

  it('opens one secure window titled Terra Twin and shows terrain', async () => {
    await page.waitForSelector(READY, { timeout: 90_000 });
    const info = await app.evaluate(({ BrowserWindow }) => {
      const wins = BrowserWindow.getAllWindows();
      return { count: wins.length, title: wins[0]!.getTitle(), size: wins[0]!.getSize() };
    });
    expect(info.count).toBe(1);
    expect(info.title).toBe('Terra Twin');
    expect(info.size[0]).toBeGreaterThan(0);
  });

  it('exposes exactly window.terra (DesktopApi) and no Node', async () => {
    const surface = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        keys: Object.keys(g.terra).sort(),
        engineKeys: Object.keys(g.terra.engine).sort(),
        platform: g.terra.platform,
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
      };
    });
    expect(surface.keys).toEqual([...DESKTOP_API_KEYS].sort());
    expect(surface.engineKeys).toEqual(['onMessage', 'send']);
    expect(surface.platform).toBe(process.platform);
    expect(surface.require).toBe('undefined');
    expect(surface.process).toBe('undefined');
    expect(surface.module).toBe('undefined');
  });

  it('enforces the CSP (no inline script) and blocks navigation away', async () => {
    const inlineRan = await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      const s = g.document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      g.document.head.appendChild(s);
      await new Promise((r) => setTimeout(r, 100));
      return g.__inlineRan === true;
    });
    expect(inlineRan).toBe(false);
    const before = page.url();
    // http (not https) so the guard does not hand it to the system browser either.
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'http://example.invalid/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
  });

  it('runs the engine in a utility process, and recovers when it is killed', async () => {
    const pid = await enginePid();
    const metrics = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().map((m) => ({ pid: m.pid, type: m.type, serviceName: m.serviceName, name: m.name })),
    );
    const engine = metrics.find((m) => m.pid === pid);
    expect(engine?.type).toBe('Utility');
    expect(engine?.name ?? engine?.serviceName).toMatch(/Terra Twin engine/);

    process.kill(pid, 'SIGKILL');

    await page.waitForSelector('[data-testid="engine-banner"]', { state: 'visible', timeout: 30_000 });
    await expect.poll(enginePid, { timeout: 60_000, interval: 1_000 }).not.toBe(pid);
    await page.waitForSelector(READY, { timeout: 90_000 });
  });
});
