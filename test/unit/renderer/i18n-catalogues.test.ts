/**
 * The explorer's message catalogues (renderer/src/i18n/messages): English and
 * Simplified Chinese hold exactly the same keys, no empty or blank message,
 * and the same {placeholders} per key (over all plural forms); every message
 * compiles and renders with vue-i18n, without warnings, and leaves no
 * placeholder unfilled; the Chinese is Chinese.
 */
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import en from '../../../renderer/src/i18n/messages/en';
import zhCN from '../../../renderer/src/i18n/messages/zh-CN';

type Tree = { readonly [key: string]: string | Tree };

/** Every string leaf, by its dotted key. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = `${prefix}${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, `${path}.`)) out.set(k, v);
  }
  return out;
}

/** Names of the {placeholders}; literal interpolations such as {'|'} are not names. */
function placeholders(message: string): string[] {
  const names = [...message.matchAll(/\{\s*([^{}'\s][^{}]*?)\s*\}/g)].map((m) => m[1]!);
  return [...new Set(names)].sort();
}

/** Plural forms, split on | outside literal interpolations ({'|'}). */
function forms(message: string): string[] {
  return message.split(/(?<!\{')\|(?!'\})/);
}

const english = leaves(en);
const chinese = leaves(zhCN);

describe('message catalogues', () => {
  it('have exactly the same keys', () => {
    expect([...chinese.keys()].filter((k) => !english.has(k))).toEqual([]);
    expect([...english.keys()].filter((k) => !chinese.has(k))).toEqual([]);
    expect(english.size).toBeGreaterThan(300);
  });

  it('have no empty or blank messages, nor blank plural forms', () => {
    for (const [name, catalogue] of [['en', english], ['zh-CN', chinese]] as const) {
      const blank = [...catalogue].filter(([, text]) => forms(text).some((form) => form.trim() === '')).map(([key]) => `${name} ${key}`);
      expect(blank).toEqual([]);
    }
  });

  it('use the same placeholders per key', () => {
    const mismatched = [...english]
      .map(([key, text]) => ({ key, en: placeholders(text), zh: placeholders(chinese.get(key) ?? '') }))
      .filter(({ en: a, zh: b }) => a.join() !== b.join());
    expect(mismatched).toEqual([]);
  });

  it('give Chinese one form for each plural message, and every form the same placeholders in English', () => {
    for (const [key, text] of english) {
      const parts = forms(text);
      if (parts.length === 1) continue;
      expect(parts.length, key).toBeLessThanOrEqual(3);
      expect(forms(chinese.get(key)!), `zh-CN ${key}`).toHaveLength(1);
      // A zero form may leave the count out; one and many name the same values.
      const [one, many] = parts.slice(-2).map((p) => placeholders(p).filter((n) => n !== 'n').join());
      expect(one, key).toBe(many);
    }
  });

  it('write Chinese in Chinese: no Latin word of 3+ letters but abbreviations, units, names and commands', () => {
    // Shown as they are in every language: abbreviations, units, file formats and the product.
    const asIs = new Set(
      ['CSI', 'POD', 'FAR', 'NSE', 'RMSE', 'MLP', 'Net', 'CSV', 'PNG', 'CPU', 'GPU', 'UTC', 'ARR', 'min', 'hPa', 'TensorFlow', 'WebGL'].concat(
        ['GeoTIFF', 'ESRI', 'ASCII', 'NetCDF', 'NumPy', 'JSON', 'Terra', 'Twin'],
      ),
    );
    const english = [...chinese].flatMap(([key, text]) =>
      (text.replace(/\{[^}]*\}/g, ' ').match(/[A-Za-z]{3,}/g) ?? []).filter((word) => !asIs.has(word)).map((word) => `${key}: ${word}`),
    );
    expect(english).toEqual([]);
  });

  it('compile and render every message in both languages, without warnings and with every placeholder filled', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const i18n = createI18n({ legacy: false, locale: 'en', fallbackLocale: 'en', messages: { en, 'zh-CN': zhCN }, pluralRules: { 'zh-CN': () => 0 } });
      const t = i18n.global.t as unknown as (key: string, named: Record<string, unknown>, plural: number) => string;
      for (const locale of ['en', 'zh-CN'] as const) {
        i18n.global.locale.value = locale;
        for (const [key, text] of locale === 'en' ? english : chinese) {
          const named = Object.fromEntries(placeholders(text).map((n) => [n, `<${n}>`]));
          for (const count of [0, 1, 2]) {
            const out = t(key, named, count);
            expect(out, `${locale} ${key}`).not.toBe(key);
            expect(out.trim(), `${locale} ${key}`).not.toBe('');
            // Named values are filled in; only literal interpolations remained braces, and they are rendered.
            expect(out, `${locale} ${key}`).not.toMatch(/\{[^}]*\}/);
          }
        }
      }
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('render plural forms by count in English and one form in Chinese', () => {
    const i18n = createI18n({ legacy: false, locale: 'en', messages: { en, 'zh-CN': zhCN }, pluralRules: { 'zh-CN': () => 0 } });
    const t = i18n.global.t as unknown as (key: string, plural: number) => string;
    expect(t('scenario.frames', 1)).toBe('1 frame');
    expect(t('scenario.frames', 41)).toBe('41 frames');
    expect(t('scenario.cancelled', 0)).toBe('Cancelled: no frames were received.');
    expect(t('scenario.cancelled', 7)).toBe('Cancelled: the 7 frames received are kept.');
    i18n.global.locale.value = 'zh-CN';
    expect(t('scenario.frames', 41)).toBe('41 帧');
    expect(t('scenario.cancelled', 7)).toBe('已取消：保留已收到的 7 帧。');
    expect(t('weather.outcome.windValue' as string, 3)).toContain('|散度|');
  });
});
