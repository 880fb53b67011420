// The layering rules of DESIGN.md are lint rules; this pins that they fire.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => m.message);
}

describe('layering lint rules', () => {
  it.each([
    ['src/physics/x.ts', "import { app } from 'electron';\nexport const a = app;", /never imports Electron/],
    ['src/core/x.ts', "import v from '../../renderer/src/main';\nexport const a = v;", /renderer code/],
    ['src/io/x.ts', 'export const w = document.title;', /no DOM/],
    ['src/api/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", /no Node built-ins/],
    ['src/api/x.ts', "import { Engine } from '../engine/engine';\nexport const e = Engine;", /engine internals/],
    ['renderer/src/x.ts', "import { readFile } from 'fs';\nexport const r = readFile;", /sandboxed/],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;", /window.terra/],
    ['renderer/src/x.ts', "import { Engine } from '../../src/engine/engine';\nexport const e = Engine;", /only the API contract/],
  ])('%s: forbidden import is reported', async (file, code, message) => {
    const found = await problems(file, code);
    expect(found.some((m) => message.test(m)), `got ${JSON.stringify(found)}`).toBe(true);
  });

  it.each([
    ['renderer/src/x.ts', "import { EngineClient } from '@api/client';\nexport const c = EngineClient;"],
    ['renderer/src/x.ts', "import { EngineClient } from '../../src/api/client';\nexport const c = EngineClient;"],
    ['src/io/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;"],
    ['electron/main/x.ts', "import { app } from 'electron';\nimport { Engine } from '../../src/engine/engine';\nexport const a = [app, Engine];"],
  ])('%s: allowed import passes', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
