/**
 * Help > Data Licences: assets/LICENSES.md in a small read-only window. The
 * page is generated text in a data: URL with JavaScript disabled, no preload
 * and a CSP that forbids everything but inline styles.
 */
import { readFileSync } from 'node:fs';
import { BrowserWindow, dialog } from 'electron';
import type { AppLocale } from '../../src/api/desktop-api';
import { mainText } from './menu-messages';

let open: BrowserWindow | null = null;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's <title> becomes the window's title (nothing stops page-title-updated here). */
export function licencesHtml(markdown: string, locale: AppLocale = 'en'): string {
  const title = mainText(locale)('licencesTitle', { app: 'Terra Twin' });
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
  :root { color-scheme: light dark; }
  body { margin: 0; padding: 16px 20px; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
</style></head>
<body><pre>${escapeHtml(markdown)}</pre></body></html>`;
}

export function showLicencesWindow(parent: BrowserWindow | null, licencesFile: string, locale: AppLocale = 'en'): void {
  const t = mainText(locale);
  if (open && !open.isDestroyed()) {
    open.focus();
    return;
  }
  let markdown: string;
  try {
    markdown = readFileSync(licencesFile, 'utf8');
  } catch (err) {
    dialog.showErrorBox(t('licencesHeading'), t('licencesUnreadable', { path: licencesFile, reason: (err as Error).message }));
    return;
  }
  const win = new BrowserWindow({
    width: 820,
    height: 560,
    title: t('licencesTitle', { app: 'Terra Twin' }),
    ...(parent && !parent.isDestroyed() ? { parent } : {}),
    autoHideMenuBar: true,
    show: false,
    webPreferences: {
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    },
  });
  win.setMenu(null);
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (open === win) open = null;
  });
  open = win;
  void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(licencesHtml(markdown, locale))}`);
}
