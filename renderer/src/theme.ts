/** Colours the 3D view needs as values (CSS variables cannot reach WebGL). */
import type { Theme } from './stores/view';

export const VIEW_BACKGROUND: Record<Theme, string> = {
  dark: '#1a2029',
  light: '#dde3ea',
};
