/** Pure main-process logic: which URLs are our page, the menu, sample sites. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { escapeHtml, licencesHtml } from '../../../electron/main/licences-window';
import { buildMenuTemplate, menuLabel, type MenuContext } from '../../../electron/main/menu';
import {
  isExternalLinkAllowed,
  isRendererUrl,
  rendererLocation,
  type RendererLocation,
} from '../../../electron/main/renderer-location';
import { listSampleSites } from '../../../electron/main/sample-sites';
import { stubMenuActions } from './menu-actions';

vi.mock('electron', () => ({ BrowserWindow: class {}, dialog: {} }));

const indexHtml = resolve('/app/out/renderer/index.html');

describe('rendererLocation', () => {
  it('uses the dev server only when not packaged and only on loopback', () => {
    expect(rendererLocation({ isPackaged: false, devServerUrl: 'http://localhost:5173/', indexHtml })).toEqual({
      kind: 'url',
      url: 'http://localhost:5173/',
    });
    expect(rendererLocation({ isPackaged: true, devServerUrl: 'http://localhost:5173/', indexHtml }).kind).toBe('file');
    expect(rendererLocation({ isPackaged: false, devServerUrl: 'http://evil.example/', indexHtml }).kind).toBe('file');
    expect(rendererLocation({ isPackaged: false, devServerUrl: 'not a url', indexHtml }).kind).toBe('file');
    expect(rendererLocation({ isPackaged: false, devServerUrl: undefined, indexHtml })).toEqual({ kind: 'file', path: indexHtml });
  });
});

describe('isRendererUrl', () => {
  const file: RendererLocation = { kind: 'file', path: indexHtml };
  const dev: RendererLocation = { kind: 'url', url: 'http://localhost:5173/' };
  const own = pathToFileURL(indexHtml).href;

  it('accepts our built page with any hash or query, and nothing else on file:', () => {
    expect(isRendererUrl(own, file)).toBe(true);
    expect(isRendererUrl(`${own}#/site/jacksboro`, file)).toBe(true);
    expect(isRendererUrl(`${own}?x=1`, file)).toBe(true);
    expect(isRendererUrl(pathToFileURL(resolve('/app/out/renderer/other.html')).href, file)).toBe(false);
    expect(isRendererUrl('file:///etc/passwd', file)).toBe(false);
    expect(isRendererUrl('https://example.com/', file)).toBe(false);
    expect(isRendererUrl('data:text/html,hi', file)).toBe(false);
    expect(isRendererUrl('', file)).toBe(false);
  });

  it('accepts the dev server origin only', () => {
    expect(isRendererUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5173/src/App.vue', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isRendererUrl(own, dev)).toBe(false);
  });

  it('hands only https links to the system browser', () => {
    expect(isExternalLinkAllowed('https://www.openstreetmap.org/')).toBe(true);
    expect(isExternalLinkAllowed('http://example.com/')).toBe(false);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('smb://host/share')).toBe(false);
  });
});

function context(overrides: Partial<MenuContext> = {}) {
  const actions = stubMenuActions();
  const ctx: MenuContext = {
    platform: 'linux',
    appName: 'Terra Twin',
    locale: 'en',
    isDev: false,
    recent: [],
    sites: [
      { id: 'jacksboro', name: 'Jacksboro valley, Tennessee' },
      { id: 'olinda', name: 'Olinda, Brazil' },
    ],
    theme: 'dark',
    actions,
    ...overrides,
  };
  return { ctx, actions };
}

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  for (const item of items) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      try {
        return find(item.submenu, label);
      } catch {
        // keep looking
      }
    }
  }
  throw new Error(`no menu item "${label}"`);
}

const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();
const sub = (item: MenuItemConstructorOptions) => item.submenu as MenuItemConstructorOptions[];

describe('buildMenuTemplate', () => {
  it('has File, Edit, View, Help on Linux and Windows', () => {
    const { ctx } = context();
    const template = buildMenuTemplate(ctx);
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(sub(template[0]!).some((i) => i.role === 'quit')).toBe(true);
  });

  it('sends sample-site, view and about commands to the page', () => {
    const { ctx, actions } = context();
    const template = buildMenuTemplate(ctx);
    expect(sub(find(template, 'Sample Sites')).map((i) => i.label)).toEqual([
      'Jacksboro valley, Tennessee',
      'Olinda, Brazil',
    ]);
    click(find(template, 'Olinda, Brazil'));
    click(find(template, 'Toggle Hillshade'));
    click(find(template, 'Reset Camera'));
    click(find(template, 'About Terra Twin'));
    expect((actions.send as ReturnType<typeof vi.fn>).mock.calls.map((c) => c[0])).toEqual([
      { kind: 'open-site', id: 'olinda' },
      { kind: 'toggle-hillshade' },
      { kind: 'reset-camera' },
      { kind: 'about' },
    ]);
  });

  it('runs dialogs and the licences window through actions', () => {
    const { ctx, actions } = context();
    const template = buildMenuTemplate(ctx);
    click(find(template, 'Open Project…'));
    click(find(template, 'Import Terrain…'));
    click(find(template, 'Data Licences…'));
    click(find(template, 'Light'));
    expect(actions.openProject).toHaveBeenCalledOnce();
    expect(actions.importTerrain).toHaveBeenCalledOnce();
    expect(actions.showLicences).toHaveBeenCalledOnce();
    expect(actions.setTheme).toHaveBeenCalledWith('light');
    expect(find(template, 'Dark').checked).toBe(true);
    expect(find(template, 'Light').checked).toBe(false);
  });

  it('lists recent entries newest first with Clear, or a disabled placeholder', () => {
    const empty = buildMenuTemplate(context().ctx);
    expect(sub(find(empty, 'Open Recent'))).toEqual([{ label: 'No recent files', enabled: false }]);

    const entry = { kind: 'terrain' as const, path: resolve('/data/R&D/dem.tif') };
    const { ctx, actions } = context({ recent: [entry] });
    const items = sub(find(buildMenuTemplate(ctx), 'Open Recent'));
    expect(items[0]!.label).toContain('dem.tif');
    expect(items[0]!.label).toContain('R&&D'); // '&' shown literally, not as a mnemonic
    click(items[0]!);
    expect(actions.openRecent).toHaveBeenCalledWith(entry);
    click(find(buildMenuTemplate(ctx), 'Clear Recent'));
    expect(actions.clearRecent).toHaveBeenCalledOnce();
  });

  it('shows Toggle DevTools only in development', () => {
    const roles = (isDev: boolean) =>
      sub(find(buildMenuTemplate(context({ isDev }).ctx), '&View')).map((i) => i.role).filter(Boolean);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).toEqual(expect.arrayContaining(['reload', 'resetZoom', 'zoomIn', 'zoomOut']));
  });

  it('follows macOS conventions: app menu with About and Quit, Window menu', () => {
    const template = buildMenuTemplate(context({ platform: 'darwin' }).ctx);
    expect(template.map((m) => m.label ?? m.role)).toEqual(['Terra Twin', '&File', '&Edit', '&View', '&Window', '&Help']);
    expect(template[4]!.role).toBe('window'); // macOS lists the open windows there
    expect(sub(template[0]!).map((i) => i.label ?? i.role)).toEqual(expect.arrayContaining(['About Terra Twin', 'Quit Terra Twin']));
    expect(sub(template[1]!).some((i) => i.role === 'quit')).toBe(false);
  });

  it('escapes mnemonics in labels', () => {
    expect(menuLabel('A & B')).toBe('A && B');
  });
});

describe('listSampleSites', () => {
  it('reads the shipped sites', () => {
    const sites = listSampleSites(resolve('assets'));
    expect(sites.map((s) => s.id)).toEqual(['jacksboro', 'olinda', 'salish-sea']);
    expect(sites.every((s) => s.name.length > 0)).toBe(true);
  });

  it('skips bad manifests with a warning and survives a missing folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'terra-sites-'));
    try {
      await mkdir(join(dir, 'sites', 'good'), { recursive: true });
      await mkdir(join(dir, 'sites', 'broken'));
      await mkdir(join(dir, 'sites', 'badid'));
      await writeFile(join(dir, 'sites', 'good', 'site.json'), JSON.stringify({ id: 'good', name: 'Good site' }));
      await writeFile(join(dir, 'sites', 'broken', 'site.json'), '{');
      await writeFile(join(dir, 'sites', 'badid', 'site.json'), JSON.stringify({ id: '../x', name: 'x' }));
      const warnings: string[] = [];
      expect(listSampleSites(dir, (m) => warnings.push(m))).toEqual([{ id: 'good', name: 'Good site' }]);
      expect(warnings).toHaveLength(2);
      expect(listSampleSites(join(dir, 'nope'), (m) => warnings.push(m))).toEqual([]);
      expect(warnings).toHaveLength(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('licences page', () => {
  it('escapes the markdown and forbids scripts', () => {
    expect(escapeHtml(`<script>"a" & 'b'</script>`)).toBe('&#60;script&#62;&#34;a&#34; &#38; &#39;b&#39;&#60;/script&#62;');
    const html = licencesHtml('| a | <b> |');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('&#60;b&#62;');
    expect(html).not.toContain('<b>');
  });
});
