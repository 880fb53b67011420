/**
 * Builds the GPU benchmark page (test/bench/gpu.html) into out/gpu-bench/, a
 * static folder that test/bench/gpu_run.py serves to a Chromium with its GPU
 * switched on. Copy the folder and gpu_run.py to a machine with a GPU (it
 * needs Python 3 and Chromium there, not Node) and run:
 *
 *   npx tsx test/bench/gpu.ts
 *   python3 test/bench/gpu_run.py --chromium /usr/bin/chromium
 *
 * `npm run bench` measures the same renderer code on SwiftShader; this is its
 * GPU counterpart (frame rate, field update, WGSL flood solver).
 */
import { join } from 'node:path';
import { build } from 'vite';
import { ROOT } from '../e2e/browser/harness';

const outDir = join(ROOT, 'out/gpu-bench');
await build({
  configFile: false,
  root: ROOT,
  base: './',
  logLevel: 'warn',
  resolve: { alias: { '@api': join(ROOT, 'src/api') } },
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096, rollupOptions: { input: join(ROOT, 'test/bench/gpu.html') } },
});
console.log(`GPU benchmark page: ${join(outDir, 'test/bench/gpu.html')}`);
console.log('Run it on a machine with a GPU: python3 test/bench/gpu_run.py --chromium PATH [--page out/gpu-bench]');
