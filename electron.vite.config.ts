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
    // vue-i18n's feature flags (its esm-bundler build reads them): Composition
    // API only, no global $t / components (renderer/src/i18n types its own t),
    // no devtools hooks in production.
    define: {
      __VUE_I18N_FULL_INSTALL__: false,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    build: {
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
