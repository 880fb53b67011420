/**
 * One build for the three Electron targets. main also bundles the engine's
 * utility-process entry, so desktop, serve mode and tests run the same engine.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          engine: resolve('electron/utility/engine-host.ts'),
          // The flood solver's worker threads load this beside the bundle.
          'flood-worker': resolve('src/physics/flood/threads/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    resolve: { alias: { '@api': resolve('src/api') } },
    plugins: [vue()],
    build: {
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
