import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { useLocaleStore } from '@/stores/locale';
import unitList from '@/locales/en-US/units.json';

/** A display label beside a stable name or code (server platform/labels.ts): either language may be missing. */
export interface Label {
  en?: string;
  zh?: string;
}

/** The unit codes of the server's unit list (platform/units.ts; a server test keeps the locale files equal to it). */
export const UNIT_CODES = Object.keys(unitList.symbol);

/**
 * Names a user reads in their language (issue 15 item 8): a label in the current language, else the
 * other one, else the stable name; a unit code through the `units` locale namespace (件, 千克 …),
 * a unit outside the list (a capture's kPa, °C) as it is written.
 */
export function useLabels() {
  const { t, te } = useI18n();
  const localeStore = useLocaleStore();
  const label = (l: Label | null | undefined, name: string) =>
    localeStore.pick({ zh: l?.zh ?? '', en: l?.en ?? '' }) || name;
  const unit = (code: string | null | undefined) =>
    code && te(`units.symbol.${code}`) ? t(`units.symbol.${code}`) : (code ?? '');
  const unitOptions = computed(() =>
    UNIT_CODES.map((code) => ({ value: code, label: `${t(`units.symbol.${code}`)} · ${t(`units.name.${code}`)}` })),
  );
  return { label, unit, unitOptions };
}
