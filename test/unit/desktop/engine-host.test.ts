/**
 * The utility-process host (electron/utility/engine-host.ts) run in plain
 * Node with Electron's parentPort and MessagePortMain replaced by fakes:
 * ports become connections, calls reach the real engine, replies come back
 * on the same port, and a closed port cancels its connection's jobs.
 */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineMessage } from '../../../src/api/protocol';

/** One end of a fake MessagePortMain pair; messages are structured-cloned like the real thing. */
class FakePortMain extends EventEmitter {
  other!: FakePortMain;
  started = false;
  private backlog: unknown[] = [];
  postMessage(message: unknown): void {
    this.other.receive(structuredClone(message));
  }
  start(): void {
    this.started = true;
    for (const data of this.backlog.splice(0)) this.emit('message', { data, ports: [] });
  }
  close(): void {
    this.other.emit('close');
  }
  private receive(data: unknown): void {
    if (this.started) setImmediate(() => this.emit('message', { data, ports: [] }));
    else this.backlog.push(data);
  }
}

function channel(): { engineSide: FakePortMain; pageSide: FakePortMain; inbox: EngineMessage[] } {
  const engineSide = new FakePortMain();
  const pageSide = new FakePortMain();
  engineSide.other = pageSide;
  pageSide.other = engineSide;
  const inbox: EngineMessage[] = [];
  pageSide.on('message', (e: { data: EngineMessage }) => inbox.push(e.data));
  pageSide.start();
  return { engineSide, pageSide, inbox };
}

const parentPort = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void; posted: unknown[] };
parentPort.posted = [];
parentPort.postMessage = (m: unknown) => parentPort.posted.push(m);

async function waitFor<T>(find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the engine');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const result = (inbox: EngineMessage[], id: number) =>
  inbox.find((m): m is Extract<EngineMessage, { t: 'result' }> => m.t === 'result' && m.id === id);

beforeAll(async () => {
  (process as unknown as { parentPort?: unknown }).parentPort = parentPort;
  process.env['TERRA_ASSETS_DIR'] = resolve('assets');
  process.env['TERRA_APP_VERSION'] = '9.9.9-test';
  await import('../../../electron/utility/engine-host');
});

afterAll(() => {
  delete (process as unknown as { parentPort?: unknown }).parentPort;
});

describe('utility engine host', () => {
  it('says it is ready', () => {
    expect(parentPort.posted).toContainEqual({ type: 'ready', pid: process.pid });
  });

  it('serves calls on a port handed over with {type:"connect"}', async () => {
    const { engineSide, pageSide, inbox } = channel();
    parentPort.emit('message', { data: { type: 'connect' }, ports: [engineSide] });
    expect(engineSide.started).toBe(true);
    pageSide.postMessage({ t: 'call', id: 1, method: 'site.list', params: {} });
    const reply = await waitFor(() => result(inbox, 1));
    expect(reply.ok).toBe(true);
    expect((reply as { value: { id: string }[] }).value.map((s) => s.id)).toEqual(['jacksboro', 'olinda', 'salish-sea']);
  });

  it('keeps connections apart: same call id on two ports, each answered on its own', async () => {
    const a = channel();
    const b = channel();
    parentPort.emit('message', { data: { type: 'connect' }, ports: [a.engineSide] });
    parentPort.emit('message', { data: { type: 'connect' }, ports: [b.engineSide] });
    a.pageSide.postMessage({ t: 'call', id: 7, method: 'site.open', params: { id: 'olinda' } });
    b.pageSide.postMessage({ t: 'call', id: 7, method: 'nope', params: {} });
    const ra = await waitFor(() => result(a.inbox, 7));
    const rb = await waitFor(() => result(b.inbox, 7));
    expect(ra.ok).toBe(true);
    const site = (ra as { value: { elevation: Float32Array; georef: { nx: number; ny: number } } }).value;
    expect(site.elevation).toBeInstanceOf(Float32Array); // typed arrays cross the port intact
    expect(site.elevation.length).toBe(site.georef.nx * site.georef.ny);
    expect(a.inbox.some((m) => m.t === 'progress' && m.id === 7)).toBe(true);
    expect(rb).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('answers a malformed message with an error instead of crashing', async () => {
    const { engineSide, pageSide, inbox } = channel();
    parentPort.emit('message', { data: { type: 'connect' }, ports: [engineSide] });
    pageSide.postMessage({ t: 'call', id: 3, method: 'site.open', params: { id: '../../etc' } });
    pageSide.postMessage({ hello: 'world' });
    expect(await waitFor(() => result(inbox, 3))).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(await waitFor(() => result(inbox, 0))).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('drops a connection whose port closed: later replies go nowhere, nothing throws', async () => {
    const { engineSide, pageSide, inbox } = channel();
    parentPort.emit('message', { data: { type: 'connect' }, ports: [engineSide] });
    pageSide.postMessage({ t: 'call', id: 1, method: 'site.list', params: {} });
    await waitFor(() => result(inbox, 1));
    pageSide.close(); // the window reloaded or closed
    engineSide.emit('message', { data: { t: 'call', id: 2, method: 'site.list', params: {} }, ports: [] });
    await new Promise((r) => setTimeout(r, 200));
    expect(result(inbox, 2)).toBeUndefined();
  });

  it('ignores other parent messages and connects without a port', () => {
    expect(() => parentPort.emit('message', { data: { type: 'connect' }, ports: [] })).not.toThrow();
    expect(() => parentPort.emit('message', { data: 'junk', ports: [] })).not.toThrow();
  });

  it('reports the version and its own pid from engine.info', async () => {
    const { engineSide, pageSide, inbox } = channel();
    parentPort.emit('message', { data: { type: 'connect' }, ports: [engineSide] });
    pageSide.postMessage({ t: 'call', id: 11, method: 'engine.info', params: {} });
    const reply = await waitFor(() => result(inbox, 11), 60_000);
    expect(reply).toMatchObject({ ok: true, value: { version: '9.9.9-test', pid: process.pid } });
  }, 70_000);
});
