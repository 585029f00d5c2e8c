import { defineErrors } from '../../platform/errorCatalog.ts';

// The sales context's domain errors, each declared once.
export const SalesErrors = defineErrors('sales', {
  SO_WRONG_STATE: {
    status: 409,
    en: (p: { action: string; status: string }) => `A ${p.status} sales order cannot be ${p.action}.`,
    zh: (p: { action: string; status: string }) => `"${p.status}"状态的销售订单不能执行"${p.action}"。`,
  },
  SO_LINE_UNKNOWN: { status: 404, en: 'The sales order has no such line.', zh: '销售订单没有该行。' },
  SO_OVER_ORDERED: {
    status: 409,
    en: (p: { requested: number; open: number }) =>
      `${p.requested} is more than the ${p.open} still to allocate on this line.`,
    zh: (p: { requested: number; open: number }) => `数量 ${p.requested} 超过该行尚待分配的 ${p.open}。`,
  },
  SO_NOT_AVAILABLE: {
    status: 409,
    en: (p: { requested: number; available: number }) =>
      `Only ${p.available} released, unexpired, unreserved stock is available; ${p.requested} asked.`,
    zh: (p: { requested: number; available: number }) =>
      `可用(已放行、未过期、未预留)库存仅 ${p.available},申请 ${p.requested}。`,
  },
  SO_LOT_NOT_ALLOCATABLE: {
    status: 409,
    en: (p: { lotNumber: string; status: string }) =>
      `Lot ${p.lotNumber} (${p.status}) is not released, unexpired stock of this line's item.`,
    zh: (p: { lotNumber: string; status: string }) =>
      `批次 ${p.lotNumber}(${p.status})不是本行物料的已放行、未过期库存。`,
  },
  SO_SERIAL_WHOLE: {
    status: 400,
    en: 'A serialized unit is allocated and shipped whole (quantity 1).',
    zh: '序列号产品只能整台分配和发货(数量为 1)。',
  },
  SO_OVER_SHIPPED: {
    status: 409,
    en: (p: { lotNumber: string; requested: number; allocated: number }) =>
      `Lot ${p.lotNumber}: ${p.requested} is more than the ${p.allocated} allocated and not yet shipped.`,
    zh: (p: { lotNumber: string; requested: number; allocated: number }) =>
      `批次 ${p.lotNumber}:发货数量 ${p.requested} 超过已分配未发货的 ${p.allocated}。`,
  },
  SO_NOTHING_TO_SHIP: {
    status: 409,
    en: 'Nothing allocated is left to ship.',
    zh: '没有已分配待发货的数量。',
  },
  SO_SHIPMENT_UNKNOWN: {
    status: 404,
    en: 'No undelivered shipment of this order has that id.',
    zh: '该订单没有此未签收的发货单。',
  },
  SO_DELIVERY_BEFORE_SHIPMENT: {
    status: 400,
    en: 'A delivery cannot be dated before its shipment.',
    zh: '签收日期不能早于发货日期。',
  },
});
