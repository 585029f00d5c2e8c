import { defineErrors } from '../platform/errorCatalog.ts';

// The ledger's domain errors, each declared once.
type Unstorable = { path: string; reason: string; reasonZh: string };

export const LedgerErrors = defineErrors('ledger', {
  // an event part the store cannot keep byte-exact as it was hashed (storable.ts): 400, nothing written
  UNSTORABLE_VALUE: {
    status: 400,
    en: (p: Unstorable) =>
      `The record cannot be stored exactly as given: ${p.path} is ${p.reason}. Nothing was written.`,
    zh: (p: Unstorable) => `记录无法按原样保存:${p.path} 含有无法精确存储的值(${p.reasonZh})。未写入任何内容。`,
  },
});
