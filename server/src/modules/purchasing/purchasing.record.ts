import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { POS } from './collections.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { amountOf, sumQty } from '../../platform/fields.ts';
import type { Bilingual } from '../items/item.record.ts';
import { poEvents } from './events.ts';
import { poLifecycle } from './po.lifecycle.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';

// Purchase orders (`po:<id>`). A PO above the approval threshold (settings.ts) is approved by an
// e-signature "approved" of someone other than its author; receipts are events on the PO that
// claim the received quantity (so two receipts can never over-receive a line together). What may
// happen to a PO, by whom, is declared once in po.lifecycle.ts.
export const PO_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'partially_received',
  'received',
  'closed',
  'cancelled',
] as const;
export type PoStatus = (typeof PO_STATUSES)[number];

export interface PoLine {
  lineNo: number;
  itemId: string;
  partNumber: string;
  name: Bilingual;
  unit: string;
  quantity: number;
  unitPrice: number;
  dueDate: string;
  received: number;
}
export interface ReceiptLine {
  lineNo: number;
  quantity: number;
  lotIds: string[];
  lotNumber: string;
  supplierLot: string;
  mfgDate: string | null;
  expiryDate: string | null;
  coaRef: string | null;
  serials: string[] | null;
  inspectionId: string;
}
export interface Receipt {
  id: string;
  at: string;
  by: string;
  location: string;
  lines: ReceiptLine[];
}
export interface PoState {
  id: string;
  number: string;
  supplier: { code: string; name: Bilingual };
  currency: string;
  lines: PoLine[];
  total: number;
  status: PoStatus;
  requisitionId: string | null;
  createdBy: { id: string; name: string };
  createdAt: string;
  issuedAt: string | null;
  needsApproval: boolean;
  threshold: number | null;
  approval: { by: string; at: string; signatureId: string | null; automatic: boolean } | null;
  receipts: Receipt[];
  lastSignature: { id: string; by: string; at: string } | null;
  closeReason: string | null;
}
export type PoDoc = Projected<PoState>;

/** The order's value, to the cent (computed exactly: no float drift on many lines). */
export const poTotal = amountOf;

/** What a signature on a PO binds to: everything but the signature itself. */
const poContent = ({ lastSignature: _l, ...rest }: PoState) => rest;

function reducePo(s: PoState | undefined, event: LedgerEvent): PoState {
  const e = poEvents.typed(event);
  if (e.type === 'po.created') {
    const d = e.data;
    const lines = d.lines.map((l) => ({ ...l, received: 0 }));
    return {
      id: e.stream.slice(3),
      number: d.number,
      supplier: d.supplier,
      currency: d.currency,
      lines,
      total: poTotal(lines),
      status: 'draft',
      requisitionId: d.requisitionId ?? null,
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      issuedAt: null,
      needsApproval: false,
      threshold: null,
      approval: null,
      receipts: [],
      lastSignature: null,
      closeReason: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before po.created`);
  switch (e.type) {
    case 'po.issued':
      return {
        ...s,
        status: e.data.needsApproval ? 'pending_approval' : s.status,
        issuedAt: e.at,
        needsApproval: e.data.needsApproval,
        threshold: e.data.threshold,
      };
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, event, poContent)) return s;
      return {
        ...s,
        lastSignature: {
          id: e.data.signatureId,
          by: principalOf(e.data).name,
          at: e.data.signedAt,
          ...delegateOf(e.data),
        },
      };
    }
    case 'po.approved': {
      const d = e.data;
      // approved on issue under the threshold, or by the counted approval signature
      if (s.status !== 'pending_approval' && !(d.automatic && !s.needsApproval)) return s;
      if (!d.automatic && s.lastSignature?.id !== d.signatureId) return s;
      return {
        ...s,
        status: 'approved',
        approval: { by: e.actor.name, at: e.at, signatureId: d.signatureId ?? null, automatic: !!d.automatic },
      };
    }
    case 'po.receiptRecorded': {
      const got = new Map<number, number>();
      for (const l of e.data.lines) got.set(l.lineNo, sumQty(got.get(l.lineNo) ?? 0, l.quantity));
      const lines = s.lines.map((l) => ({ ...l, received: sumQty(l.received, got.get(l.lineNo) ?? 0) }));
      const done = lines.every((l) => l.received >= l.quantity);
      return {
        ...s,
        lines,
        status: done ? 'received' : 'partially_received',
        receipts: [
          ...s.receipts,
          { id: e.data.receiptId, at: e.at, by: e.actor.name, location: e.data.location, lines: e.data.lines },
        ],
      };
    }
    case 'po.closed':
      return { ...s, status: 'closed', closeReason: e.reason ?? null };
    case 'po.cancelled':
      return { ...s, status: 'cancelled', closeReason: e.reason ?? null };
    default:
      return s;
  }
}

export const poRecord = defineRecordType<PoState>({
  type: 'po',
  collection: POS,
  reduce: reducePo,
  content: poContent,
  author: (s) => s.createdBy.id,
  events: poEvents,
  lifecycle: poLifecycle, // canSign is derived from it: "approved" is the `approve` action
  afterSignature: (s, meaning) =>
    meaning === 'approved' && s.status === 'pending_approval' && s.lastSignature
      ? [{ type: 'po.approved', data: { signatureId: s.lastSignature.id, automatic: false } }]
      : [],
});
