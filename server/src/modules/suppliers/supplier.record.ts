import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import type { Bilingual } from '../items/item.record.ts';
import { supplierEvents, type EVIDENCE_KINDS, type Qualification } from './events.ts';
import { supplierLifecycle } from './supplier.lifecycle.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';

// A supplier is one stream `supplier:<code>`. Its qualification status changes only by a QA
// e-signature ("approved") on a proposed change with its reason; the approved supplier list
// (ASL), evidence and evaluations are events on the same stream (events.ts). Who may do what,
// in which state: supplier.lifecycle.ts.
export { QUALIFICATION, EVIDENCE_KINDS, type Qualification } from './events.ts';

export interface Evidence {
  id: string;
  kind: (typeof EVIDENCE_KINDS)[number];
  title: string;
  reference: string | null;
  date: string;
  expiryDate: string | null;
  result: string;
  addedAt: string;
  addedBy: string;
}
export interface Evaluation {
  id: string;
  period: string;
  quality: number;
  delivery: number;
  score: number;
  comment: string;
  at: string;
  by: string;
}
export interface SupplierState {
  code: string;
  name: Bilingual;
  country: string;
  contact: string;
  address: string;
  createdAt: string;
  status: Qualification;
  statusReason: string | null;
  statusHistory: Array<{ status: Qualification; reason: string; at: string; by: string; signatureId: string }>;
  pendingQualification: { status: Qualification; reason: string; by: string } | null;
  evidence: Evidence[];
  approvedItems: Array<{ itemId: string; partNumber: string; addedAt: string; by: string }>;
  approvedItemIds: string[];
  evaluations: Evaluation[];
  lastSignature: { id: string; by: string; at: string } | null;
}
export type SupplierDoc = Projected<SupplierState>;
export const SUPPLIERS = 'suppliers';
declareIndexes(SUPPLIERS, [
  { key: { approvedItemIds: 1 }, name: 'approvedItemIds' },
  { key: { status: 1 }, name: 'status' },
]);

/** What a signature on a supplier binds to: everything but the signature itself. */
const supplierContent = ({ lastSignature: _l, ...rest }: SupplierState) => rest;

function reduce(s: SupplierState | undefined, event: LedgerEvent): SupplierState {
  const e = supplierEvents.typed(event);
  if (e.type === 'supplier.created') {
    const d = e.data;
    return {
      code: e.stream.slice('supplier:'.length),
      name: d.name,
      country: d.country,
      contact: d.contact,
      address: d.address,
      createdAt: e.at,
      status: 'pending',
      statusReason: null,
      statusHistory: [],
      pendingQualification: null,
      evidence: [],
      approvedItems: [],
      approvedItemIds: [],
      evaluations: [],
      lastSignature: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before supplier.created`);
  switch (e.type) {
    case 'supplier.updated':
      return { ...s, ...e.data };
    case 'supplier.qualificationProposed':
      return { ...s, pendingQualification: { status: e.data.status, reason: e.data.reason, by: e.actor.name } };
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, event, supplierContent)) return s;
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
    case 'supplier.qualificationChanged': {
      const d = e.data;
      // only the counted signature of the pending change makes it
      if (!s.pendingQualification || s.lastSignature?.id !== d.signatureId) return s;
      return {
        ...s,
        status: d.status,
        statusReason: d.reason,
        pendingQualification: null,
        statusHistory: [
          ...s.statusHistory,
          { status: d.status, reason: d.reason, at: e.at, by: e.actor.name, signatureId: d.signatureId },
        ],
      };
    }
    case 'supplier.evidenceAdded':
      return { ...s, evidence: [...s.evidence, { ...e.data, addedAt: e.at, addedBy: e.actor.name }] };
    case 'supplier.itemApproved': {
      const d = e.data;
      if (s.approvedItemIds.includes(d.itemId)) return s;
      return {
        ...s,
        approvedItems: [
          ...s.approvedItems,
          { itemId: d.itemId, partNumber: d.partNumber, addedAt: e.at, by: e.actor.name },
        ],
        approvedItemIds: [...s.approvedItemIds, d.itemId],
      };
    }
    case 'supplier.itemRemoved':
      return {
        ...s,
        approvedItems: s.approvedItems.filter((x) => x.itemId !== e.data.itemId),
        approvedItemIds: s.approvedItemIds.filter((x) => x !== e.data.itemId),
      };
    case 'supplier.evaluated':
      return {
        ...s,
        evaluations: [
          ...s.evaluations,
          { ...e.data, score: Math.round((e.data.quality + e.data.delivery) / 2), at: e.at, by: e.actor.name },
        ],
      };
    default:
      return s;
  }
}

export const supplierRecord = defineRecordType<SupplierState>({
  type: 'supplier',
  collection: SUPPLIERS,
  reduce,
  content: supplierContent,
  events: supplierEvents,
  lifecycle: supplierLifecycle, // canSign is derived from it: "approved" completes the pending decision
  afterSignature(s, meaning) {
    if (meaning !== 'approved' || !s.pendingQualification || !s.lastSignature) return [];
    const { status, reason } = s.pendingQualification;
    return [{ type: 'supplier.qualificationChanged', data: { status, reason, signatureId: s.lastSignature.id } }];
  },
});
