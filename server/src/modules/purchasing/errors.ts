import { defineErrors } from '../../platform/errorCatalog.ts';

// The purchasing context's domain errors, each declared once in both UI languages.
type Po = { number: string; state: string };
export const E = defineErrors('purchasing', {
  PO_NOT_PENDING_APPROVAL: {
    status: 409,
    en: (p: Po) => `PO ${p.number} is ${p.state}, not waiting for approval.`,
    zh: (p) => `采购订单 ${p.number} 处于"${p.state}"状态,不在待批准中。`,
  },
  PO_NOT_APPROVED: {
    status: 409,
    en: (p: Po) => `PO ${p.number} is ${p.state}; only approved orders are received.`,
    zh: (p) => `采购订单 ${p.number} 处于"${p.state}"状态,只有已批准的订单才能收货。`,
  },
  OVER_RECEIPT: {
    status: 409,
    en: (p: { number: string; lineNo: number; open: number; unit: string; quantity: number }) =>
      `Line ${p.lineNo} of PO ${p.number} has ${p.open} ${p.unit} open; ${p.quantity} cannot be received.`,
    zh: (p) => `采购订单 ${p.number} 第 ${p.lineNo} 行未交数量为 ${p.open} ${p.unit},不能收货 ${p.quantity}。`,
  },
  RECEIPT_EXPIRED: {
    status: 409,
    en: (p: { lineNo: number; expiry: string }) => `Line ${p.lineNo}: the goods expired on ${p.expiry}.`,
    zh: (p) => `第 ${p.lineNo} 行:货物已于 ${p.expiry} 过期。`,
  },
  REQUISITION_NOT_OPEN: {
    status: 409,
    en: (p: Po) => `Requisition ${p.number} is ${p.state}.`,
    zh: (p) => `请购单 ${p.number} 处于"${p.state}"状态。`,
  },
  REQUISITION_NOT_ORDERED_BY_PO: {
    status: 409,
    en: 'A requisition is ordered by creating a purchase order from it (POST /purchase-orders with its requisitionId).',
    zh: '请购单通过据其创建采购订单来下单(POST /purchase-orders 并填写 requisitionId)。',
  },
});
