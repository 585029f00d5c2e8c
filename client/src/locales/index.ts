import { createI18n } from 'vue-i18n';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import utc from 'dayjs/plugin/utc';
import type { LocaleCode } from '@/api/types';

dayjs.extend(utc);

export const SUPPORTED_LOCALES: LocaleCode[] = ['zh-CN', 'en-US'];
const STORAGE_KEY = 'provenant.locale';
const DAYJS_LOCALE: Record<LocaleCode, string> = { 'zh-CN': 'zh-cn', 'en-US': 'en' };

// One JSON per namespace per locale: locales/<locale>/<namespace>.json → messages[locale][namespace].
const files = import.meta.glob<Record<string, unknown>>('./*/*.json', { eager: true, import: 'default' });
const messages: Record<string, Record<string, unknown>> = {};
for (const [path, content] of Object.entries(files)) {
  const [, locale, namespace] = /\.\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
  if (locale && namespace) (messages[locale] ??= {})[namespace] = content;
}

function initialLocale(): LocaleCode {
  const stored = localStorage.getItem(STORAGE_KEY) as LocaleCode | null;
  if (stored && SUPPORTED_LOCALES.includes(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en-US',
  messages: messages as never,
  missingWarn: false,
  fallbackWarn: false,
});

/** Switches vue-i18n, dayjs and (through App.vue) Element Plus together, and remembers the choice. */
export function setLocale(locale: LocaleCode) {
  i18n.global.locale.value = locale;
  dayjs.locale(DAYJS_LOCALE[locale]);
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** `t` outside components (the request module's toasts). */
export function translate(key: string): string {
  return (i18n.global as unknown as { t: (key: string) => string }).t(key);
}

export function currentLocale(): LocaleCode {
  return i18n.global.locale.value as LocaleCode;
}

setLocale(currentLocale());
