import { defineErrors } from '../../platform/errorCatalog.ts';

// Master data's domain errors (items, locations, customers), each declared once in both UI
// languages. Other contexts that refuse an inactive item or a location throw these.
export const E = defineErrors('masterdata', {
  ITEM_INACTIVE: {
    status: 409,
    en: (p: { partNumber: string }) => `Item ${p.partNumber} is deactivated.`,
    zh: (p) => `物料 ${p.partNumber} 已停用。`,
  },
  /** A GTIN (UDI-DI) identifies one trade item for ever (GS1; 21 CFR 830.50). */
  GTIN_IN_USE: {
    status: 409,
    en: (p: { gtin: string }) => `GTIN ${p.gtin} already identifies another item.`,
    zh: (p) => `GTIN ${p.gtin} 已用于另一物料。`,
  },
  NO_QUARANTINE_LOCATION: {
    status: 409,
    en: 'No active quarantine location is set up.',
    zh: '尚未设置可用的待检库位。',
  },
  /** Which locations may take the goods is the caller's rule (receipts: quarantine; moves: by lot status): it says it in both languages. */
  LOCATION_NOT_ALLOWED: { status: 409, en: (p: { en: string; zh: string }) => p.en, zh: (p) => p.zh },
});
