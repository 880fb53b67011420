/**
 * The built utility entry (out/main/engine.js, from `npx electron-vite build`)
 * loads and answers over a port: catches bundling problems the source-level
 * tests cannot see (externals, ESM shims). Run in a plain Node child with
 * Electron's parentPort faked; skipped when nothing is built.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const built = resolve('out/main/engine.js');

const script = `
import { EventEmitter } from 'node:events';
const parentPort = new EventEmitter();
const ready = new Promise((r) => { parentPort.postMessage = r; });
process.parentPort = parentPort;
process.env.TERRA_ASSETS_DIR = ${JSON.stringify(resolve('assets'))};
process.env.TERRA_APP_VERSION = 'built-test';
await import(${JSON.stringify(pathToFileURL(built).href)});
await ready;
const port = new EventEmitter();
port.start = () => {};
port.postMessage = (m) => {
  if (m.t !== 'result') return;
  process.stdout.write(JSON.stringify(m) + '\\n');
  process.exit(0);
};
parentPort.emit('message', { data: { type: 'connect' }, ports: [port] });
port.emit('message', { data: { t: 'call', id: 1, method: 'site.list', params: {} }, ports: [] });
setTimeout(() => { console.error('no reply'); process.exit(3); }, 30000);
`;

describe.skipIf(!existsSync(built))('built engine host (out/main/engine.js)', () => {
  it('loads in Node and serves site.list over a port', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 60_000,
    });
    const reply = JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok: boolean; value: { id: string }[] };
    expect(reply.ok).toBe(true);
    expect(reply.value.map((s) => s.id)).toEqual(['jacksboro', 'olinda', 'salish-sea']);
  }, 70_000);
});
