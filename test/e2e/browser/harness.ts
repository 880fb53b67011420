/** What every browser e2e suite shares: paths, the Chromium to drive and how to start it. */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const RENDERER_DIR = join(ROOT, 'out/renderer');
export const RESULTS_DIR = join(ROOT, 'test-results');
/** Debian's Chromium; CHROMIUM_PATH picks another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The network is closed here: no background traffic; WebGL2 on SwiftShader. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
/** The dark theme's view background (renderer/src/theme.ts). */
export const BACKGROUND: [number, number, number] = [0x1a, 0x20, 0x29];
/** SwiftShader is slow: the first frames of a 400 x 350 grid take seconds. */
export const READY_TIMEOUT = 90_000;
/**
 * Options for every page the suites open: one CSS pixel a pixel, and reduced
 * motion, as a user may ask, so the water's ripples start off and SwiftShader
 * draws only when something changes (water-ripples.e2e asks for motion).
 */
export const PAGE_OPTIONS = { deviceScaleFactor: 1, reducedMotion: 'reduce' } as const;
/** Console messages that are expected (none today). */
export const KNOWN_CONSOLE: RegExp[] = [];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Fails early, with the fix, when the build or the browser is missing; makes the artefact folder. */
export function checkPrerequisites(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`The renderer is not built (no ${RENDERER_DIR}/index.html). Run "npx electron-vite build" first.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`These tests drive Debian's Chromium at ${CHROMIUM}; install the chromium package.`);
  mkdirSync(RESULTS_DIR, { recursive: true });
}
