import { defineErrors } from '../../platform/errorCatalog.ts';

// The suppliers context's domain errors, each declared once in both UI languages.
type Who = { supplier: string };
export const E = defineErrors('suppliers', {
  QUALIFICATION_UNCHANGED: {
    status: 409,
    en: (p: { status: string }) => `The supplier is already ${p.status}.`,
    zh: (p) => `该供应商已是"${p.status}"状态。`,
  },
  SUPPLIER_DISQUALIFIED: {
    status: 409,
    en: (p: Who) => `Supplier ${p.supplier} is disqualified.`,
    zh: (p) => `供应商 ${p.supplier} 已被取消资格。`,
  },
  SUPPLIER_NOT_APPROVED: {
    status: 409,
    en: (p: Who) => `Supplier ${p.supplier} is not qualified yet.`,
    zh: (p) => `供应商 ${p.supplier} 尚未通过资格认定。`,
  },
  SUPPLIER_NOT_APPROVED_FOR_ITEM: {
    status: 409,
    en: (p: Who & { item: string }) => `Supplier ${p.supplier} is not on the approved supplier list for ${p.item}.`,
    zh: (p) => `供应商 ${p.supplier} 不在物料 ${p.item} 的合格供方名录中。`,
  },
});
