/**
 * The application menu as data. `buildMenuTemplate` is pure (Electron types
 * only), so a unit test can walk it and click items; index.ts turns it into a
 * Menu and rebuilds it when the recent list or the theme changes. Commands for
 * the page go out as MenuCommand values (src/api/desktop-api.ts).
 */
import { basename, dirname } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src/api/desktop-api';
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

export function recentLabel(entry: RecentEntry): string {
  const kind = entry.kind === 'project' ? 'Project' : 'Terrain';
  return menuLabel(`${basename(entry.path)}  (${kind}, ${dirname(entry.path)})`);
}

export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const { actions } = ctx;
  const mac = ctx.platform === 'darwin';
  const about: MenuItemConstructorOptions = {
    label: `About ${ctx.appName}`,
    click: () => actions.send({ kind: 'about' }),
  };

  const recentItems: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ label: 'No recent files', enabled: false }]
      : [
          ...ctx.recent.map((entry) => ({ label: recentLabel(entry), click: () => actions.openRecent(entry) })),
          { type: 'separator' },
          { label: 'Clear Recent', click: () => actions.clearRecent() },
        ];

  const siteItems: MenuItemConstructorOptions[] =
    ctx.sites.length === 0
      ? [{ label: 'No sample sites installed', enabled: false }]
      : ctx.sites.map((site) => ({
          label: menuLabel(site.name),
          id: `site:${site.id}`,
          click: () => actions.send({ kind: 'open-site', id: site.id }),
        }));

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => actions.openProject() },
      { label: 'Import Terrain…', accelerator: 'CmdOrCtrl+I', click: () => actions.importTerrain() },
      { label: 'Open Recent', id: 'open-recent', submenu: recentItems },
      { type: 'separator' },
      { label: 'Sample Sites', id: 'sample-sites', submenu: siteItems },
      ...(mac ? [] : ([{ type: 'separator' }, { role: 'quit', label: 'Quit' }] as MenuItemConstructorOptions[])),
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      {
        label: 'Toggle Hillshade',
        accelerator: 'CmdOrCtrl+Shift+H',
        click: () => actions.send({ kind: 'toggle-hillshade' }),
      },
      {
        label: 'Reset Camera',
        accelerator: 'CmdOrCtrl+Shift+0',
        click: () => actions.send({ kind: 'reset-camera' }),
      },
      {
        label: 'Theme',
        submenu: (['light', 'dark'] as const).map((theme) => ({
          label: theme === 'light' ? 'Light' : 'Dark',
          type: 'radio' as const,
          checked: ctx.theme === theme,
          click: () => actions.setTheme(theme),
        })),
      },
      { type: 'separator' },
      { role: 'reload' },
      ...(ctx.isDev ? ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [...(mac ? [] : [about]), { label: 'Data Licences…', click: () => actions.showLicences() }],
  };

  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: ctx.appName,
          submenu: [
            about,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  return [
    ...appMenu,
    file,
    { role: 'editMenu' },
    view,
    ...(mac ? ([{ role: 'windowMenu' }] as MenuItemConstructorOptions[]) : []),
    help,
  ];
}
