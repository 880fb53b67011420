/**
 * electron/main/index.ts with the `electron` module replaced by recording
 * fakes: the wiring a real Electron run would exercise (security hooks,
 * window options, engine hand-off and restart, menu commands, quit) checked
 * without the Electron binary, which this machine cannot install.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/server/static-files';

type Headers = Record<string, string[]>;
interface WindowOptions {
  width?: number;
  height?: number;
  title?: string;
  show?: boolean;
  webPreferences: Record<string, unknown>;
}
interface ChildOptions {
  serviceName?: string;
  env: Record<string, string>;
}
interface MenuItem {
  label?: string;
  id?: string;
  role?: string;
  submenu?: MenuItem[];
  click?: () => void;
}

const fakePromise = vi.hoisted(async () => {
  // vi.hoisted runs before the imports above: fetch what it needs itself.
  const { EventEmitter: Emitter } = await import('node:events');
  const state = {
    userData: '',
    appHandlers: new Map<string, (...args: unknown[]) => void>(),
    ipcHandlers: new Map<string, (...args: unknown[]) => void>(),
    windows: [] as FakeBrowserWindow[],
    children: [] as FakeChild[],
    menus: [] as MenuItem[][],
    openDialogs: [] as { title?: string; buttonLabel?: string; filters?: { name: string }[] }[],
    headersListener: null as null | ((details: { responseHeaders: Headers }, cb: (r: { responseHeaders: Headers }) => void) => void),
    permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheck: null as null | ((...a: unknown[]) => boolean),
    openedExternally: [] as string[],
    sandboxEnabled: false,
    nextId: 1,
    nextPid: 5000,
  };
  class FakeWebContents extends Emitter {
    id = state.nextId++;
    sent: { channel: string; payload: unknown }[] = [];
    posted: { channel: string; message: unknown; transfer?: unknown[] }[] = [];
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
    destroyed = false;
    isDestroyed() {
      return this.destroyed;
    }
    isLoading() {
      return false;
    }
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
    postMessage(channel: string, message: unknown, transfer?: unknown[]) {
      this.posted.push({ channel, message, transfer });
    }
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = h;
    }
  }
  class FakeBrowserWindow extends Emitter {
    static getAllWindows = () => state.windows;
    static getFocusedWindow = () => state.windows[0] ?? null;
    webContents = new FakeWebContents();
    loadedFile: string | null = null;
    loadedUrl: string | null = null;
    shown = false;
    constructor(readonly options: WindowOptions) {
      super();
      state.windows.push(this);
      state.appHandlers.get('web-contents-created')?.({}, this.webContents);
    }
    loadFile(path: string) {
      this.loadedFile = path;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isVisible() {
      return this.shown;
    }
    show() {
      this.shown = true;
    }
    setMenu() {}
  }
  class FakeChild extends Emitter {
    pid = state.nextPid++;
    posted: { message: unknown; transfer?: unknown[] }[] = [];
    killed = false;
    constructor(
      readonly modulePath: string,
      readonly options: ChildOptions,
    ) {
      super();
    }
    postMessage(message: unknown, transfer?: unknown[]) {
      this.posted.push({ message, transfer });
    }
    kill() {
      this.killed = true;
      return true;
    }
  }
  let channel = 0;
  const electron = {
    app: {
      isPackaged: false,
      getAppPath: () => process.cwd(),
      getPath: () => state.userData,
      getVersion: () => '0.1.0-test',
      getLocale: () => 'en-US',
      enableSandbox: () => {
        state.sandboxEnabled = true;
      },
      setAppUserModelId: () => undefined,
      requestSingleInstanceLock: () => true,
      on: (name: string, handler: (...args: unknown[]) => void) => state.appHandlers.set(name, handler),
      whenReady: () => Promise.resolve(),
      quit: () => undefined,
      exit: () => undefined,
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (l: typeof state.headersListener) => {
            state.headersListener = l;
          },
        },
        setPermissionRequestHandler: (h: typeof state.permissionRequest) => {
          state.permissionRequest = h;
        },
        setPermissionCheckHandler: (h: typeof state.permissionCheck) => {
          state.permissionCheck = h;
        },
        setDevicePermissionHandler: () => undefined,
      },
    },
    nativeTheme: { shouldUseDarkColors: true, themeSource: 'system', on: () => undefined },
    BrowserWindow: FakeBrowserWindow,
    Menu: {
      buildFromTemplate: (template: MenuItem[]) => template,
      setApplicationMenu: (menu: MenuItem[]) => state.menus.push(menu),
    },
    MessageChannelMain: class {
      port1 = { name: `port1-${++channel}`, close() {} };
      port2 = { name: `port2-${channel}`, close() {} };
    },
    utilityProcess: {
      fork: (modulePath: string, _args: string[], options: ChildOptions) => {
        const child = new FakeChild(modulePath, options);
        state.children.push(child);
        return child;
      },
    },
    ipcMain: { on: (name: string, handler: (...args: unknown[]) => void) => state.ipcHandlers.set(name, handler) },
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        state.openDialogs.push(args.at(-1) as (typeof state.openDialogs)[number]);
        return { canceled: true, filePaths: [] };
      },
      showErrorBox: () => undefined,
    },
    shell: {
      openExternal: async (url: string) => {
        state.openedExternally.push(url);
      },
    },
  };
  return { state, electron };
});

vi.mock('electron', async () => (await fakePromise).electron);

const fake = await fakePromise;
const { state } = fake;
const settle = () => new Promise((r) => setTimeout(r, 50));

beforeAll(async () => {
  state.userData = mkdtempSync(join(tmpdir(), 'terra-userdata-'));
  delete process.env['ELECTRON_RENDERER_URL'];
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  await import('../../../electron/main/index');
  await settle();
});

afterAll(() => {
  rmSync(state.userData, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const win = () => state.windows[0]!;
const trustedEvent = (contents: unknown) => ({
  sender: contents,
  senderFrame: { url: pathToFileURL(win().loadedFile!).href + '#/', parent: null },
});

function findItem(items: MenuItem[], labelOrId: string): MenuItem | undefined {
  for (const item of items) {
    if (item.label === labelOrId || item.id === labelOrId) return item;
    if (Array.isArray(item.submenu)) {
      const found = findItem(item.submenu, labelOrId);
      if (found) return found;
    }
  }
  return undefined;
}

describe('main process wiring', () => {
  it('enables the sandbox everywhere and guards every WebContents', () => {
    expect(state.sandboxEnabled).toBe(true);
    expect(state.appHandlers.has('web-contents-created')).toBe(true);
  });

  it('sends the serve-mode CSP on every response, replacing any other', () => {
    let result: { responseHeaders: Headers } | undefined;
    state.headersListener!(
      { responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      (r) => (result = r),
    );
    expect(result?.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'X-Content-Type-Options': ['nosniff'],
    });
  });

  it('denies every permission', () => {
    const answers: boolean[] = [];
    state.permissionRequest!({}, 'geolocation', (ok) => answers.push(ok));
    state.permissionRequest!({}, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(state.permissionCheck!()).toBe(false);
  });

  it('opens one 1400x900 window with secure preferences on the built page', () => {
    expect(state.windows).toHaveLength(1);
    const { options } = win();
    expect(options).toMatchObject({ width: 1400, height: 900, title: 'Terra Twin', show: false });
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: true, // not packaged
    });
    expect(options.webPreferences.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(win().loadedFile).toMatch(/renderer[\\/]index\.html$/);
    win().emit('ready-to-show');
    expect(win().shown).toBe(true);
  });

  it('blocks navigation away, denies new windows, and sends only https links to the browser', () => {
    const contents = win().webContents;
    const nav = (url: string) => {
      const event = { url, preventDefault: vi.fn() };
      contents.emit('will-navigate', event);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(nav(pathToFileURL(win().loadedFile!).href)).toBe(false);
    expect(nav('https://example.org/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://www.openstreetmap.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://plain.example/' })).toEqual({ action: 'deny' });
    expect(state.openedExternally).toEqual(['https://example.org/', 'https://www.openstreetmap.org/']);
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('starts the engine as a utility process with its assets and version', () => {
    expect(state.children).toHaveLength(1);
    const child = state.children[0]!;
    expect(basename(child.modulePath)).toBe('engine.js');
    expect(child.options.serviceName).toBe('Terra Twin engine');
    expect(child.options.env.TERRA_ASSETS_DIR).toBe(join(process.cwd(), 'assets'));
    expect(child.options.env.TERRA_APP_VERSION).toBe('0.1.0-test');
  });

  it('hands a port only to our own page asking for one', () => {
    const connect = state.ipcHandlers.get('terra:engine-connect')!;
    const contents = win().webContents;
    connect({ sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } });
    connect({ sender: contents, senderFrame: { url: pathToFileURL(win().loadedFile!).href, parent: {} } });
    connect({ sender: contents, senderFrame: null });
    expect(contents.posted).toEqual([]);

    connect(trustedEvent(contents));
    const child = state.children[0]!;
    expect(child.posted).toEqual([{ message: { type: 'connect' }, transfer: [expect.objectContaining({ name: 'port1-1' })] }]);
    expect(contents.posted).toEqual([
      { channel: 'terra:engine-port', message: { restarted: false }, transfer: [expect.objectContaining({ name: 'port2-1' })] },
    ]);
  });

  it('restarts a crashed engine and gives the page a new port with the reason', () => {
    const contents = win().webContents;
    state.children[0]!.emit('exit', 9);
    expect(state.children).toHaveLength(2);
    expect(contents.posted.at(-1)).toMatchObject({
      channel: 'terra:engine-port',
      message: { restarted: true, reason: 'The engine process exited with code 9; a new engine was started' },
    });
    expect(state.children[1]!.posted[0]!.message).toEqual({ type: 'connect' });
  });

  it('builds the menu and sends sample-site commands to the page', () => {
    const template = state.menus.at(-1)!;
    const olinda = findItem(template, 'site:olinda');
    expect(findItem(template, 'Sample Sites')?.submenu?.map((i) => i.id)).toEqual(['site:jacksboro', 'site:olinda', 'site:salish-sea']);
    olinda!.click!();
    expect(win().webContents.sent.at(-1)).toEqual({ channel: 'terra:menu', payload: { kind: 'open-site', id: 'olinda' } });
    findItem(template, 'Light')!.click!();
    expect(fake.electron.nativeTheme.themeSource).toBe('light');
    expect(win().webContents.sent.at(-1)).toEqual({ channel: 'terra:menu', payload: { kind: 'set-theme', theme: 'light' } });
  });

  it('rebuilds the menu and its dialogs in the page\'s language; ignores unknown locales and other frames', async () => {
    const setLocale = state.ipcHandlers.get('terra:set-locale')!;
    const contents = win().webContents;
    const warn = vi.mocked(console.warn);
    expect(state.menus.at(-1)!.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']); // en-US system
    const built = state.menus.length;

    setLocale({ sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } }, 'zh-CN');
    for (const bad of ['fr', 42, null, { locale: 'zh-CN' }]) {
      warn.mockClear();
      expect(() => setLocale(trustedEvent(contents), bad)).not.toThrow();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('ignored an unknown locale'));
    }
    setLocale(trustedEvent(contents), 'en'); // unchanged: no rebuild
    expect(state.menus).toHaveLength(built);

    setLocale(trustedEvent(contents), 'zh-CN');
    expect(state.menus).toHaveLength(built + 1);
    const zh = state.menus.at(-1)!;
    expect(zh.map((m) => m.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '帮助(&H)']);
    // Remembered: a later rebuild (the theme) stays in Chinese, and the dialogs speak it.
    findItem(zh, '深色')!.click!();
    expect(state.menus.at(-1)![0]!.label).toBe('文件(&F)');
    findItem(state.menus.at(-1)!, '打开项目…')!.click!();
    findItem(state.menus.at(-1)!, '导入地形…')!.click!();
    await settle();
    expect(state.openDialogs.slice(-2).map((o) => [o.title, o.buttonLabel, o.filters?.at(-1)?.name])).toEqual([
      ['打开项目', '打开项目', undefined],
      ['导入地形', '导入', '所有文件'],
    ]);

    setLocale(trustedEvent(contents), 'en');
    expect(state.menus.at(-1)![0]!.label).toBe('&File');
  });

  it('kills the engine when the app quits', () => {
    const current = state.children.at(-1)!;
    state.appHandlers.get('will-quit')!();
    expect(current.killed).toBe(true);
    current.emit('exit', 0);
    expect(state.children).toHaveLength(2); // no restart after quitting
  });
});

