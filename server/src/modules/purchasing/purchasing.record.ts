import type { LedgerEvent } from '../../ledger/event.ts';
import { AppError, domainError } from '../../platform/errors.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT, type SignatureData } from '../../../../signatures/esign/service.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { amountOf, sumQty } from '../../platform/fields.ts';
import type { Bilingual } from '../items/item.record.ts';

// Purchasing: requisitions (`requisition:<id>`), purchase orders (`po:<id>`) and the approval
// threshold setting (`purchasing_setting:approval`). A PO above the threshold is approved by an
// e-signature "approved" of someone other than its author; receipts are events on the PO that
// claim the received quantity (so two receipts can never over-receive a line together).
export const PO_STATUSES = ['draft', 'pending_approval', 'approved', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export type PoStatus = (typeof PO_STATUSES)[number];

export const PO_EVENTS = [
  'po.created', // {number, supplier, currency, lines, requisitionId}
  'po.issued', // {total, threshold, needsApproval}
  SIGNATURE_EVENT, // approved
  'po.approved', // {signatureId | null, automatic}
  'po.receiptRecorded', // {receiptId, location, lines: [{lineNo, quantity, lotIds, lotNumber, supplierLot, mfgDate, expiryDate, coaRef, serials}]}
  'po.closed', 'po.cancelled', // reason on the event
] as const;

export interface PoLine { lineNo: number; itemId: string; partNumber: string; name: Bilingual; unit: string; quantity: number; unitPrice: number; dueDate: string; received: number }
export interface ReceiptLine { lineNo: number; quantity: number; lotIds: string[]; lotNumber: string; supplierLot: string; mfgDate: string | null; expiryDate: string | null; coaRef: string | null; serials: string[] | null; inspectionId: string }
export interface Receipt { id: string; at: string; by: string; location: string; lines: ReceiptLine[] }
export interface PoState {
  id: string; number: string; supplier: { code: string; name: Bilingual }; currency: string; lines: PoLine[]; total: number;
  status: PoStatus; requisitionId: string | null; createdBy: { id: string; name: string }; createdAt: string; issuedAt: string | null;
  needsApproval: boolean; threshold: number | null;
  approval: { by: string; at: string; signatureId: string | null; automatic: boolean } | null;
  receipts: Receipt[]; lastSignature: { id: string; by: string; at: string } | null; closeReason: string | null;
}
export type PoDoc = Projected<PoState>;

export interface RequisitionState {
  id: string; number: string; requestedBy: { id: string; name: string }; createdAt: string; note: string;
  lines: Array<{ itemId: string; partNumber: string; name: Bilingual; quantity: number; needBy: string }>;
  status: 'open' | 'ordered' | 'cancelled'; poId: string | null; poNumber: string | null;
}
export type RequisitionDoc = Projected<RequisitionState>;

export const POS = 'purchase_orders';
export const REQUISITIONS = 'requisitions';
declareIndexes(POS, [{ key: { number: 1 }, name: 'number' }, { key: { status: 1 }, name: 'status' }, { key: { 'supplier.code': 1 }, name: 'supplier' }]);
declareIndexes(REQUISITIONS, [{ key: { status: 1 }, name: 'status' }]);

/** The order's value, to the cent (computed exactly: no float drift on many lines). */
export const poTotal = amountOf;

/** What a signature on a PO binds to: everything but the signature itself. */
const poContent = ({ lastSignature: _l, ...rest }: PoState) => rest;

function reducePo(s: PoState | undefined, e: LedgerEvent): PoState {
  const d = e.data as Record<string, any>;
  if (e.type === 'po.created') {
    const lines = (d.lines as PoLine[]).map((l) => ({ ...l, received: 0 }));
    return { id: e.stream.slice(3), number: d.number, supplier: d.supplier, currency: d.currency, lines, total: poTotal(lines), status: 'draft',
      requisitionId: d.requisitionId ?? null, createdBy: { id: e.actor.id, name: e.actor.name }, createdAt: e.at, issuedAt: null, needsApproval: false,
      threshold: null, approval: null, receipts: [], lastSignature: null, closeReason: null };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before po.created`);
  switch (e.type) {
    case 'po.issued': return { ...s, status: d.needsApproval ? 'pending_approval' : s.status, issuedAt: e.at, needsApproval: d.needsApproval, threshold: d.threshold };
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, e, poContent)) return s;
      const sig = d as SignatureData;
      return { ...s, lastSignature: { id: sig.signatureId, by: sig.signer.name, at: sig.signedAt } };
    }
    case 'po.approved':
      // approved on issue under the threshold, or by the counted approval signature
      if (s.status !== 'pending_approval' && !(d.automatic && !s.needsApproval)) return s;
      if (!d.automatic && s.lastSignature?.id !== d.signatureId) return s;
      return { ...s, status: 'approved', approval: { by: e.actor.name, at: e.at, signatureId: d.signatureId ?? null, automatic: !!d.automatic } };
    case 'po.receiptRecorded': {
      const got = new Map<number, number>();
      for (const l of d.lines as ReceiptLine[]) got.set(l.lineNo, sumQty(got.get(l.lineNo) ?? 0, l.quantity));
      const lines = s.lines.map((l) => ({ ...l, received: sumQty(l.received, got.get(l.lineNo) ?? 0) }));
      const done = lines.every((l) => l.received >= l.quantity);
      return { ...s, lines, status: done ? 'received' : 'partially_received', receipts: [...s.receipts, { id: d.receiptId, at: e.at, by: e.actor.name, location: d.location, lines: d.lines }] };
    }
    case 'po.closed': return { ...s, status: 'closed', closeReason: e.reason ?? null };
    case 'po.cancelled': return { ...s, status: 'cancelled', closeReason: e.reason ?? null };
    default: return s;
  }
}

export const poRecord = defineRecordType<PoState>({
  type: 'po',
  collection: POS,
  reduce: reducePo,
  content: poContent,
  author: (s) => s.createdBy.id,
  canSign(user, meaning, s) {
    if (meaning !== 'approved' || !hasPermission(user, 'purchasing.approve')) return new AppError('SIGNATURE_NOT_ALLOWED', { meaning });
    if (s.status !== 'pending_approval') return domainError('PO_NOT_PENDING_APPROVAL', `PO ${s.number} is ${s.status}, not waiting for approval.`, `采购订单 ${s.number} 处于"${s.status}"状态,不在待批准中。`);
    return null;
  },
  afterSignature: (s, meaning) => (meaning === 'approved' && s.status === 'pending_approval' && s.lastSignature
    ? [{ type: 'po.approved', data: { signatureId: s.lastSignature.id, automatic: false } }] : []),
});

export const requisitionRecord = defineRecordType<RequisitionState>({
  type: 'requisition',
  collection: REQUISITIONS,
  reduce(s, e) {
    const d = e.data as Record<string, any>;
    if (e.type === 'requisition.created') {
      return { id: e.stream.slice('requisition:'.length), number: d.number, requestedBy: { id: e.actor.id, name: e.actor.name }, createdAt: e.at, note: d.note, lines: d.lines, status: 'open', poId: null, poNumber: null };
    }
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before requisition.created`);
    if (e.type === 'requisition.ordered') return { ...s, status: 'ordered', poId: d.poId, poNumber: d.poNumber };
    if (e.type === 'requisition.cancelled') return { ...s, status: 'cancelled' };
    return s;
  },
  content: (s) => s,
});

export interface SettingState { approvalThresholdCny: number; changedAt: string; changedBy: string }
export const settingRecord = defineRecordType<SettingState>({
  type: 'purchasing_setting',
  collection: 'purchasing_settings',
  reduce: (_s, e) => ({ approvalThresholdCny: (e.data as { approvalThresholdCny: number }).approvalThresholdCny, changedAt: e.at, changedBy: e.actor.name }),
  content: (s) => ({ approvalThresholdCny: s.approvalThresholdCny }),
});
