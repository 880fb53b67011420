/**
 * Builds the one object the preload exposes as `window.terra` ({@link DesktopApi}).
 * It takes the IPC surface as a parameter so a unit test can drive it without
 * Electron; preload/index.ts passes the real ipcRenderer.
 *
 * Engine port life cycle:
 *   - until the first 'terra:engine-port' arrives, sends are queued;
 *   - a new port replaces the old one (the old one is closed);
 *   - with restarted=true, queued sends are dropped and the engine listeners
 *     first get { t:'notice', notice:{ kind:'engine-restarted', reason } }, so
 *     an EngineClient fails its pending calls (they died with the old engine)
 *     and may re-issue work on the new port from inside the listener;
 *   - 'terra:engine-failed' (crash loop, no restart) delivers a 'disconnected'
 *     notice and fails queued calls with DISCONNECTED. The next call (the
 *     renderer's Reconnect) asks main for a port again, which starts a fresh
 *     engine; the call waits in the queue for that port.
 *
 * Only types are imported from src/api: the sandboxed preload bundle stays tiny.
 */
import type { AppLocale, DesktopApi, MenuCommand } from '../../src/api/desktop-api';
import type { ClientMessage, EngineMessage } from '../../src/api/protocol';
import {
  INBOUND_CHANNELS,
  OUTBOUND_CHANNELS,
  isInboundChannel,
  isOutboundChannel,
  type EngineFailedPayload,
  type EnginePortPayload,
  type InboundChannel,
  type OutboundChannel,
} from './channels';

/** The part of a DOM MessagePort the bridge uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  start?(): void;
  close(): void;
}

/** The part of ipcRenderer the bridge uses. */
export interface IpcLike {
  on(channel: string, listener: (event: { ports: readonly PortLike[] }, payload: unknown) => void): unknown;
  send(channel: string, ...args: unknown[]): void;
}

/** The part of Electron's webUtils the bridge uses. */
export interface FilePathsLike {
  getPathForFile(file: File): string;
}

type Listener<T> = (value: T) => void;

const MENU_KINDS: Record<MenuCommand['kind'], true> = {
  'open-site': true,
  'import-terrain': true,
  'open-project': true,
  'toggle-hillshade': true,
  'reset-camera': true,
  'set-theme': true,
  about: true,
};

export function isMenuCommand(value: unknown): value is MenuCommand {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(MENU_KINDS, kind);
}

const NO_FILE_PATHS: FilePathsLike = { getPathForFile: () => '' };

export function createDesktopApi(ipc: IpcLike, platform: string, files: FilePathsLike = NO_FILE_PATHS): DesktopApi {
  const engineListeners = new Set<Listener<EngineMessage>>();
  const menuListeners = new Set<Listener<MenuCommand>>();
  let port: PortLike | null = null;
  let queue: ClientMessage[] = [];
  let failure: string | null = null;
  let reconnecting = false;

  const listen = (channel: InboundChannel, handler: (event: { ports: readonly PortLike[] }, payload: unknown) => void) => {
    if (!isInboundChannel(channel)) throw new Error(`terra preload: refusing unknown channel ${String(channel)}`);
    ipc.on(channel, handler);
  };
  const tell = (channel: OutboundChannel, ...args: unknown[]) => {
    if (!isOutboundChannel(channel)) throw new Error(`terra preload: refusing unknown channel ${String(channel)}`);
    ipc.send(channel, ...args);
  };

  const emit = <T>(listeners: Set<Listener<T>>, value: T) => {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (err) {
        console.error('terra preload: a listener threw', err);
      }
    }
  };
  const subscribe = <T>(listeners: Set<Listener<T>>, listener: Listener<T>) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  /** Answers a call that cannot reach an engine, asynchronously like a real reply. */
  const refuse = (message: ClientMessage, reason: string) => {
    if (message.t !== 'call') return;
    queueMicrotask(() =>
      emit(engineListeners, {
        t: 'result',
        id: message.id,
        ok: false,
        error: { code: 'DISCONNECTED', message: reason },
      }),
    );
  };

  const swapPort = (next: PortLike | null) => {
    if (port) {
      port.onmessage = null;
      port.close();
    }
    port = next;
    if (next) {
      next.onmessage = (event) => {
        const data = event.data as EngineMessage | null;
        if (data && typeof data === 'object' && typeof (data as { t?: unknown }).t === 'string') emit(engineListeners, data);
      };
      next.start?.();
    }
  };

  listen(INBOUND_CHANNELS.enginePort, (event, payload) => {
    const next = event.ports[0];
    if (!next) return;
    const { restarted, reason } = (payload ?? {}) as Partial<EnginePortPayload>;
    failure = null;
    reconnecting = false;
    swapPort(next);
    const pending = queue;
    queue = [];
    if (restarted === true) {
      emit(engineListeners, {
        t: 'notice',
        notice: { kind: 'engine-restarted', reason: typeof reason === 'string' ? reason : 'The engine was restarted' },
      });
    } else {
      for (const message of pending) next.postMessage(message);
    }
  });

  listen(INBOUND_CHANNELS.engineFailed, (_event, payload) => {
    const reason =
      typeof (payload as Partial<EngineFailedPayload> | null)?.reason === 'string'
        ? (payload as EngineFailedPayload).reason
        : 'The engine stopped and could not be restarted';
    failure = reason;
    reconnecting = false;
    swapPort(null);
    const pending = queue;
    queue = [];
    emit(engineListeners, { t: 'notice', notice: { kind: 'disconnected', reason } });
    for (const message of pending) refuse(message, reason);
  });

  listen(INBOUND_CHANNELS.menu, (_event, payload) => {
    if (isMenuCommand(payload)) emit(menuListeners, payload);
  });

  tell(OUTBOUND_CHANNELS.engineConnect);

  return {
    engine: {
      send(message: ClientMessage): void {
        if (port) {
          port.postMessage(message);
          return;
        }
        queue.push(message);
        if (failure !== null && !reconnecting) {
          reconnecting = true;
          tell(OUTBOUND_CHANNELS.engineConnect);
        }
      },
      onMessage: (listener: (message: EngineMessage) => void) => subscribe(engineListeners, listener),
    },
    onMenu: (listener: (command: MenuCommand) => void) => subscribe(menuListeners, listener),
    pathForFile(file: File): string {
      try {
        return files.getPathForFile(file);
      } catch {
        return ''; // not a File (webUtils throws); the page treats it as a file without a path
      }
    },
    setLocale(locale: AppLocale): void {
      // Only a string crosses: main checks it is a locale it knows.
      if (typeof locale === 'string') tell(OUTBOUND_CHANNELS.setLocale, locale);
    },
    platform,
  };
}
