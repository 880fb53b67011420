/**
 * Pins the preload's surface (the STYLE.md rule: "a test pins that surface")
 * and its engine-port behaviour: queue until a port, swap on restart with a
 * notice first, refuse calls after a crash loop. No Electron needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_API_KEYS, type DesktopApi, type MenuCommand } from '../../../src/api/desktop-api';
import type { EngineMessage } from '../../../src/api/protocol';
import { INBOUND_CHANNELS, OUTBOUND_CHANNELS } from '../../../electron/preload/channels';
import { createDesktopApi, type IpcLike, type PortLike } from '../../../electron/preload/desktop-api';

const electronMock = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  on: vi.fn(),
  send: vi.fn(),
  getPathForFile: vi.fn((file: { name: string }) => `/dropped/${file.name}`),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electronMock.exposeInMainWorld },
  ipcRenderer: { on: electronMock.on, send: electronMock.send },
  webUtils: { getPathForFile: electronMock.getPathForFile },
}));

type Handler = (event: { ports: readonly PortLike[] }, payload: unknown) => void;

class FakeIpc implements IpcLike {
  readonly handlers = new Map<string, Handler>();
  readonly sent: string[] = [];
  /** Each send with its arguments. */
  readonly messages: unknown[][] = [];
  on(channel: string, listener: Handler): void {
    this.handlers.set(channel, listener);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push(channel);
    this.messages.push([channel, ...args]);
  }
  emit(channel: string, payload: unknown, ports: PortLike[] = []): void {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    handler({ ports }, payload);
  }
}

class FakePort implements PortLike {
  readonly posted: unknown[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  started = false;
  closed = false;
  postMessage(message: unknown): void {
    if (this.closed) throw new Error('posted to a closed port');
    this.posted.push(message);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
  }
  /** The engine answering through this port. */
  deliver(data: unknown): void {
    this.onmessage?.({ data });
  }
}

const call = (id: number) => ({ t: 'call' as const, id, method: 'engine.info', params: {} });

describe('preload surface', () => {
  it('window.terra has exactly the DesktopApi keys', () => {
    const api = createDesktopApi(new FakeIpc(), 'linux');
    expect(Object.keys(api).sort()).toEqual([...DESKTOP_API_KEYS].sort());
    expect(Object.keys(api.engine).sort()).toEqual(['onMessage', 'send']);
    expect(api.platform).toBe('linux');
    expect(typeof api.onMenu).toBe('function');
    expect(typeof api.pathForFile).toBe('function');
    expect(typeof api.setLocale).toBe('function');
  });

  it('setLocale tells main the page\'s language on its own channel, strings only', () => {
    const ipc = new FakeIpc();
    const api = createDesktopApi(ipc, 'linux');
    expect(ipc.messages).toEqual([[OUTBOUND_CHANNELS.engineConnect]]);
    api.setLocale('zh-CN');
    api.setLocale(42 as never); // main validates the value; the preload sends nothing that is not a string
    api.setLocale('en');
    expect(OUTBOUND_CHANNELS.setLocale).toBe('terra:set-locale');
    expect(ipc.messages).toEqual([
      [OUTBOUND_CHANNELS.engineConnect],
      [OUTBOUND_CHANNELS.setLocale, 'zh-CN'],
      [OUTBOUND_CHANNELS.setLocale, 'en'],
    ]);
  });

  it('pathForFile asks webUtils for a dropped file\'s path; "" when it has none or is not a File', () => {
    const file = { name: 'dem.tif' } as unknown as File;
    const api = createDesktopApi(new FakeIpc(), 'linux', { getPathForFile: (f) => `/home/me/${(f as { name: string }).name}` });
    expect(api.pathForFile(file)).toBe('/home/me/dem.tif');
    const throwing = createDesktopApi(new FakeIpc(), 'linux', {
      getPathForFile: () => {
        throw new TypeError('Error processing argument at index 0, conversion failure');
      },
    });
    expect(throwing.pathForFile('nope' as never)).toBe('');
    // Without webUtils (unit tests, not Electron) every file has no path.
    expect(createDesktopApi(new FakeIpc(), 'linux').pathForFile(file)).toBe('');
  });

  it('preload/index.ts exposes only `terra`, once, with exactly those keys', async () => {
    await import('../../../electron/preload/index');
    expect(electronMock.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, api] = electronMock.exposeInMainWorld.mock.calls[0]!;
    expect(key).toBe('terra');
    expect(Object.keys(api as object).sort()).toEqual([...DESKTOP_API_KEYS].sort());
    // It listens on the known channels only, and asks main for a port once.
    const channels = electronMock.on.mock.calls.map((c) => c[0]).sort();
    expect(channels).toEqual(Object.values(INBOUND_CHANNELS).sort());
    expect(electronMock.send.mock.calls).toEqual([[OUTBOUND_CHANNELS.engineConnect]]);
    // pathForFile goes to Electron's webUtils.getPathForFile.
    expect((api as DesktopApi).pathForFile({ name: 'valley.tif' } as unknown as File)).toBe('/dropped/valley.tif');
    expect(electronMock.getPathForFile).toHaveBeenCalledOnce();
    // setLocale reaches ipcRenderer.send with its value.
    (api as DesktopApi).setLocale('zh-CN');
    expect(electronMock.send.mock.calls.at(-1)).toEqual([OUTBOUND_CHANNELS.setLocale, 'zh-CN']);
  });

  it('imports only types from src/api (the sandboxed bundle must not pull zod)', () => {
    const dir = join(import.meta.dirname, '../../../electron/preload');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(join(dir, name), 'utf8');
      for (const match of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const [, isType, from] = match;
        expect(from, `${name} imports ${from}`).toMatch(/^(electron|\.\/[\w-]+|\.\.\/\.\.\/src\/api\/[\w-]+)$/);
        if (from!.includes('/src/')) expect(isType, `${name}: "import type" from ${from}`).toBeTruthy();
      }
    }
  });
});

describe('engine port', () => {
  let ipc: FakeIpc;
  let api: DesktopApi;
  let received: EngineMessage[];

  beforeEach(() => {
    ipc = new FakeIpc();
    api = createDesktopApi(ipc, 'linux');
    received = [];
    api.engine.onMessage((m) => received.push(m));
  });

  it('asks main for a port when it starts', () => {
    expect(ipc.sent).toEqual([OUTBOUND_CHANNELS.engineConnect]);
  });

  it('queues sends until the port arrives, then flushes them in order', () => {
    api.engine.send(call(1));
    api.engine.send(call(2));
    const port = new FakePort();
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: false }, [port]);
    expect(port.started).toBe(true);
    expect(port.posted).toEqual([call(1), call(2)]);
    api.engine.send(call(3));
    expect(port.posted).toHaveLength(3);
  });

  it('delivers engine messages to every listener until unsubscribed', () => {
    const port = new FakePort();
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: false }, [port]);
    const other: EngineMessage[] = [];
    const off = api.engine.onMessage((m) => other.push(m));
    const result: EngineMessage = { t: 'result', id: 1, ok: true, value: 42 };
    port.deliver(result);
    off();
    port.deliver({ t: 'result', id: 2, ok: true, value: 0 });
    expect(received).toHaveLength(2);
    expect(other).toEqual([result]);
    port.deliver('not a message');
    expect(received).toHaveLength(2);
  });

  it('a throwing listener does not stop the others', () => {
    const port = new FakePort();
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: false }, [port]);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    api.engine.onMessage(() => {
      throw new Error('boom');
    });
    const after: EngineMessage[] = [];
    api.engine.onMessage((m) => after.push(m));
    port.deliver({ t: 'result', id: 1, ok: true, value: 1 });
    expect(after).toHaveLength(1);
    error.mockRestore();
  });

  it('on restart: swaps to the new port, closes the old one, and sends the notice first', () => {
    const first = new FakePort();
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: false }, [first]);
    const second = new FakePort();
    // A listener that re-opens work from inside the notice (as EngineClient's owner does).
    api.engine.onMessage((m) => {
      if (m.t === 'notice') api.engine.send(call(9));
    });
    const reason = 'The engine process exited with code 9; a new engine was started';
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: true, reason }, [second]);
    expect(first.closed).toBe(true);
    expect(first.onmessage).toBeNull();
    expect(received).toEqual([{ t: 'notice', notice: { kind: 'engine-restarted', reason } }]);
    expect(second.posted).toEqual([call(9)]);
    first.deliver({ t: 'result', id: 1, ok: true, value: 'stale' });
    expect(received).toHaveLength(1);
  });

  it('after a crash loop: a disconnected notice, queued calls fail with DISCONNECTED', async () => {
    api.engine.send(call(4)); // no port yet
    ipc.emit(INBOUND_CHANNELS.engineFailed, { reason: 'crashed 6 times' });
    expect(received[0]).toEqual({ t: 'notice', notice: { kind: 'disconnected', reason: 'crashed 6 times' } });
    await Promise.resolve();
    expect(received[1]).toEqual({
      t: 'result',
      id: 4,
      ok: false,
      error: { code: 'DISCONNECTED', message: 'crashed 6 times' },
    });
  });

  it('after a crash loop: the next call (Reconnect) asks main for a new engine once and waits for its port', () => {
    const port = new FakePort();
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: false }, [port]);
    ipc.emit(INBOUND_CHANNELS.engineFailed, { reason: 'crashed 6 times' });
    expect(port.closed).toBe(true);
    expect(ipc.sent).toEqual([OUTBOUND_CHANNELS.engineConnect]);
    api.engine.send(call(5));
    api.engine.send(call(6));
    expect(ipc.sent).toEqual([OUTBOUND_CHANNELS.engineConnect, OUTBOUND_CHANNELS.engineConnect]);
    const next = new FakePort();
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: false }, [next]);
    expect(next.posted).toEqual([call(5), call(6)]);
    api.engine.send(call(7));
    expect(next.posted).toHaveLength(3);
    expect(ipc.sent).toHaveLength(2);
  });

  it('ignores a port message without a port', () => {
    ipc.emit(INBOUND_CHANNELS.enginePort, { restarted: true, reason: 'x' });
    expect(received).toEqual([]);
  });
});

describe('menu commands', () => {
  it('passes known commands to listeners and drops anything else', () => {
    const ipc = new FakeIpc();
    const api = createDesktopApi(ipc, 'darwin');
    const got: MenuCommand[] = [];
    const off = api.onMenu((c) => got.push(c));
    ipc.emit(INBOUND_CHANNELS.menu, { kind: 'open-site', id: 'jacksboro' });
    ipc.emit(INBOUND_CHANNELS.menu, { kind: 'format-disk' });
    ipc.emit(INBOUND_CHANNELS.menu, null);
    ipc.emit(INBOUND_CHANNELS.menu, { kind: 'toString' });
    off();
    ipc.emit(INBOUND_CHANNELS.menu, { kind: 'about' });
    expect(got).toEqual([{ kind: 'open-site', id: 'jacksboro' }]);
  });

  it('rejects a non-function listener', () => {
    const api = createDesktopApi(new FakeIpc(), 'linux');
    expect(() => api.onMenu('nope' as never)).toThrow(TypeError);
  });
});
