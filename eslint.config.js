// Lint, including the layering rules of DESIGN.md:
//   src/       the engine: no Electron, no DOM, no renderer code
//   src/api/   also no Node built-ins: the renderer imports it
//   renderer/  browser only: no Node built-ins, no Electron, only src/api from the engine
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const browserOnlyGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'].map(
  (name) => ({ name, message: 'src/ is the engine: no DOM. Put browser code in renderer/.' }),
);

export default tseslint.config(
  { ignores: ['assembly/**', 'out/**', 'scratch/**', 'dist/**', 'node_modules/**', 'test-results/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src/ is the engine: it never imports Electron.' },
            { name: 'vue', message: 'src/ is the engine: UI code lives in renderer/.' },
            { name: 'pinia', message: 'src/ is the engine: UI code lives in renderer/.' },
          ],
          patterns: [
            { group: ['**/electron/**', 'electron/*'], message: 'src/ may not import the Electron shell.' },
            { group: ['**/renderer/**'], message: 'src/ may not import renderer code.' },
            { group: ['three', 'three/*'], message: 'src/ is the engine: Three.js belongs to the renderer.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...browserOnlyGlobals],
    },
  },
  {
    files: ['src/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'src/api is shared with the renderer: no Node built-ins.' })),
          patterns: [
            { group: ['electron', '**/electron/**', '**/renderer/**', 'vue', 'pinia', 'three'], message: 'src/api is the contract: keep it dependency-light.' },
            { group: ['../*', '!../api/*'], message: 'src/api may not import engine internals.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is sandboxed: no Node built-ins.' })),
            { name: 'electron', message: 'The renderer talks to the app only through window.terra / the API client.' },
          ],
          patterns: [
            { group: ['**/src/**', '!**/src/api', '!**/src/api/**'], message: 'The renderer imports only the API contract (@api).' },
            { group: ['**/electron/**'], message: 'The renderer may not import the Electron shell.' },
            { group: ['@tensorflow/*', 'ws', 'webgpu', 'geotiff', 'fflate', 'commander'], message: 'Engine packages stay in the engine.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{js,mjs}', 'bin/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
