import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import {
  SIGNATURE_EVENT,
  sealVerifies,
  signatureCounts,
  type SignatureData,
} from '../../../../signatures/esign/seal.ts';
import { sumQty } from '../../platform/fields.ts';
import type { Bilingual } from '../items/item.record.ts';
import { lotEvents, type Decision } from './events.ts';
import { decisionMeaning, lotLifecycle } from './lot.lifecycle.ts';
import { delegateOf, principalOf } from '../../records/principal.ts';

// A lot (or one serialized unit) is one stream `lot:<id>`. Every quantity change is an event on
// it, appended at the version it was judged on, so the balance per location is the fold of its
// movements and can never be driven negative by two writers at once. QA decisions (release,
// reject, conditional use, release from hold, scrap) are proposals completed by an e-signature.
// Who may do what, and when: lot.lifecycle.ts (the one declaration).
export const LOT_STATUSES = [
  'quarantine',
  'released',
  'on_hold',
  'rejected',
  'expired',
  'consumed',
  'scrapped',
  'shipped',
] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];
export { DECISIONS, type Decision } from './events.ts';

export interface Balance {
  location: string;
  quantity: number;
}
export interface Movement {
  version: number;
  type: string;
  at: string;
  by: string;
  from: string | null;
  to: string | null;
  quantity: number;
  source: string | null;
  reason: string | null;
}
export interface LotItem {
  id: string;
  partNumber: string;
  name: Bilingual;
  unit: string;
  control: string;
}
export interface LotState {
  id: string;
  lotNumber: string;
  kind: 'lot' | 'serial';
  serial: string | null;
  item: LotItem;
  status: LotStatus;
  balances: Balance[];
  locations: string[];
  quantity: number;
  initialQuantity: number;
  supplier: { code: string; name: Bilingual } | null;
  supplierLot: string | null;
  po: { id: string; number: string } | null;
  receiptId: string | null;
  mfgDate: string | null;
  expiryDate: string | null;
  coaRef: string | null;
  source: string | null;
  createdAt: string;
  /** The work order that produced this lot (null for a received lot). */
  workOrderId: string | null;
  inspection: {
    id: string;
    result: 'pass' | 'fail';
    defectives: number;
    sampleSize: number;
    inspectorId: string;
    inspector: string;
  } | null;
  inspectionId: string | null;
  pending: {
    decision: Decision;
    reason: string;
    by: string;
    byId: string;
    ncId?: string;
    quantity?: number;
    location?: string;
  } | null;
  disposition: {
    decision: Decision;
    reason: string;
    by: string;
    at: string;
    signatureId: string;
    ncId?: string;
  } | null;
  hold: { reason: string; by: string; byId: string; at: string; previous: LotStatus } | null;
  shipment: { customer: string; shipDate: string; warrantyEnd: string | null; reference: string } | null;
  /** Quantity in the field per customer: shipped less returned (a return is judged on it). */
  inField?: Record<string, number>;
  /** The last return received (modules/returns): the unit is held until the return's decision. */
  returned?: { rmaId: string; rma: string; customer: string; at: string } | null;
  movements: Movement[];
  lastSignature: { id: string; meaning: string; by: string; at: string } | null;
}
export type LotDoc = Projected<LotState>;

export const LOTS = 'lots';
declareIndexes(LOTS, [
  { key: { 'item.id': 1, status: 1 }, name: 'item_status' },
  { key: { status: 1, expiryDate: 1 }, name: 'status_expiry' },
  { key: { locations: 1 }, name: 'locations' },
  { key: { lotNumber: 1 }, name: 'lotNumber' },
  { key: { serial: 1 }, name: 'serial' },
  { key: { receiptId: 1 }, name: 'receipt' },
]);

/** The balance at `location` after adding `delta` (never kept at zero: an empty place is no place). */
function rebalance(balances: Balance[], location: string, delta: number): Balance[] {
  const found = balances.some((b) => b.location === location);
  const next = found
    ? balances.map((b) => (b.location === location ? { ...b, quantity: sumQty(b.quantity, delta) } : b))
    : [...balances, { location, quantity: sumQty(delta) }];
  return next.filter((b) => b.quantity !== 0);
}
const withBalances = (s: LotState, balances: Balance[]): LotState => ({
  ...s,
  balances,
  locations: balances.map((b) => b.location),
  quantity: sumQty(...balances.map((b) => b.quantity)),
});
const moved = (s: LotState, e: LedgerEvent, m: Partial<Movement>): Movement[] => [
  ...s.movements,
  {
    version: e.version,
    type: e.type.slice(4),
    at: e.at,
    by: e.actor.name,
    from: null,
    to: null,
    quantity: 0,
    source: null,
    reason: e.reason ?? null,
    ...m,
  },
];

/** What a signature on a lot binds to: everything but the signature itself. */
const lotContent = ({ lastSignature: _l, ...rest }: LotState) => rest;
/** An effect event lands only on the counted signature of the pending decision it completes. */
const completesPending = (s: LotState, signatureId: string) =>
  !!s.pending &&
  !!s.lastSignature &&
  s.lastSignature.id === signatureId &&
  decisionMeaning(s.pending.decision) === s.lastSignature.meaning;

function reduce(s: LotState | undefined, raw: LedgerEvent): LotState {
  const e = lotEvents.typed(raw);
  if (e.type === 'lot.received' || e.type === 'lot.produced') {
    const d = e.data;
    const base: LotState = {
      id: e.stream.slice(4),
      lotNumber: d.lotNumber,
      kind: d.kind,
      serial: d.serial ?? null,
      item: d.item,
      status: (d.status ?? 'quarantine') as LotStatus,
      balances: [],
      locations: [],
      quantity: 0,
      initialQuantity: d.quantity,
      supplier: d.supplier ?? null,
      supplierLot: d.supplierLot ?? null,
      po: d.po ?? null,
      receiptId: d.receiptId ?? null,
      mfgDate: d.mfgDate ?? null,
      expiryDate: d.expiryDate ?? null,
      coaRef: d.coaRef ?? null,
      source: d.source ?? null,
      workOrderId: d.workOrderId ?? null,
      createdAt: e.at,
      inspection: null,
      inspectionId: d.inspectionId ?? null,
      pending: null,
      disposition: null,
      hold: null,
      shipment: null,
      movements: [],
      lastSignature: null,
    };
    return {
      ...withBalances(base, [{ location: d.location, quantity: d.quantity }]),
      movements: moved(base, e, { to: d.location, quantity: d.quantity, source: d.source ?? null }),
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before lot.received`);
  switch (e.type) {
    case 'lot.moved': {
      const d = e.data;
      const next = withBalances(s, rebalance(rebalance(s.balances, d.from, -d.quantity), d.to, d.quantity));
      return { ...next, movements: moved(s, e, { from: d.from, to: d.to, quantity: d.quantity, source: d.source }) };
    }
    case 'lot.adjusted': {
      const d = e.data;
      const next = withBalances(s, rebalance(s.balances, d.location, d.delta));
      return {
        ...next,
        status: next.quantity === 0 && s.status === 'released' ? 'consumed' : s.status,
        movements: moved(
          s,
          e,
          d.delta < 0
            ? { from: d.location, quantity: -d.delta, source: d.source }
            : { to: d.location, quantity: d.delta, source: d.source },
        ),
      };
    }
    case 'lot.issued': {
      const d = e.data;
      const next = withBalances(s, rebalance(s.balances, d.location, -d.quantity));
      return {
        ...next,
        status: next.quantity === 0 ? 'consumed' : s.status,
        movements: moved(s, e, { from: d.location, quantity: d.quantity, source: d.source }),
      };
    }
    case 'lot.inspected': {
      const d = e.data;
      return {
        ...s,
        inspectionId: d.inspectionId,
        inspection: {
          id: d.inspectionId,
          result: d.result,
          defectives: d.defectives,
          sampleSize: d.sampleSize,
          inspectorId: d.inspector.id,
          inspector: d.inspector.name,
        },
      };
    }
    case 'lot.decisionProposed': {
      const d = e.data;
      return {
        ...s,
        pending: {
          decision: d.decision,
          reason: d.reason,
          by: e.actor.name,
          byId: e.actor.id,
          ...(d.ncId ? { ncId: d.ncId } : {}),
          ...(d.quantity !== undefined ? { quantity: d.quantity, location: d.location } : {}),
        },
      };
    }
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, raw, lotContent)) return s;
      const sig = e.data;
      return {
        ...s,
        lastSignature: {
          id: sig.signatureId,
          meaning: sig.meaning,
          by: principalOf(sig).name,
          at: sig.signedAt,
          ...delegateOf(sig),
        },
      };
    }
    case 'lot.released':
    case 'lot.rejected':
    case 'lot.conditionallyReleased': {
      // an effect event lands only on the counted signature of the pending decision it completes
      if (!completesPending(s, e.data.signatureId)) return s;
      const status: LotStatus = e.type === 'lot.rejected' ? 'rejected' : 'released';
      const p = s.pending!;
      return {
        ...s,
        status,
        pending: null,
        disposition: {
          decision: p.decision,
          reason: p.reason,
          by: e.actor.name,
          at: e.at,
          signatureId: e.data.signatureId,
          ...(p.ncId ? { ncId: p.ncId } : {}),
        },
      };
    }
    case 'lot.releasedByDhr':
      if (!releasedByItsDhr(s, e.data)) return s;
      return {
        ...s,
        status: 'released',
        disposition: {
          decision: 'release',
          reason: `DHR of work order ${e.data.workOrder} released`,
          by: e.actor.name,
          at: e.at,
          signatureId: e.data.signatureId,
        },
      };
    case 'lot.held':
      return {
        ...s,
        status: 'on_hold',
        hold: { reason: e.reason ?? '', by: e.actor.name, byId: e.actor.id, at: e.at, previous: s.status },
      };
    case 'lot.holdReleased':
      if (!completesPending(s, e.data.signatureId)) return s;
      return { ...s, status: s.hold?.previous ?? 'released', hold: null, pending: null };
    case 'lot.scrapped': {
      const d = e.data;
      if (!completesPending(s, d.signatureId)) return s;
      // the signed quantity, unless an issue landed between signature and effect (never below zero)
      const here = s.balances.find((b) => b.location === d.location)?.quantity ?? 0;
      const next = withBalances(s, rebalance(s.balances, d.location, -Math.min(d.quantity, here)));
      return {
        ...next,
        pending: null,
        status: next.quantity === 0 ? 'scrapped' : s.status,
        movements: moved(s, e, {
          from: d.location,
          quantity: Math.min(d.quantity, here),
          source: `signature:${d.signatureId}`,
          reason: s.pending?.reason ?? null,
        }),
      };
    }
    case 'lot.expired':
      return { ...s, status: 'expired' };
    case 'lot.shipped': {
      const d = e.data;
      if (d.quantity !== undefined && d.location !== undefined) {
        // part of a lot shipped (a sales order): shipped once nothing is left
        const next = withBalances(s, rebalance(s.balances, d.location, -d.quantity));
        return {
          ...next,
          inField: { ...s.inField, [d.customer]: sumQty(s.inField?.[d.customer] ?? 0, d.quantity) },
          status: next.quantity === 0 ? 'shipped' : s.status,
          shipment: { customer: d.customer, shipDate: d.shipDate, warrantyEnd: d.warrantyEnd, reference: d.reference },
          movements: moved(s, e, { from: d.location, quantity: d.quantity, source: d.reference }),
        };
      }
      const from = s.balances[0]?.location ?? null;
      return {
        ...withBalances(s, []),
        inField: { ...s.inField, [d.customer]: sumQty(s.inField?.[d.customer] ?? 0, s.quantity) },
        status: 'shipped',
        shipment: { customer: d.customer, shipDate: d.shipDate, warrantyEnd: d.warrantyEnd, reference: d.reference },
        movements: moved(s, e, { from, quantity: s.quantity, source: d.reference }),
      };
    }
    case 'lot.returned': {
      const d = e.data;
      const next = withBalances(s, rebalance(s.balances, d.location, d.quantity));
      const previous: LotStatus =
        s.status === 'on_hold' ? (s.hold?.previous ?? 'released') : IN_FIELD_ONLY.has(s.status) ? 'released' : s.status;
      return {
        ...next,
        status: 'on_hold',
        hold: { reason: e.reason ?? `return ${d.rma}`, by: e.actor.name, byId: e.actor.id, at: e.at, previous },
        inField: { ...s.inField, [d.customer]: sumQty(s.inField?.[d.customer] ?? 0, -d.quantity) },
        returned: { rmaId: d.rmaId, rma: d.rma, customer: d.customer, at: e.at },
        movements: moved(s, e, { to: d.location, quantity: d.quantity, source: `rma:${d.rmaId}` }),
      };
    }
    default:
      return s;
  }
}
/** Statuses a lot has only because its stock left (shipped, consumed): a returned unit held from them goes back to released stock on restock. */
const IN_FIELD_ONLY = new Set<LotStatus>(['shipped', 'consumed']);

/**
 * A DHR release counts only as the command makes it: from quarantine, naming the work order that
 * produced this lot, and carrying that order's QA release signature ("released" on its stream)
 * whose server seal verifies. An event inserted into the database without the signing key
 * (or with another order's signature) releases nothing; `ledger verify` also names its seal.
 */
function releasedByItsDhr(
  s: LotState,
  d: { workOrderId: string; signatureId: string; signature?: SignatureData },
): boolean {
  const sig = d.signature;
  return (
    s.status === 'quarantine' &&
    !!s.workOrderId &&
    d.workOrderId === s.workOrderId &&
    !!sig &&
    typeof sig === 'object' &&
    sig.signatureId === d.signatureId &&
    sig.stream === `workorder:${s.workOrderId}` &&
    sig.meaning === 'released' &&
    sealVerifies(sig)
  );
}

/** The effect a signed decision has once its signature lands (the signature completes the proposal). */
const EFFECTS: Record<
  Decision,
  (p: NonNullable<LotState['pending']>, signatureId: string) => { type: string; data: Record<string, unknown> }
> = {
  release: (_p, signatureId) => lotEvents.change('lot.released', { signatureId }),
  conditional: (_p, signatureId) => lotEvents.change('lot.conditionallyReleased', { signatureId }),
  reject: (p, signatureId) => lotEvents.change('lot.rejected', { signatureId, ncId: p.ncId ?? null }),
  release_hold: (_p, signatureId) => lotEvents.change('lot.holdReleased', { signatureId }),
  scrap: (p, signatureId) =>
    lotEvents.change('lot.scrapped', { signatureId, quantity: p.quantity!, location: p.location! }),
};

export const lotRecord = defineRecordType<LotState>({
  type: 'lot',
  collection: LOTS,
  reduce,
  content: lotContent,
  events: lotEvents,
  lifecycle: lotLifecycle, // the one policy: actions, checks, separation of duties and signing (canSign is derived from it)
  afterSignature(s, meaning) {
    const p = s.pending;
    if (!p || !s.lastSignature || decisionMeaning(p.decision) !== meaning) return [];
    return [EFFECTS[p.decision](p, s.lastSignature.id)];
  },
});
