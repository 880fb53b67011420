/** Menu actions for tests of the menu template: each a vi.fn() to click and inspect. */
import { vi } from 'vitest';
import type { MenuActions } from '../../../electron/main/menu';

export function stubMenuActions(): MenuActions {
  return {
    send: vi.fn(),
    openProject: vi.fn(),
    importTerrain: vi.fn(),
    openRecent: vi.fn(),
    clearRecent: vi.fn(),
    setTheme: vi.fn(),
    showLicences: vi.fn(),
  };
}
