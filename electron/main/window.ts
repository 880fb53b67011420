/** The main window: secure web preferences, our page only, shown when painted. */
import { existsSync } from 'node:fs';
import { BrowserWindow, nativeTheme } from 'electron';
import type { RendererLocation } from './renderer-location';

export interface MainWindowOptions {
  location: RendererLocation;
  /** Built sandboxed preload (out/preload/index.cjs). */
  preload: string;
  /** Window icon for Linux/Windows dev runs (packaged builds use the installer's). */
  icon?: string;
  devTools: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { location, preload, icon, devTools } = options;
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 560,
    title: 'Terra Twin',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#11161c' : '#f4f5f7',
    ...(icon && existsSync(icon) ? { icon } : {}),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  });
  // The product name stays in the title bar whatever the page's <title> says.
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());

  const loaded = location.kind === 'url' ? win.loadURL(location.url) : win.loadFile(location.path);
  loaded.catch((err: unknown) => {
    const where = location.kind === 'url' ? location.url : location.path;
    console.error(`[terra] could not load the renderer from ${where}:`, err);
    // Show the window anyway so the user sees something rather than nothing.
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  });
  return win;
}
