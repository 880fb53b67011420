/**
 * Items of the desktop app's native menu, named in texts as they read there.
 * The menu follows the page's language (electron/main/menu-messages.ts, whose
 * labels test/unit/desktop/menu-locale.test.ts holds these to). No DOM and no
 * Vue here, so that Node test can import it.
 */
export interface MenuPaths {
  file: string;
  importTerrain: string;
  openProject: string;
}

export const MENU_PATH_TEXT: Readonly<Record<'en' | 'zh-CN', MenuPaths>> = {
  en: { file: 'File', importTerrain: 'File \u203a Import Terrain\u2026', openProject: 'File \u203a Open Project' },
  'zh-CN': { file: '文件', importTerrain: '文件 \u203a 导入地形\u2026', openProject: '文件 \u203a 打开项目' },
};
