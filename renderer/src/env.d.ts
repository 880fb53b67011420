/// <reference types="vite/client" />
import type { DesktopApi } from '@api';

declare global {
  interface Window {
    /** Present in the desktop app (exposed by the preload); absent in a browser. */
    terra?: DesktopApi;
  }
}

export {};
