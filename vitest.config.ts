import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// GPU tests run on a real adapter when VK_ICD_FILENAMES says so, else on
// SwiftShader (Debian's chromium package) where it is installed: software,
// deterministic, enough to check the WGSL paths.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

export default defineConfig({
  // The renderer's modules name the engine's API as the renderer build does.
  resolve: { alias: { '@api': fileURLToPath(new URL('src/api', import.meta.url)) } },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/validation/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
