/**
 * The native menu in the page's language: the main-process catalogue
 * (electron/main/menu-messages.ts) is complete in Chinese, the zh-CN menu has
 * no English left (Electron's role labels included), the renderer's menu
 * paths name the menu as it reads. The page telling main its locale is
 * test/e2e/browser/desktop-menu.e2e.test.ts's.
 */
import { resolve } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { AppLocale } from '../../../src/api/desktop-api';
import { licencesHtml } from '../../../electron/main/licences-window';
import { buildMenuTemplate, type MenuContext } from '../../../electron/main/menu';
import { APP_LOCALES, MAIN_MESSAGES, fill, isAppLocale, localeForSystem } from '../../../electron/main/menu-messages';
import { MENU_PATH_TEXT } from '../../../renderer/src/i18n/menu-paths';
import { stubMenuActions } from './menu-actions';

vi.mock('electron', () => ({ BrowserWindow: class {}, dialog: {} }));

const sites = [
  { id: 'jacksboro', name: 'Jacksboro valley, Tennessee' },
  { id: 'olinda', name: 'Olinda, Brazil' },
];
const recent = [
  { kind: 'project' as const, path: resolve('/home/me/Flood study') },
  { kind: 'terrain' as const, path: resolve('/data/R&D/dem.tif') },
];

function template(locale: AppLocale, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const actions = stubMenuActions();
  const ctx: MenuContext = { platform, appName: 'Terra Twin', locale, isDev: true, recent, sites, theme: 'dark', actions };
  return buildMenuTemplate(ctx);
}

/** Every item, submenus included. */
function walk(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? walk(item.submenu) : [])]);
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const mnemonics = (text: string) => [...text.replace(/&&/g, '').matchAll(/&(\w)/g)].map((m) => m[1]!.toUpperCase());

describe('main-process catalogue', () => {
  it('has every English key in Chinese, no extra one, none blank, with the same placeholders and mnemonics', () => {
    const en = MAIN_MESSAGES.en;
    const zh = MAIN_MESSAGES['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en) as [keyof typeof en, string][]) {
      expect(zh[key].trim(), key).not.toBe('');
      expect(placeholders(zh[key]), key).toEqual(placeholders(text));
      expect(mnemonics(zh[key]), key).toEqual(mnemonics(text));
    }
    expect(APP_LOCALES).toEqual(['en', 'zh-CN']);
  });

  it('knows its locales only, and starts in the renderer\'s default for the system language', () => {
    expect(isAppLocale('zh-CN')).toBe(true);
    expect(isAppLocale('en')).toBe(true);
    for (const bad of ['fr', 'zh', 'EN', '', 'toString', '__proto__', null, undefined, 42, {}, ['en']]) {
      expect(isAppLocale(bad), String(bad)).toBe(false);
    }
    expect(localeForSystem('zh-TW')).toBe('zh-CN');
    expect(localeForSystem('zh')).toBe('zh-CN');
    expect(localeForSystem('en-GB')).toBe('en');
    expect(localeForSystem('de')).toBe('en');
    expect(localeForSystem(undefined)).toBe('en');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(fill('关于 {app}', { app: 'Terra Twin' })).toBe('关于 Terra Twin');
    expect(fill('{path}: {reason}', { path: '/x' })).toBe('/x: {reason}');
    expect(fill('{constructor} $& {app}', { app: '$1' })).toBe('{constructor} $& $1');
  });
});

describe('buildMenuTemplate in Chinese', () => {
  // Names that stay as they are in any language: the app, sample sites, recent files and folders.
  const names = ['Terra Twin', ...sites.map((s) => s.name), ...recent.flatMap((r) => r.path.split(/[\\/]/))]
    .filter((n) => n.length > 0)
    .map((n) => n.replace(/&/g, '&&'))
    .sort((a, b) => b.length - a.length);
  const withoutNames = (label: string) => names.reduce((text, name) => text.split(name).join(''), label);

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`has no English label on ${platform}, and no role left to Electron's English`, () => {
      const items = walk(template('zh-CN', platform)).filter((item) => item.type !== 'separator');
      expect(items.length).toBeGreaterThan(25);
      for (const item of items) {
        // A role without a label would show Electron's built-in English text.
        expect(item.label, `${item.role ?? item.id} has a label`).toEqual(expect.any(String));
        const text = withoutNames(item.label!).replace(/\(&[A-Z]\)$/, '');
        expect(text, item.label).not.toMatch(/[A-Za-z]/);
      }
    });
  }

  it('reads as the renderer words it, with Windows-style mnemonics', () => {
    const zh = template('zh-CN', 'linux');
    expect(zh.map((m) => m.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '帮助(&H)']);
    const labels = walk(zh).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['切换山体阴影', '示例场地', '导入地形…', '打开项目…', '关于 Terra Twin', '退出', '浅色', '深色']));
    // Recent entries: file and folder names as they are, the kind in Chinese, '&' not a mnemonic.
    expect(labels).toContain(`dem.tif（地形，${resolve('/data/R&&D')}）`);
    expect(labels).toContain(`Flood study（项目，${resolve('/home/me')}）`);
  });

  it('keeps the same items, roles, ids and accelerators in every locale', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const shape = (locale: AppLocale) =>
        walk(template(locale, platform)).map(({ role, id, type, accelerator, checked, enabled }) => ({ role, id, type, accelerator, checked, enabled }));
      expect(shape('zh-CN')).toEqual(shape('en'));
    }
  });

  it('spells out Electron\'s Edit menu (its built-in labels are English only)', () => {
    const edit = (platform: NodeJS.Platform) =>
      (template('en', platform)[platform === 'darwin' ? 2 : 1]!.submenu as MenuItemConstructorOptions[]).map((i) => i.role ?? i.type);
    expect(edit('linux')).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'delete', 'separator', 'selectAll']);
    expect(edit('darwin')).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll']);
  });
});

describe('licences page', () => {
  it('is titled and tagged in the chosen language', () => {
    expect(licencesHtml('x')).toContain('<html lang="en">');
    expect(licencesHtml('x')).toContain('<title>Data licences \u2014 Terra Twin</title>');
    const zh = licencesHtml('x', 'zh-CN');
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<title>数据许可协议 \u2014 Terra Twin</title>');
  });
});

describe('renderer side', () => {
  it('names the menu in texts as the menu reads in each locale', () => {
    const strip = (label: string) => label.replace(/\(&\w\)$/, '').replace(/&/g, '');
    for (const locale of APP_LOCALES) {
      const t = MAIN_MESSAGES[locale];
      const path = MENU_PATH_TEXT[locale];
      expect(path.file, locale).toBe(strip(t.file));
      expect(path.importTerrain, locale).toBe(`${strip(t.file)} \u203a ${t.importTerrain}`);
      // Written without the dialog ellipsis: it names the command.
      expect(path.openProject, locale).toBe(`${strip(t.file)} \u203a ${t.openProject.replace(/\u2026$/, '')}`);
    }
  });
});
