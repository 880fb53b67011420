/**
 * Browser end-to-end tests: the built renderer in Debian's Chromium (WebGL2 on
 * SwiftShader) against serve mode. Build first: `npx electron-vite build`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/browser/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
