/**
 * Electron end-to-end tests (Playwright's _electron). They need the Electron
 * binary, which ELECTRON_SKIP_BINARY_DOWNLOAD leaves out: where it is missing
 * the suite is skipped with a loud message (the browser suite covers the
 * same flows against serve mode). Build first: npx electron-vite build.
 *
 *   npx vitest run -c vitest.electron.config.ts
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/electron/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
