import type { LedgerEvent } from '../../ledger/event.ts';
import { AppError, domainError } from '../../platform/errors.ts';
import { defineRecordType } from '../../records/registry.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { SIGNATURE_EVENT, type SignatureData } from '../../../../signatures/esign/service.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import type { Bilingual } from '../items/item.record.ts';

// A supplier is one stream `supplier:<code>`. Its qualification status changes only by a QA
// e-signature ("approved") on a proposed change with its reason; the approved supplier list
// (ASL), evidence and evaluations are events on the same stream.
export const QUALIFICATION = ['pending', 'approved', 'conditional', 'disqualified'] as const;
export type Qualification = (typeof QUALIFICATION)[number];
export const EVIDENCE_KINDS = ['questionnaire', 'audit', 'certificate'] as const;

export const SUPPLIER_EVENTS = [
  'supplier.created', // {name, country, contact, address}
  'supplier.updated', // patch
  'supplier.qualificationProposed', // {status, reason}
  SIGNATURE_EVENT, // approved: completes the proposal
  'supplier.qualificationChanged', // {status, reason, signatureId}
  'supplier.evidenceAdded', // {id, kind, title, reference, date, expiryDate, result}
  'supplier.itemApproved', // {itemId, partNumber}
  'supplier.itemRemoved', // {itemId}
  'supplier.evaluated', // {id, period, quality, delivery, comment}
] as const;

export interface Evidence { id: string; kind: (typeof EVIDENCE_KINDS)[number]; title: string; reference: string | null; date: string; expiryDate: string | null; result: string; addedAt: string; addedBy: string }
export interface Evaluation { id: string; period: string; quality: number; delivery: number; score: number; comment: string; at: string; by: string }
export interface SupplierState {
  code: string; name: Bilingual; country: string; contact: string; address: string; createdAt: string;
  status: Qualification; statusReason: string | null;
  statusHistory: Array<{ status: Qualification; reason: string; at: string; by: string; signatureId: string }>;
  pendingQualification: { status: Qualification; reason: string; by: string } | null;
  evidence: Evidence[]; approvedItems: Array<{ itemId: string; partNumber: string; addedAt: string; by: string }>; approvedItemIds: string[];
  evaluations: Evaluation[];
  lastSignature: { id: string; by: string; at: string } | null;
}
export type SupplierDoc = Projected<SupplierState>;
export const SUPPLIERS = 'suppliers';
declareIndexes(SUPPLIERS, [{ key: { approvedItemIds: 1 }, name: 'approvedItemIds' }, { key: { status: 1 }, name: 'status' }]);

/** What a signature on a supplier binds to: everything but the signature itself. */
const supplierContent = ({ lastSignature: _l, ...rest }: SupplierState) => rest;

function reduce(s: SupplierState | undefined, e: LedgerEvent): SupplierState {
  const d = e.data as Record<string, any>;
  if (e.type === 'supplier.created') {
    return { code: e.stream.slice('supplier:'.length), name: d.name, country: d.country, contact: d.contact, address: d.address, createdAt: e.at,
      status: 'pending', statusReason: null, statusHistory: [], pendingQualification: null, evidence: [], approvedItems: [], approvedItemIds: [], evaluations: [], lastSignature: null };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before supplier.created`);
  switch (e.type) {
    case 'supplier.updated': return { ...s, ...d };
    case 'supplier.qualificationProposed': return { ...s, pendingQualification: { status: d.status, reason: d.reason, by: e.actor.name } };
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, e, supplierContent)) return s;
      const sig = d as SignatureData;
      return { ...s, lastSignature: { id: sig.signatureId, by: sig.signer.name, at: sig.signedAt } };
    }
    case 'supplier.qualificationChanged':
      // only the counted signature of the pending change makes it
      if (!s.pendingQualification || s.lastSignature?.id !== d.signatureId) return s;
      return { ...s, status: d.status, statusReason: d.reason, pendingQualification: null,
        statusHistory: [...s.statusHistory, { status: d.status, reason: d.reason, at: e.at, by: e.actor.name, signatureId: d.signatureId }] };
    case 'supplier.evidenceAdded': return { ...s, evidence: [...s.evidence, { ...(d as Evidence), addedAt: e.at, addedBy: e.actor.name }] };
    case 'supplier.itemApproved': {
      if (s.approvedItemIds.includes(d.itemId)) return s;
      return { ...s, approvedItems: [...s.approvedItems, { itemId: d.itemId, partNumber: d.partNumber, addedAt: e.at, by: e.actor.name }], approvedItemIds: [...s.approvedItemIds, d.itemId] };
    }
    case 'supplier.itemRemoved':
      return { ...s, approvedItems: s.approvedItems.filter((x) => x.itemId !== d.itemId), approvedItemIds: s.approvedItemIds.filter((x) => x !== d.itemId) };
    case 'supplier.evaluated':
      return { ...s, evaluations: [...s.evaluations, { ...(d as Evaluation), score: Math.round((d.quality + d.delivery) / 2), at: e.at, by: e.actor.name }] };
    default: return s;
  }
}

export const supplierRecord = defineRecordType<SupplierState>({
  type: 'supplier',
  collection: SUPPLIERS,
  reduce,
  content: supplierContent,
  canSign(user, meaning, s) {
    if (meaning !== 'approved' || !hasPermission(user, 'suppliers.qualify')) return new AppError('SIGNATURE_NOT_ALLOWED', { meaning });
    if (!s.pendingQualification) return domainError('NO_PENDING_DECISION', 'There is no qualification change to sign.', '没有待签署的资格变更。');
    return null;
  },
  afterSignature(s, meaning) {
    if (meaning !== 'approved' || !s.pendingQualification || !s.lastSignature) return [];
    const { status, reason } = s.pendingQualification;
    return [{ type: 'supplier.qualificationChanged', data: { status, reason, signatureId: s.lastSignature.id } }];
  },
});
