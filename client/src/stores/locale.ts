import { computed } from 'vue';
import { defineStore } from 'pinia';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import en from 'element-plus/es/locale/lang/en';
import { currentLocale, i18n, setLocale, SUPPORTED_LOCALES } from '@/locales';
import type { BilingualText, LocaleCode } from '@/api/types';

const ELEMENT_LOCALE = { 'zh-CN': zhCn, 'en-US': en } as const;

export const useLocaleStore = defineStore('locale', () => {
  const locale = computed<LocaleCode>(() => i18n.global.locale.value as LocaleCode);
  const elementLocale = computed(() => ELEMENT_LOCALE[locale.value]);

  function switchTo(next: LocaleCode) {
    setLocale(next);
  }

  /** Picks the current language of a {zh,en} text, falling back to the other one. */
  function pick(text: BilingualText | null | undefined): string {
    if (!text) return '';
    return (locale.value === 'zh-CN' ? text.zh || text.en : text.en || text.zh) ?? '';
  }

  /** Picks from a map keyed by locale code, e.g. role names. */
  function pickByCode(text: Partial<Record<LocaleCode, string>> | null | undefined): string {
    if (!text) return '';
    return text[locale.value] ?? text[currentLocale() === 'zh-CN' ? 'en-US' : 'zh-CN'] ?? '';
  }

  return { locale, elementLocale, locales: SUPPORTED_LOCALES, switchTo, pick, pickByCode };
});
