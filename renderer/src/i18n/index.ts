/**
 * The explorer's languages: English and Simplified Chinese. One vue-i18n
 * instance in Composition mode (no legacy API); its messages are compiled
 * just in time to an AST and evaluated without eval or new Function, so the
 * page's Content Security Policy (renderer/index.html) holds.
 *
 * The English catalogue is the source: its shape types every key, and the
 * placeholders in its text type the named values, of `t` (vue-i18n's own `t`
 * takes any string). Components call `useI18nText()`; stores and other
 * modules outside components call `translate()`, which reads the same
 * global locale and so re-evaluates in computeds when it changes.
 *
 * The choice is kept in localStorage (`terra-twin.locale`); until the user
 * makes one, it follows navigator.language (zh* gives zh-CN, anything else
 * English). `document.documentElement.lang` always names the locale on show.
 */
import { watch, type Ref } from 'vue';
import { createI18n, useI18n } from 'vue-i18n';
import en, { type Catalogue } from './messages/en';
import zhCN from './messages/zh-CN';
import { MENU_PATH_TEXT } from './menu-paths';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language in its own name, for the header's switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export const LOCALE_KEY = 'terra-twin.locale';

/** The native menu's items as they read in the locale on show (reactive: each read follows the locale). */
export const MENU_PATHS = {
  get file(): string {
    return MENU_PATH_TEXT[currentLocale()].file;
  },
  get importTerrain(): string {
    return MENU_PATH_TEXT[currentLocale()].importTerrain;
  },
  get openProject(): string {
    return MENU_PATH_TEXT[currentLocale()].openProject;
  },
};

/** The locale for a stored choice and the browser's language: a valid stored choice wins, then zh* gives zh-CN. */
export function pickLocale(stored: string | null, language: string | undefined): Locale {
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  return language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function storedLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_KEY);
  } catch {
    return null; // storage blocked: follow the browser
  }
}

export const i18n = createI18n<[Catalogue], Locale, false>({
  legacy: false,
  locale: pickLocale(storedLocale(), globalThis.navigator?.language),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  // Chinese has one form: every count reads the same message.
  pluralRules: { 'zh-CN': () => 0 },
});

/** The locale on show (reactive). */
export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

/** Shows `locale`, remembers it for the next start, and names it on <html lang>. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  try {
    localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    // Not kept across starts where storage is blocked; the page still switches.
  }
  document.documentElement.lang = locale;
}

// The desktop app's native menu follows the page: main is told the locale at
// start and on every change, however it is set. No window.terra in a browser.
watch(
  i18n.global.locale,
  (locale) => {
    globalThis.window?.terra?.setLocale(locale);
  },
  { immediate: true },
);

/** Names the start-up locale on <html lang> (index.html says "en"). */
export function applyDocumentLocale(): void {
  document.documentElement.lang = currentLocale();
}

// ---- Keys and named values, typed from the English catalogue ----

type Messages = typeof en;

/** "a.b.c" for every string leaf of T. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<Messages>;

type At<T, K extends string> = K extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<T[Head], Rest>
    : never
  : K extends keyof T
    ? T[K]
    : never;

/** Names of the {placeholders} in a message; literals such as {'|'} are not names. */
type Placeholders<S> = S extends `${string}{${infer Name}}${infer Rest}` ? (Name extends `'${string}` ? never : Name) | Placeholders<Rest> : never;

type Text<K extends MessageKey> = At<Messages, K>;
type Names<K extends MessageKey> = Placeholders<Text<K>>;
/** Plural messages list their forms with " | "; the count also fills {n}. */
type IsPlural<K extends MessageKey> = Text<K> extends `${string} | ${string}` ? true : false;
type Values<N extends string> = { [P in N]: string | number };

export type TranslateArgs<K extends MessageKey> =
  IsPlural<K> extends true
    ? [Exclude<Names<K>, 'n'>] extends [never]
      ? [count: number]
      : [named: Values<Exclude<Names<K>, 'n'>>, count: number]
    : [Names<K>] extends [never]
      ? []
      : [named: Values<Names<K>>];

export type Translate = <K extends MessageKey>(key: K, ...args: TranslateArgs<K>) => string;

/** Keys of messages that take no values: for tables of labels (`t(row.label)`). */
export type PlainKey = { [K in MessageKey]: TranslateArgs<K> extends [] ? K : never }[MessageKey];

/** A key, checked: for props that take a key path (vue-i18n's <I18nT keypath>). */
export function key<K extends MessageKey>(k: K): K {
  return k;
}

type RawTranslate = (key: string, ...args: unknown[]) => string;

/** `t` outside components (stores, composables): the global locale, reactive in computeds. */
export const translate: Translate = (k, ...args) => (i18n.global.t as unknown as RawTranslate)(k, ...args);

/** useI18n() for components: the global locale, with `t` typed by the English catalogue. */
export function useI18nText(): { t: Translate; locale: Ref<Locale> } {
  const { t, locale } = useI18n({ useScope: 'global' });
  return { t: t as unknown as Translate, locale: locale as Ref<Locale> };
}
