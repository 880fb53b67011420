/**
 * What the main process shows a user (the native menu, file dialogs, the
 * licences window) in the languages of the renderer (renderer/src/i18n),
 * whose wording the Chinese follows. English is the source: its keys type
 * every other catalogue, so a missing or extra key fails the type check.
 *
 * '&' marks a menu mnemonic; Chinese labels put it in brackets after the
 * word, the Windows convention ("文件(&F)"; macOS drops the bracket). {app},
 * {path} and the like are filled by `fill`. Roles get explicit labels too:
 * Electron's built-in role labels are English whatever the app's language.
 */
import type { AppLocale } from '../../src/api/desktop-api';

const en = {
  file: '&File',
  edit: '&Edit',
  view: '&View',
  window: '&Window',
  help: '&Help',

  openProject: 'Open Project\u2026',
  importTerrain: 'Import Terrain\u2026',
  openRecent: 'Open Recent',
  noRecent: 'No recent files',
  clearRecent: 'Clear Recent',
  recentEntry: '{name}  ({kind}, {folder})',
  recentProject: 'Project',
  recentTerrain: 'Terrain',
  sampleSites: 'Sample Sites',
  noSites: 'No sample sites installed',
  quit: 'Quit',

  undo: 'Undo',
  redo: 'Redo',
  cut: 'Cut',
  copy: 'Copy',
  paste: 'Paste',
  pasteAndMatchStyle: 'Paste and Match Style',
  delete: 'Delete',
  selectAll: 'Select All',

  toggleHillshade: 'Toggle Hillshade',
  resetCamera: 'Reset Camera',
  theme: 'Theme',
  light: 'Light',
  dark: 'Dark',
  reload: 'Reload',
  toggleDevTools: 'Toggle Developer Tools',
  resetZoom: 'Actual Size',
  zoomIn: 'Zoom In',
  zoomOut: 'Zoom Out',
  toggleFullScreen: 'Toggle Full Screen',

  minimize: 'Minimize',
  zoom: 'Zoom',
  front: 'Bring All to Front',

  about: 'About {app}',
  licences: 'Data Licences\u2026',

  services: 'Services',
  hide: 'Hide {app}',
  hideOthers: 'Hide Others',
  unhide: 'Show All',
  quitApp: 'Quit {app}',

  openProjectTitle: 'Open project',
  openProjectButton: 'Open project',
  importTerrainTitle: 'Import terrain',
  importButton: 'Import',
  terrainFiles: 'Terrain (GeoTIFF, ESRI ASCII, NetCDF, NumPy, JSON grid)',
  allFiles: 'All files',
  recentMissing: '{path} no longer exists.',
  recentMissingDetail: 'It has been removed from the recent list.',

  licencesTitle: 'Data licences \u2014 {app}',
  licencesHeading: 'Data licences',
  licencesUnreadable: 'Could not read {path}: {reason}',
  startFailed: '{app} could not start',
};

export type MainMessages = { readonly [K in keyof typeof en]: string };
export type MainMessageKey = keyof MainMessages;

const zhCN: MainMessages = {
  file: '文件(&F)',
  edit: '编辑(&E)',
  view: '视图(&V)',
  window: '窗口(&W)',
  help: '帮助(&H)',

  openProject: '打开项目…',
  importTerrain: '导入地形…',
  openRecent: '最近打开',
  noRecent: '无最近打开的文件',
  clearRecent: '清除最近打开记录',
  recentEntry: '{name}（{kind}，{folder}）',
  recentProject: '项目',
  recentTerrain: '地形',
  sampleSites: '示例场地',
  noSites: '未安装示例场地',
  quit: '退出',

  undo: '撤销',
  redo: '重做',
  cut: '剪切',
  copy: '复制',
  paste: '粘贴',
  pasteAndMatchStyle: '粘贴并匹配样式',
  delete: '删除',
  selectAll: '全选',

  toggleHillshade: '切换山体阴影',
  resetCamera: '重置视图',
  theme: '主题',
  light: '浅色',
  dark: '深色',
  reload: '重新加载',
  toggleDevTools: '切换开发者工具',
  resetZoom: '实际大小',
  zoomIn: '放大',
  zoomOut: '缩小',
  toggleFullScreen: '切换全屏',

  minimize: '最小化',
  zoom: '缩放',
  front: '前置全部窗口',

  about: '关于 {app}',
  licences: '数据许可协议…',

  services: '服务',
  hide: '隐藏 {app}',
  hideOthers: '隐藏其他',
  unhide: '全部显示',
  quitApp: '退出 {app}',

  openProjectTitle: '打开项目',
  openProjectButton: '打开项目',
  importTerrainTitle: '导入地形',
  importButton: '导入',
  terrainFiles: '地形（GeoTIFF、ESRI ASCII、NetCDF、NumPy、JSON 网格）',
  allFiles: '所有文件',
  recentMissing: '{path} 已不存在。',
  recentMissingDetail: '已将其从最近打开列表中移除。',

  licencesTitle: '数据许可协议 \u2014 {app}',
  licencesHeading: '数据许可协议',
  licencesUnreadable: '无法读取 {path}：{reason}',
  startFailed: '{app} 无法启动',
};

export const MAIN_MESSAGES: Readonly<Record<AppLocale, MainMessages>> = { en, 'zh-CN': zhCN };

export const APP_LOCALES = Object.keys(MAIN_MESSAGES) as AppLocale[];

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(MAIN_MESSAGES, value);
}

/** The start-up language, before the page names one: the renderer's rule (zh* gives zh-CN, anything else English). */
export function localeForSystem(language: string | undefined): AppLocale {
  return language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Replaces each {name} with its value; unknown names stay as written. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}

export type MainTranslate = (key: MainMessageKey, values?: Readonly<Record<string, string>>) => string;

/** `t(key, values)` for a locale: its text with the placeholders filled. */
export function mainText(locale: AppLocale): MainTranslate {
  const messages = MAIN_MESSAGES[locale];
  return (key, values = {}) => fill(messages[key], values);
}
