/**
 * Connects the renderer to the engine. In the desktop app the preload exposes
 * an engine port as `window.terra.engine`; in a browser (serve mode) the
 * engine is a WebSocket at /api on the page's own host, opened with the token
 * from the page address. Either way the caller gets the same EngineClient.
 */
import { EngineClient, TerraError, WebSocketTransport, type DesktopApi, type Transport } from '@api';
import { translate } from '../i18n';

export type EngineHost = 'desktop' | 'browser';

export function engineHost(): EngineHost {
  return window.terra ? 'desktop' : 'browser';
}

export async function connectEngine(): Promise<EngineClient> {
  const desktop = window.terra;
  return new EngineClient(desktop ? desktopTransport(desktop) : await browserTransport());
}

function desktopTransport(api: DesktopApi): Transport {
  return {
    send: (message) => api.engine.send(message),
    onMessage: (listener) => api.engine.onMessage(listener),
    // The port belongs to the preload and lives as long as the window.
    close: () => {},
  };
}

async function browserTransport(): Promise<Transport> {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) {
    throw new TerraError('UNAUTHORIZED', translate('engine.needsToken', { command: 'terra serve', suffix: '?token=...' }));
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`);
  try {
    return await WebSocketTransport.open(socket);
  } catch (err) {
    throw new TerraError('DISCONNECTED', translate('engine.couldNotConnect', { reason: (err as Error).message }));
  }
}
