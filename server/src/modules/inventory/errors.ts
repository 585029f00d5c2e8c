import { defineErrors } from '../../platform/errorCatalog.ts';

// The inventory context's domain errors, each declared once. The lot lifecycle (lot.lifecycle.ts)
// turns the state rules among them into its refusals; the incoming inspection (inspection/) uses
// the inspection gates of a lot's release from here, since the rule is the lot's. Where goods may
// go (LOCATION_NOT_ALLOWED) is master data's code (items/errors.ts), said here for a lot's status.
interface LotRef {
  lotNumber: string;
}
type Status = { status: string };

export const InventoryErrors = defineErrors('inventory', {
  LOT_NOT_RELEASED: {
    status: 409,
    en: (p: LotRef & Status) => `Lot ${p.lotNumber} is ${p.status}, not released.`,
    zh: (p: LotRef & Status) => `批次 ${p.lotNumber} 处于"${p.status}"状态,未放行。`,
  },
  LOT_EXPIRED: {
    status: 409,
    en: (p: LotRef & { expiryDate: string | null }) => `Lot ${p.lotNumber} expired on ${p.expiryDate}.`,
    zh: (p: LotRef & { expiryDate: string | null }) => `批次 ${p.lotNumber} 已于 ${p.expiryDate} 过期。`,
  },
  /** A QA decision or a hold on a lot in a status it does not apply to. */
  LOT_WRONG_STATUS: {
    status: 409,
    en: (p: Status & { action: string }) => `Cannot ${p.action} a lot that is ${p.status}.`,
    zh: (p: Status & { action: string }) =>
      p.action === 'hold' ? `批次处于"${p.status}"状态,不能冻结。` : `批次处于"${p.status}"状态,不能执行该操作。`,
  },
  INSUFFICIENT_QUANTITY: {
    status: 409,
    en: (p: LotRef & { location: string; available: number; requested: number; unit: string }) =>
      `Only ${p.available} ${p.unit} of lot ${p.lotNumber} at ${p.location}; ${p.requested} requested.`,
    zh: (p: LotRef & { location: string; available: number; requested: number; unit: string }) =>
      `批次 ${p.lotNumber} 在 ${p.location} 仅有 ${p.available} ${p.unit},请求 ${p.requested}。`,
  },
  NOTHING_TO_SCRAP: { status: 409, en: 'There is nothing left of this lot to scrap.', zh: '该批次已无可报废数量。' },
  // 21 CFR 820.80(d), ISO 13485 8.2.6: product leaves quarantine only on the acceptance activities' result
  INSPECTION_NOT_COMPLETE: {
    status: 409,
    en: 'The incoming inspection has no result yet; the lot cannot leave quarantine.',
    zh: '进货检验尚无结果,批次不能解除待检。',
  },
  INSPECTION_FAILED: {
    status: 409,
    en: 'The lot failed its inspection; reject it or decide conditional use.',
    zh: '该批次检验不合格,请拒收或作让步接收。',
  },
  LOCATION_INACTIVE: {
    status: 409,
    en: (p: { location: string }) => `Location ${p.location} is deactivated.`,
    zh: (p: { location: string }) => `库位 ${p.location} 已停用。`,
  },
  CUSTOMER_INACTIVE: {
    status: 409,
    en: (p: { customer: string }) => `Customer ${p.customer} is deactivated.`,
    zh: (p: { customer: string }) => `客户 ${p.customer} 已停用。`,
  },
  RETURN_EXCEEDS_SHIPPED: {
    status: 409,
    en: (p: LotRef & { customer: string; inField: number; requested: number }) =>
      `Lot ${p.lotNumber}: customer ${p.customer} has ${p.inField} in the field; ${p.requested} cannot be returned.`,
    zh: (p: LotRef & { customer: string; inField: number; requested: number }) =>
      `批次 ${p.lotNumber}:客户 ${p.customer} 在用数量为 ${p.inField},不能退回 ${p.requested}。`,
  },
  NOT_A_SERIAL: {
    status: 409,
    en: 'Only serialized units are shipped one by one.',
    zh: '只有序列号管理的产品才能逐台发货。',
  },
});
