/**
 * Terra Twin's Electron main process: wiring only. It opens the window,
 * builds the menu, runs dialogs and starts the engine in a utility process;
 * it never computes (DESIGN.md, "Processes and layers").
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeTheme,
  session,
  utilityProcess,
  type WebContents,
} from 'electron';
import type { AppLocale, MenuCommand } from '../../src/api/desktop-api';
import { INBOUND_CHANNELS, OUTBOUND_CHANNELS } from '../preload/channels';
import { EngineSupervisor } from './engine-supervisor';
import { showLicencesWindow } from './licences-window';
import { buildMenuTemplate, type Theme } from './menu';
import { isAppLocale, localeForSystem, mainText } from './menu-messages';
import { RECENT_FILES_NAME, RecentFiles, type RecentEntry } from './recent-files';
import { rendererLocation } from './renderer-location';
import { listSampleSites, type SampleSite } from './sample-sites';
import { guardWebContents, isTrustedSender, secureSession } from './security';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url)); // out/main
const isDev = !app.isPackaged;
// Packaged: electron-builder copies assets/ to resources/assets (extraResources).
const assetsDir = app.isPackaged ? join(process.resourcesPath, 'assets') : join(app.getAppPath(), 'assets');
const location = rendererLocation({
  isPackaged: app.isPackaged,
  devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  indexHtml: join(here, '../renderer/index.html'),
});

let mainWindow: BrowserWindow | null = null;
let supervisor: EngineSupervisor | null = null;
let recent: RecentFiles | null = null;
let sites: SampleSite[] = [];
let theme: Theme = 'dark';
/** The page's language, for this session: the page names it at every load (setLocale). */
let locale: AppLocale = 'en';

app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId('dev.terratwin.app');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, location));
  app.whenReady().then(start).catch(fatal);
}

async function start(): Promise<void> {
  secureSession(session.defaultSession);
  theme = nativeTheme.shouldUseDarkColors ? 'dark' : 'light';
  // The page picks the same language on a first run; this avoids an English menu until it loads.
  locale = localeForSystem(app.getLocale());

  recent = new RecentFiles(join(app.getPath('userData'), RECENT_FILES_NAME));
  await recent.load();
  recent.onDidChange(() => rebuildMenu());
  sites = listSampleSites(assetsDir);

  supervisor = new EngineSupervisor({
    modulePath: join(here, 'engine.js'),
    assetsDir,
    version: app.getVersion(),
    fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
    createChannel: () => new MessageChannelMain(),
  });
  supervisor.onCrash(({ reason }) => console.error(`[terra] ${reason}`));
  supervisor.start();

  // The preload asks for a port each time a page loads (first load, reload).
  ipcMain.on(OUTBOUND_CHANNELS.engineConnect, (event) => {
    if (!isTrustedSender(event, location)) {
      console.warn(`[terra] ignored ${OUTBOUND_CHANNELS.engineConnect} from an untrusted frame`);
      return;
    }
    attachEngine(event.sender);
  });
  ipcMain.on(OUTBOUND_CHANNELS.setLocale, (event, value: unknown) => {
    if (!isTrustedSender(event, location)) {
      console.warn(`[terra] ignored ${OUTBOUND_CHANNELS.setLocale} from an untrusted frame`);
      return;
    }
    setLocale(value);
  });

  rebuildMenu();
  openMainWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
}

const attached = new Set<number>();

function attachEngine(contents: WebContents): void {
  if (!supervisor) return;
  supervisor.connect(contents);
  if (attached.has(contents.id)) return;
  attached.add(contents.id);
  const { id } = contents;
  contents.once('destroyed', () => {
    attached.delete(id);
    supervisor?.detach({ id });
  });
}

function openMainWindow(): BrowserWindow {
  const win = createMainWindow({
    location,
    preload: join(here, '../preload/index.cjs'),
    icon: join(app.getAppPath(), 'build', 'icon.png'),
    devTools: isDev,
  });
  win.webContents.on('render-process-gone', (_event, details) =>
    console.error(`[terra] the renderer process is gone (${details.reason}, exit code ${details.exitCode})`),
  );
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
  return win;
}

/** Sends a menu command to the main window's page, opening the window if needed (macOS). */
function sendToPage(command: MenuCommand): void {
  const win = mainWindow && !mainWindow.isDestroyed() ? mainWindow : openMainWindow();
  const contents = win.webContents;
  if (contents.isLoading()) contents.once('did-finish-load', () => contents.send(INBOUND_CHANNELS.menu, command));
  else contents.send(INBOUND_CHANNELS.menu, command);
}

function dialogParent(): BrowserWindow | undefined {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined;
}

async function openProject(): Promise<void> {
  const t = mainText(locale);
  const options: Electron.OpenDialogOptions = {
    title: t('openProjectTitle'),
    buttonLabel: t('openProjectButton'),
    properties: ['openDirectory', 'createDirectory'],
  };
  const parent = dialogParent();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  const path = result.filePaths[0];
  if (result.canceled || !path) return;
  void recent?.add({ kind: 'project', path });
  sendToPage({ kind: 'open-project', path });
}

async function importTerrain(): Promise<void> {
  const t = mainText(locale);
  const options: Electron.OpenDialogOptions = {
    title: t('importTerrainTitle'),
    buttonLabel: t('importButton'),
    properties: ['openFile'],
    filters: [
      { name: t('terrainFiles'), extensions: ['tif', 'tiff', 'asc', 'nc', 'cdf', 'npz', 'npy', 'json'] },
      { name: t('allFiles'), extensions: ['*'] },
    ],
  };
  const parent = dialogParent();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  const path = result.filePaths[0];
  if (result.canceled || !path) return;
  void recent?.add({ kind: 'terrain', path });
  sendToPage({ kind: 'import-terrain', path });
}

async function openRecent(entry: RecentEntry): Promise<void> {
  if (!existsSync(entry.path)) {
    const t = mainText(locale);
    const options: Electron.MessageBoxOptions = {
      type: 'warning',
      title: t('openRecent'),
      message: t('recentMissing', { path: entry.path }),
      detail: t('recentMissingDetail'),
    };
    const parent = dialogParent();
    await (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
    void recent?.remove(entry.path);
    return;
  }
  void recent?.add(entry);
  sendToPage(entry.kind === 'project' ? { kind: 'open-project', path: entry.path } : { kind: 'import-terrain', path: entry.path });
}

/** The page's language: the menu and dialogs follow it. Anything but a known locale is ignored. */
function setLocale(value: unknown): void {
  if (!isAppLocale(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    console.warn(`[terra] ignored an unknown locale ${shown}`);
    return;
  }
  if (value === locale) return;
  locale = value;
  rebuildMenu();
}

function setTheme(next: Theme): void {
  theme = next;
  nativeTheme.themeSource = next;
  rebuildMenu();
  sendToPage({ kind: 'set-theme', theme: next });
}

function rebuildMenu(): void {
  const report = (err: unknown) => console.error('[terra] menu action failed:', err);
  const template = buildMenuTemplate({
    platform: process.platform,
    appName: 'Terra Twin',
    locale,
    isDev,
    recent: recent?.list() ?? [],
    sites,
    theme,
    actions: {
      send: sendToPage,
      openProject: () => void openProject().catch(report),
      importTerrain: () => void importTerrain().catch(report),
      openRecent: (entry) => void openRecent(entry).catch(report),
      clearRecent: () => void recent?.clear(),
      setTheme,
      showLicences: () => showLicencesWindow(dialogParent() ?? null, join(assetsDir, 'LICENSES.md'), locale),
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function fatal(err: unknown): void {
  console.error('[terra] start-up failed:', err);
  dialog.showErrorBox(mainText(locale)('startFailed', { app: 'Terra Twin' }), err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  supervisor?.dispose();
  supervisor = null;
  recent?.dispose();
});
