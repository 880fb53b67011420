/**
 * Process-wide security for the desktop shell (Electron security checklist):
 * a strict Content-Security-Policy on every response (the same policy serve
 * mode sends), every permission denied, no navigation away from our page, no
 * new windows (https links go to the system browser), no <webview>, and IPC
 * accepted only from our renderer's top frame.
 */
import { shell, type IpcMainEvent, type IpcMainInvokeEvent, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../src/server/static-files';
import { isExternalLinkAllowed, isRendererUrl, type RendererLocation } from './renderer-location';

/** CSP and permissions for a session (the default one: the app uses no other). */
export function secureSession(ses: Session): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Ours replace whatever the dev server (or anything else) sent.
      if (!/^(content-security-policy|x-content-type-options)$/i.test(name)) headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    console.warn(`[terra] denied a "${permission}" permission request`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/**
 * Navigation and window guards for one WebContents; index.ts applies it to
 * every WebContents ever created ('web-contents-created').
 */
export function guardWebContents(contents: WebContents, location: RendererLocation): void {
  const block = (event: { preventDefault(): void }, url: string, what: string) => {
    if (isRendererUrl(url, location)) return;
    event.preventDefault();
    openExternally(url, what);
  };
  contents.on('will-navigate', (event) => block(event, event.url, 'navigation'));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) block(event, event.url, 'frame navigation');
  });
  contents.on('will-redirect', (event) => {
    if (!isRendererUrl(event.url, location)) {
      console.warn(`[terra] blocked a redirect to ${event.url}`);
      event.preventDefault();
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, 'window.open');
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    console.warn('[terra] blocked a <webview>');
    event.preventDefault();
  });
}

/** https links open in the system browser; anything else is refused. */
function openExternally(url: string, what: string): void {
  if (isExternalLinkAllowed(url)) {
    shell.openExternal(url).catch((err: unknown) => console.warn(`[terra] could not open ${url}:`, err));
  } else {
    console.warn(`[terra] blocked ${what} to ${url}`);
  }
}

/** True when an IPC message comes from our renderer page's top frame. */
export function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent, location: RendererLocation): boolean {
  try {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isRendererUrl(frame.url, location);
  } catch {
    return false; // the frame was destroyed or navigated away meanwhile
  }
}
