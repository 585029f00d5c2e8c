import type { LedgerEvent } from '../../ledger/event.ts';
import { AppError, domainError } from '../../platform/errors.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission, type Permission } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT, type SignatureData } from '../../../../signatures/esign/service.ts';
import { sealVerifies, signatureCounts } from '../../../../signatures/esign/seal.ts';
import { sumQty } from '../../platform/fields.ts';
import type { Bilingual } from '../items/item.record.ts';

// A lot (or one serialized unit) is one stream `lot:<id>`. Every quantity change is an event on
// it, appended at the version it was judged on, so the balance per location is the fold of its
// movements and can never be driven negative by two writers at once. QA decisions (release,
// reject, conditional use, release from hold, scrap) are proposals completed by an e-signature.
export const LOT_STATUSES = ['quarantine', 'released', 'on_hold', 'rejected', 'expired', 'consumed', 'scrapped', 'shipped'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];
export const DECISIONS = ['release', 'reject', 'conditional', 'release_hold', 'scrap'] as const;
export type Decision = (typeof DECISIONS)[number];

export const LOT_EVENTS = [
  'lot.received', // {item, lotNumber, kind, serial, supplier, supplierLot, po, receiptId, quantity, location, mfgDate, expiryDate, coaRef, source}
  'lot.produced', // same shape, from production (source: work order)
  'lot.moved', // {from, to, quantity, source}
  'lot.adjusted', // {location, delta, counted?, source}  reason on the event
  'lot.issued', // {location, quantity, workOrder, source}
  'lot.inspected', // {inspectionId, result, defectives, sampleSize, inspector}
  'lot.decisionProposed', // {decision, reason, inspectionId?, ncId?, quantity?, location?}
  SIGNATURE_EVENT, // released | rejected | approved: completes the proposal
  'lot.released', 'lot.rejected', 'lot.conditionallyReleased', 'lot.holdReleased', 'lot.scrapped', // {signatureId, …}
  'lot.releasedByDhr', // {workOrder, workOrderId, signatureId, signature}: produced output released with its DHR (signature: the order's QA release)
  'lot.held', // {source}  reason on the event
  'lot.expired', // {expiryDate}  system actor
  'lot.shipped', // {customer, shipDate, warrantyEnd, reference}
] as const;

export interface Balance { location: string; quantity: number }
export interface Movement { version: number; type: string; at: string; by: string; from: string | null; to: string | null; quantity: number; source: string | null; reason: string | null }
export interface LotItem { id: string; partNumber: string; name: Bilingual; unit: string; control: string }
export interface LotState {
  id: string; lotNumber: string; kind: 'lot' | 'serial'; serial: string | null; item: LotItem;
  status: LotStatus; balances: Balance[]; locations: string[]; quantity: number; initialQuantity: number;
  supplier: { code: string; name: Bilingual } | null; supplierLot: string | null; po: { id: string; number: string } | null; receiptId: string | null;
  mfgDate: string | null; expiryDate: string | null; coaRef: string | null; source: string | null; createdAt: string;
  /** The work order that produced this lot (null for a received lot). */
  workOrderId: string | null;
  inspection: { id: string; result: 'pass' | 'fail'; defectives: number; sampleSize: number; inspectorId: string; inspector: string } | null;
  inspectionId: string | null;
  pending: { decision: Decision; reason: string; by: string; byId: string; ncId?: string; quantity?: number; location?: string } | null;
  disposition: { decision: Decision; reason: string; by: string; at: string; signatureId: string; ncId?: string } | null;
  hold: { reason: string; by: string; byId: string; at: string; previous: LotStatus } | null;
  shipment: { customer: string; shipDate: string; warrantyEnd: string | null; reference: string } | null;
  movements: Movement[];
  lastSignature: { id: string; meaning: string; by: string; at: string } | null;
}
export type LotDoc = Projected<LotState>;

export const LOTS = 'lots';
declareIndexes(LOTS, [
  { key: { 'item.id': 1, status: 1 }, name: 'item_status' }, { key: { status: 1, expiryDate: 1 }, name: 'status_expiry' },
  { key: { locations: 1 }, name: 'locations' }, { key: { lotNumber: 1 }, name: 'lotNumber' }, { key: { serial: 1 }, name: 'serial' },
  { key: { receiptId: 1 }, name: 'receipt' },
]);

/** The balance at `location` after adding `delta` (never kept at zero: an empty place is no place). */
function rebalance(balances: Balance[], location: string, delta: number): Balance[] {
  const found = balances.some((b) => b.location === location);
  const next = found ? balances.map((b) => (b.location === location ? { ...b, quantity: sumQty(b.quantity, delta) } : b)) : [...balances, { location, quantity: sumQty(delta) }];
  return next.filter((b) => b.quantity !== 0);
}
const withBalances = (s: LotState, balances: Balance[]): LotState => ({
  ...s, balances, locations: balances.map((b) => b.location), quantity: sumQty(...balances.map((b) => b.quantity)),
});
const moved = (s: LotState, e: LedgerEvent, m: Partial<Movement>): Movement[] => [...s.movements, {
  version: e.version, type: e.type.slice(4), at: e.at, by: e.actor.name, from: null, to: null, quantity: 0, source: null, reason: e.reason ?? null, ...m,
}];

/** What a signature on a lot binds to: everything but the signature itself. */
const lotContent = ({ lastSignature: _l, ...rest }: LotState) => rest;
const SIGNED_EFFECTS = new Set(['lot.released', 'lot.rejected', 'lot.conditionallyReleased', 'lot.holdReleased', 'lot.scrapped']);
/** An effect event lands only on the counted signature of the pending decision it completes. */
const completesPending = (s: LotState, signatureId: unknown) =>
  !!s.pending && !!s.lastSignature && s.lastSignature.id === signatureId && DECISION_RULES[s.pending.decision].meaning === s.lastSignature.meaning;

function reduce(s: LotState | undefined, e: LedgerEvent): LotState {
  const d = e.data as Record<string, any>;
  if (e.type === 'lot.received' || e.type === 'lot.produced') {
    const base: LotState = {
      id: e.stream.slice(4), lotNumber: d.lotNumber, kind: d.kind, serial: d.serial ?? null, item: d.item, status: d.status ?? 'quarantine',
      balances: [], locations: [], quantity: 0, initialQuantity: d.quantity, supplier: d.supplier ?? null, supplierLot: d.supplierLot ?? null,
      po: d.po ?? null, receiptId: d.receiptId ?? null, mfgDate: d.mfgDate ?? null, expiryDate: d.expiryDate ?? null, coaRef: d.coaRef ?? null,
      source: d.source ?? null, workOrderId: d.workOrderId ?? null, createdAt: e.at, inspection: null, inspectionId: d.inspectionId ?? null, pending: null, disposition: null, hold: null,
      shipment: null, movements: [], lastSignature: null,
    };
    return { ...withBalances(base, [{ location: d.location, quantity: d.quantity }]), movements: moved(base, e, { to: d.location, quantity: d.quantity, source: d.source ?? null }) };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before lot.received`);
  if (SIGNED_EFFECTS.has(e.type) && !completesPending(s, d.signatureId)) return s;
  switch (e.type) {
    case 'lot.moved': {
      const next = withBalances(s, rebalance(rebalance(s.balances, d.from, -d.quantity), d.to, d.quantity));
      return { ...next, movements: moved(s, e, { from: d.from, to: d.to, quantity: d.quantity, source: d.source }) };
    }
    case 'lot.adjusted': {
      const next = withBalances(s, rebalance(s.balances, d.location, d.delta));
      return { ...next, status: next.quantity === 0 && s.status === 'released' ? 'consumed' : s.status,
        movements: moved(s, e, d.delta < 0 ? { from: d.location, quantity: -d.delta, source: d.source } : { to: d.location, quantity: d.delta, source: d.source }) };
    }
    case 'lot.issued': {
      const next = withBalances(s, rebalance(s.balances, d.location, -d.quantity));
      return { ...next, status: next.quantity === 0 ? 'consumed' : s.status, movements: moved(s, e, { from: d.location, quantity: d.quantity, source: d.source }) };
    }
    case 'lot.inspected':
      return { ...s, inspectionId: d.inspectionId, inspection: { id: d.inspectionId, result: d.result, defectives: d.defectives, sampleSize: d.sampleSize, inspectorId: d.inspector.id, inspector: d.inspector.name } };
    case 'lot.decisionProposed':
      return { ...s, pending: { decision: d.decision, reason: d.reason, by: e.actor.name, byId: e.actor.id, ...(d.ncId ? { ncId: d.ncId } : {}),
        ...(d.quantity !== undefined ? { quantity: d.quantity, location: d.location } : {}) } };
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, e, lotContent)) return s;
      const sig = d as SignatureData;
      return { ...s, lastSignature: { id: sig.signatureId, meaning: sig.meaning, by: sig.signer.name, at: sig.signedAt } };
    }
    case 'lot.released': case 'lot.rejected': case 'lot.conditionallyReleased': {
      const status: LotStatus = e.type === 'lot.rejected' ? 'rejected' : 'released';
      const p = s.pending!;
      return { ...s, status, pending: null, disposition: { decision: p.decision, reason: p.reason, by: e.actor.name, at: e.at, signatureId: d.signatureId, ...(p.ncId ? { ncId: p.ncId } : {}) } };
    }
    case 'lot.releasedByDhr':
      if (!releasedByItsDhr(s, d)) return s;
      return { ...s, status: 'released', disposition: { decision: 'release', reason: `DHR of work order ${d.workOrder} released`, by: e.actor.name, at: e.at, signatureId: d.signatureId } };
    case 'lot.held': return { ...s, status: 'on_hold', hold: { reason: e.reason ?? '', by: e.actor.name, byId: e.actor.id, at: e.at, previous: s.status } };
    case 'lot.holdReleased': return { ...s, status: s.hold?.previous ?? 'released', hold: null, pending: null };
    case 'lot.scrapped': {
      // the signed quantity, unless an issue landed between signature and effect (never below zero)
      const here = s.balances.find((b) => b.location === d.location)?.quantity ?? 0;
      const next = withBalances(s, rebalance(s.balances, d.location, -Math.min(d.quantity, here)));
      return { ...next, pending: null, status: next.quantity === 0 ? 'scrapped' : s.status,
        movements: moved(s, e, { from: d.location, quantity: Math.min(d.quantity, here), source: `signature:${d.signatureId}`, reason: s.pending?.reason ?? null }) };
    }
    case 'lot.expired': return { ...s, status: 'expired' };
    case 'lot.shipped': {
      const from = s.balances[0]?.location ?? null;
      return { ...withBalances(s, []), status: 'shipped', shipment: { customer: d.customer, shipDate: d.shipDate, warrantyEnd: d.warrantyEnd, reference: d.reference },
        movements: moved(s, e, { from, quantity: s.quantity, source: d.reference }) };
    }
    default: return s;
  }
}

/**
 * A DHR release counts only as the command makes it: from quarantine, naming the work order that
 * produced this lot, and carrying that order's QA release signature ("released" on its stream)
 * whose server seal verifies. An event inserted into the database without the signing key
 * (or with another order's signature) releases nothing; `ledger verify` also names its seal.
 */
function releasedByItsDhr(s: LotState, d: Record<string, any>): boolean {
  const sig = d.signature as SignatureData | undefined;
  return s.status === 'quarantine' && !!s.workOrderId && d.workOrderId === s.workOrderId && !!sig && typeof sig === 'object'
    && sig.signatureId === d.signatureId && sig.stream === `workorder:${s.workOrderId}` && sig.meaning === 'released' && sealVerifies(sig);
}

const refuse = (code: string, en: string, zh: string, status = 409) => domainError(code, en, zh, status);

/** Who may decide what, and when: shared by the commands (before anything is written) and canSign. */
export const DECISION_RULES: Record<Decision, { meaning: string; permission: Permission; from: LotStatus[] }> = {
  release: { meaning: 'released', permission: 'inspection.disposition', from: ['quarantine'] },
  reject: { meaning: 'rejected', permission: 'inspection.disposition', from: ['quarantine', 'on_hold'] },
  conditional: { meaning: 'approved', permission: 'inspection.conditional', from: ['quarantine'] },
  release_hold: { meaning: 'released', permission: 'inventory.release', from: ['on_hold'] },
  scrap: { meaning: 'approved', permission: 'inventory.release', from: ['quarantine', 'released', 'on_hold', 'rejected', 'expired'] },
};

export function decisionRefusal(decision: Decision, s: LotState, user: SessionUser): AppError | null {
  const rule = DECISION_RULES[decision];
  if (!hasPermission(user, rule.permission)) return new AppError('FORBIDDEN', { action: decision.replace('_', ' ') });
  if (!rule.from.includes(s.status)) return refuse('LOT_WRONG_STATUS', `Cannot ${decision.replace('_', ' ')} a lot that is ${s.status}.`, `批次处于"${s.status}"状态,不能执行该操作。`);
  if (decision === 'release' || decision === 'conditional') {
    if (!s.inspection) return refuse('INSPECTION_NOT_COMPLETE', 'The incoming inspection has no result yet; the lot cannot leave quarantine.', '进货检验尚无结果,批次不能解除待检。');
    if (decision === 'release' && s.inspection.result !== 'pass') return refuse('INSPECTION_FAILED', 'The lot failed its inspection; reject it or decide conditional use.', '该批次检验不合格,请拒收或作让步接收。');
  }
  return null;
}

export const lotRecord = defineRecordType<LotState>({
  type: 'lot',
  collection: LOTS,
  reduce,
  content: lotContent,
  // segregation of duties: whoever entered the inspection results does not release on them
  author: (s) => (s.pending && (s.pending.decision === 'release' || s.pending.decision === 'conditional') ? s.inspection?.inspectorId : undefined),
  canSign(user, meaning, s) {
    if (!s.pending) return domainError('NO_PENDING_DECISION', 'There is no decision on this lot to sign.', '该批次没有待签署的决定。');
    if (DECISION_RULES[s.pending.decision].meaning !== meaning) return new AppError('SIGNATURE_NOT_ALLOWED', { meaning });
    return decisionRefusal(s.pending.decision, s, user);
  },
  afterSignature(s, meaning) {
    const p = s.pending;
    if (!p || !s.lastSignature || DECISION_RULES[p.decision].meaning !== meaning) return [];
    const signatureId = s.lastSignature.id;
    switch (p.decision) {
      case 'release': return [{ type: 'lot.released', data: { signatureId } }];
      case 'conditional': return [{ type: 'lot.conditionallyReleased', data: { signatureId } }];
      case 'reject': return [{ type: 'lot.rejected', data: { signatureId, ncId: p.ncId ?? null } }];
      case 'release_hold': return [{ type: 'lot.holdReleased', data: { signatureId } }];
      case 'scrap': return [{ type: 'lot.scrapped', data: { signatureId, quantity: p.quantity!, location: p.location! } }];
    }
  },
});
