/**
 * The application menu as data. `buildMenuTemplate` is pure (Electron types
 * only), so a unit test can walk it and click items; index.ts turns it into a
 * Menu and rebuilds it when the recent list, the theme or the page's
 * language changes. Every label comes from menu-messages.ts. Commands for
 * the page go out as MenuCommand values (src/api/desktop-api.ts).
 */
import { basename, dirname } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { AppLocale, MenuCommand } from '../../src/api/desktop-api';
import { mainText, type MainTranslate } from './menu-messages';
import type { RecentEntry } from './recent-files';
import type { SampleSite } from './sample-sites';

export type Theme = 'light' | 'dark';

export interface MenuActions {
  /** Sends a command to the focused window's page. */
  send(command: MenuCommand): void;
  openProject(): void;
  importTerrain(): void;
  openRecent(entry: RecentEntry): void;
  clearRecent(): void;
  setTheme(theme: Theme): void;
  showLicences(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  /** The page's language (menu-messages.ts). */
  locale: AppLocale;
  /** Development build: adds Toggle DevTools. */
  isDev: boolean;
  recent: readonly RecentEntry[];
  sites: readonly SampleSite[];
  theme: Theme;
  actions: MenuActions;
}

/** Menu labels treat '&' as a mnemonic marker; file names must show it as is. */
export function menuLabel(text: string): string {
  return text.replace(/&/g, '&&');
}

export function recentLabel(entry: RecentEntry, t: MainTranslate = mainText('en')): string {
  const kind = t(entry.kind === 'project' ? 'recentProject' : 'recentTerrain');
  return menuLabel(t('recentEntry', { name: basename(entry.path), kind, folder: dirname(entry.path) }));
}

export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const { actions } = ctx;
  const t = mainText(ctx.locale);
  const app = { app: menuLabel(ctx.appName) };
  const mac = ctx.platform === 'darwin';
  const about: MenuItemConstructorOptions = {
    label: t('about', app),
    click: () => actions.send({ kind: 'about' }),
  };

  const recentItems: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ label: t('noRecent'), enabled: false }]
      : [
          ...ctx.recent.map((entry) => ({ label: recentLabel(entry, t), click: () => actions.openRecent(entry) })),
          { type: 'separator' },
          { label: t('clearRecent'), click: () => actions.clearRecent() },
        ];

  const siteItems: MenuItemConstructorOptions[] =
    ctx.sites.length === 0
      ? [{ label: t('noSites'), enabled: false }]
      : ctx.sites.map((site) => ({
          label: menuLabel(site.name),
          id: `site:${site.id}`,
          click: () => actions.send({ kind: 'open-site', id: site.id }),
        }));

  const file: MenuItemConstructorOptions = {
    label: t('file'),
    submenu: [
      { label: t('openProject'), accelerator: 'CmdOrCtrl+O', click: () => actions.openProject() },
      { label: t('importTerrain'), accelerator: 'CmdOrCtrl+I', click: () => actions.importTerrain() },
      { label: t('openRecent'), id: 'open-recent', submenu: recentItems },
      { type: 'separator' },
      { label: t('sampleSites'), id: 'sample-sites', submenu: siteItems },
      ...(mac ? [] : ([{ type: 'separator' }, { role: 'quit', label: t('quit') }] as MenuItemConstructorOptions[])),
    ],
  };

  // Electron's 'editMenu' role, spelled out: its built-in labels are English only.
  const edit: MenuItemConstructorOptions = {
    label: t('edit'),
    submenu: [
      { role: 'undo', label: t('undo') },
      { role: 'redo', label: t('redo') },
      { type: 'separator' },
      { role: 'cut', label: t('cut') },
      { role: 'copy', label: t('copy') },
      { role: 'paste', label: t('paste') },
      ...(mac ? ([{ role: 'pasteAndMatchStyle', label: t('pasteAndMatchStyle') }] as MenuItemConstructorOptions[]) : []),
      { role: 'delete', label: t('delete') },
      ...(mac ? [] : ([{ type: 'separator' }] as MenuItemConstructorOptions[])),
      { role: 'selectAll', label: t('selectAll') },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: t('view'),
    submenu: [
      {
        label: t('toggleHillshade'),
        accelerator: 'CmdOrCtrl+Shift+H',
        click: () => actions.send({ kind: 'toggle-hillshade' }),
      },
      {
        label: t('resetCamera'),
        accelerator: 'CmdOrCtrl+Shift+0',
        click: () => actions.send({ kind: 'reset-camera' }),
      },
      {
        label: t('theme'),
        submenu: (['light', 'dark'] as const).map((theme) => ({
          label: t(theme),
          type: 'radio' as const,
          checked: ctx.theme === theme,
          click: () => actions.setTheme(theme),
        })),
      },
      { type: 'separator' },
      { role: 'reload', label: t('reload') },
      ...(ctx.isDev ? ([{ role: 'toggleDevTools', label: t('toggleDevTools') }] as MenuItemConstructorOptions[]) : []),
      { type: 'separator' },
      { role: 'resetZoom', label: t('resetZoom') },
      { role: 'zoomIn', label: t('zoomIn') },
      { role: 'zoomOut', label: t('zoomOut') },
      { type: 'separator' },
      { role: 'togglefullscreen', label: t('toggleFullScreen') },
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: t('help'),
    role: 'help',
    submenu: [...(mac ? [] : [about]), { label: t('licences'), click: () => actions.showLicences() }],
  };

  const macOnly: { appMenu: MenuItemConstructorOptions[]; windowMenu: MenuItemConstructorOptions[] } = mac
    ? {
        appMenu: [
          {
            label: ctx.appName,
            submenu: [
              about,
              { type: 'separator' },
              { role: 'services', label: t('services') },
              { type: 'separator' },
              { role: 'hide', label: t('hide', app) },
              { role: 'hideOthers', label: t('hideOthers') },
              { role: 'unhide', label: t('unhide') },
              { type: 'separator' },
              { role: 'quit', label: t('quitApp', app) },
            ],
          },
        ],
        // role 'window' keeps macOS's list of open windows in this menu.
        windowMenu: [
          {
            label: t('window'),
            role: 'window',
            submenu: [
              { role: 'minimize', label: t('minimize') },
              { role: 'zoom', label: t('zoom') },
              { type: 'separator' },
              { role: 'front', label: t('front') },
            ],
          },
        ],
      }
    : { appMenu: [], windowMenu: [] };

  return [...macOnly.appMenu, file, edit, view, ...macOnly.windowMenu, help];
}
