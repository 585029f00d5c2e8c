import { useI18n } from 'vue-i18n';

// The auditor's record view reads like the record's PDF (issue 15 item 10): fields under names in
// the reader's language, and the ids, hashes and versions that tie a record to the ledger kept
// apart in a technical section rather than mixed into the business fields.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{32,}$/i;
const TECHNICAL_KEY =
  /^(?:_?id|stream|signatureId|contentHash|hash|prevHash|sha256|certFingerprint|ledgerVersion|version|iteration)$|Ids?$|Hash$|Sha256$/;

/** Ledger bookkeeping rather than business content: ids, hashes, versions, uuid or hash values. */
export function isTechnical(key: string, value: unknown): boolean {
  if (TECHNICAL_KEY.test(key)) return true;
  return typeof value === 'string' && (UUID.test(value) || HEX.test(value));
}

/** "plannedStart" → "Planned start": the fallback name of a field without a translation. */
export const humanize = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]/g, ' ')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

/** A field's name in the reader's language (portalFields namespace), else the key made readable. */
export function useFieldLabels() {
  const { t, te } = useI18n();
  return (key: string) => (te(`portalFields.${key}`) ? t(`portalFields.${key}`) : humanize(key));
}
