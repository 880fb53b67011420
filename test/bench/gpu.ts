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
 * GPU counterpart (frame rate, field update, WGSL flood solver). The page
 * also orbits the real Trinidad DEM (test/bench/trinidad.ts), written beside it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { ROOT } from '../e2e/browser/harness';
import { loadTrinidadDem } from './trinidad';

const outDir = join(ROOT, 'out/gpu-bench');
await build({
  configFile: false,
  root: ROOT,
  base: './',
  logLevel: 'warn',
  resolve: { alias: { '@api': join(ROOT, 'src/api') } },
  build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096, rollupOptions: { input: join(ROOT, 'test/bench/gpu.html') } },
});
// Real terrain for the page's orbits (it runs where there may be no Node): the Trinidad DEM as an import makes it.
const { elevation, ...shape } = await loadTrinidadDem();
writeFileSync(join(outDir, 'trinidad.json'), JSON.stringify(shape));
writeFileSync(join(outDir, 'trinidad.f32'), new Uint8Array(elevation.buffer, elevation.byteOffset, elevation.byteLength));
console.log(`GPU benchmark page: ${join(outDir, 'test/bench/gpu.html')}`);
console.log('Run it on a machine with a GPU: python3 test/bench/gpu_run.py --chromium PATH [--page out/gpu-bench]');
