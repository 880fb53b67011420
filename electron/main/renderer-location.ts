/**
 * Where the renderer page comes from, and whether a URL is that page. Pure:
 * used by the navigation guard and by every IPC sender check.
 */
import { pathToFileURL } from 'node:url';

export type RendererLocation =
  /** Development: the electron-vite dev server (ELECTRON_RENDERER_URL). */
  | { kind: 'url'; url: string }
  /** Built or packaged: out/renderer/index.html. */
  | { kind: 'file'; path: string };

/**
 * The dev server only when not packaged and only for a loopback http(s) URL:
 * a packaged app never loads a page named by the environment.
 */
export function rendererLocation(options: {
  isPackaged: boolean;
  devServerUrl: string | undefined;
  indexHtml: string;
}): RendererLocation {
  const { isPackaged, devServerUrl, indexHtml } = options;
  if (!isPackaged && devServerUrl && isLoopbackHttpUrl(devServerUrl)) return { kind: 'url', url: devServerUrl };
  return { kind: 'file', path: indexHtml };
}

/** True when `url` is our renderer page (any hash or query), and nothing else. */
export function isRendererUrl(url: string, location: RendererLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (location.kind === 'url') {
    const own = new URL(location.url);
    return parsed.origin === own.origin && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
  }
  if (parsed.protocol !== 'file:') return false;
  parsed.hash = '';
  parsed.search = '';
  return parsed.href === pathToFileURL(location.path).href;
}

function isLoopbackHttpUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (
      (protocol === 'http:' || protocol === 'https:') &&
      (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]')
    );
  } catch {
    return false;
  }
}

/** Links the app may hand to the system browser: https only. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
