/**
 * The one API the Electron preload exposes to the renderer as `window.terra`.
 * Deliberately small: an engine port (the same protocol as serve mode), menu
 * commands, the path of a dropped file and the page's language (for the
 * native menu). A test pins this surface.
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

/** The languages the app speaks: the renderer's locales, which the native menu follows. */
export type AppLocale = 'en' | 'zh-CN';

export interface DesktopApi {
  engine: {
    send(message: ClientMessage): void;
    /** Also delivers { t:'notice', kind:'engine-restarted' } when the engine is replaced. */
    onMessage(listener: (message: EngineMessage) => void): () => void;
  };
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /**
   * The absolute path of a File dropped on the window or picked in an
   * <input type="file"> (Electron's webUtils.getPathForFile: with context
   * isolation a page cannot read it any other way); "" for a File that is
   * not on disk.
   */
  pathForFile(file: File): string;
  /** The page shows this language: main rebuilds the native menu (and its dialogs) in it. */
  setLocale(locale: AppLocale): void;
  platform: string;
}

export const DESKTOP_API_KEYS = ['engine', 'onMenu', 'pathForFile', 'setLocale', 'platform'] as const;
