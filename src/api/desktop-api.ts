/**
 * The one API the Electron preload exposes to the renderer as `window.terra`.
 * Deliberately small: an engine port (the same protocol as serve mode) and
 * menu commands. A test pins this surface.
 */
import type { ClientMessage, EngineMessage } from './protocol';

export type MenuCommand =
  | { kind: 'open-site'; id: string }
  | { kind: 'import-terrain'; path: string }
  | { kind: 'open-project'; path: string }
  | { kind: 'toggle-hillshade' }
  | { kind: 'reset-camera' }
  | { kind: 'set-theme'; theme: 'light' | 'dark' }
  | { kind: 'about' };

export interface DesktopApi {
  engine: {
    send(message: ClientMessage): void;
    /** Also delivers { t:'notice', kind:'engine-restarted' } when the engine is replaced. */
    onMessage(listener: (message: EngineMessage) => void): () => void;
  };
  onMenu(listener: (command: MenuCommand) => void): () => void;
  platform: string;
}

export const DESKTOP_API_KEYS = ['engine', 'onMenu', 'platform'] as const;
