import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { sumQty } from '../../platform/fields.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { recallEvents, SIGNED_RECALL_ACTIONS, type RecallUnitData } from './events.ts';
import { recallLifecycle } from './recall.lifecycle.ts';
import { decisionBy } from '../../records/principal.ts';

// A recall / field safety corrective action: one stream `recall:<id>`. Its events: events.ts; its
// actions, who may take them and their signatures: recall.lifecycle.ts. The affected units and
// the customers they were shipped to are fixed when it is opened (from the forward trace and the
// lots' shipment events), so the approval signature binds exactly that scope.
type Person = { id: string; name: string };
type SignedBy = { by: string; byId: string; at: string; signatureId: string };
export type RecallStateName = 'draft' | 'open' | 'closed';

export interface RecallUnitState extends RecallUnitData {
  /** Units of this lot in the field (the sum of its shipments; a serial is 1). */
  shipped: number;
  dispositions: Array<{ disposition: string; quantity: number; date: string; note: string; by: string; at: string }>;
}
export interface RecallCustomer {
  code: string;
  name: { zh: string; en: string };
  units: number;
  lots: string[];
  notification: { date: string; method: string; reference: string; by: string; at: string } | null;
  acknowledgement: { date: string; contact: string; by: string; at: string } | null;
}
export interface RecallState {
  id: string;
  number: string;
  title: string;
  reason: string;
  level: 'I' | 'II' | 'III';
  kind: 'correction' | 'removal';
  jurisdictions: Array<'US' | 'EU' | 'CN'>;
  initiatedOn: string;
  urgent: boolean;
  tracedFrom: string | null;
  createdBy: Person;
  createdAt: string;
  state: RecallStateName;
  units: RecallUnitState[];
  customers: RecallCustomer[];
  reports: Array<{ clock: string; date: string; reference: string; by: string; at: string }>;
  approval: SignedBy | null;
  closure: (SignedBy & { summary: string }) | null;
  pending: { action: (typeof SIGNED_RECALL_ACTIONS)[number]; byId: string; summary: string } | null;
}
export type RecallDoc = Projected<RecallState>;

export const RECALLS = 'recalls';
declareIndexes(RECALLS, [
  { key: { state: 1, createdAt: -1 }, name: 'state_created' },
  { key: { 'units.lotId': 1 }, name: 'unit_lot' },
]);

/** What a signature on a recall binds: the whole record as it stands (signatures are events of their own). */
const recallContent = (s: RecallState) => s;

function reduce(s: RecallState | undefined, event: LedgerEvent): RecallState {
  const e = recallEvents.typed(event);
  if (e.type === 'recall.opened') {
    const d = e.data;
    const units = d.units.map((u) => ({
      ...u,
      shipped: sumQty(...u.shipments.map((x) => x.quantity)),
      dispositions: [],
    }));
    const customers: RecallCustomer[] = d.customers.map((c) => {
      const mine = units.filter((u) => u.shipments.some((x) => x.customer === c.code));
      return {
        ...c,
        units: sumQty(...mine.flatMap((u) => u.shipments.filter((x) => x.customer === c.code).map((x) => x.quantity))),
        lots: mine.map((u) => u.lotId),
        notification: null,
        acknowledgement: null,
      };
    });
    return {
      id: e.stream.slice('recall:'.length),
      number: d.number,
      title: d.title,
      reason: d.reason,
      level: d.level,
      kind: d.kind,
      jurisdictions: d.jurisdictions,
      initiatedOn: d.initiatedOn,
      urgent: d.urgent,
      tracedFrom: d.tracedFrom,
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      state: 'draft',
      units,
      customers,
      reports: [],
      approval: null,
      closure: null,
      pending: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before recall.opened`);
  const who = { by: e.actor.name, at: e.at };
  switch (e.type) {
    case 'recall.notified': {
      const { customer, ...n } = e.data;
      return {
        ...s,
        customers: s.customers.map((c) => (c.code === customer ? { ...c, notification: { ...n, ...who } } : c)),
      };
    }
    case 'recall.acknowledged': {
      const { customer, ...a } = e.data;
      return {
        ...s,
        customers: s.customers.map((c) => (c.code === customer ? { ...c, acknowledgement: { ...a, ...who } } : c)),
      };
    }
    case 'recall.dispositioned': {
      const { lotId, ...d } = e.data;
      return {
        ...s,
        units: s.units.map((u) =>
          u.lotId === lotId ? { ...u, dispositions: [...u.dispositions, { ...d, ...who }] } : u,
        ),
      };
    }
    case 'recall.reported':
      return { ...s, reports: [...s.reports, { ...e.data, ...who }] };
    case 'recall.signingProposed':
      return { ...s, pending: { action: e.data.action, byId: e.actor.id, summary: e.data.data.summary ?? '' } };
    case SIGNATURE_EVENT: {
      const sig = e.data;
      const p = s.pending;
      // only the proposer's own "approved" signature that verifies completes the pending step
      if (!p || sig.signer?.id !== p.byId || sig.meaning !== 'approved') return s;
      if (!signatureCounts(s, event, recallContent)) return s;
      const by: SignedBy = decisionBy(sig);
      if (p.action === 'approve') return { ...s, pending: null, state: 'open', approval: by };
      return { ...s, pending: null, state: 'closed', closure: { ...by, summary: p.summary } };
    }
    default:
      return s;
  }
}

export const recallRecord = defineRecordType<RecallState>({
  type: 'recall',
  collection: RECALLS,
  reduce,
  content: recallContent,
  events: recallEvents,
  lifecycle: recallLifecycle, // the one policy: actions, separation of duties and signing (canSign is derived)
  canRead: (user) => hasPermission(user, 'recall.read'),
});
