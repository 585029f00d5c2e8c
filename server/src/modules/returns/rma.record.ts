import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import type { Bilingual } from '../items/item.record.ts';
import { rmaEvents, type RmaDecision } from './events.ts';
import { rmaLifecycle } from './rma.lifecycle.ts';
import { decisionBy } from '../../records/principal.ts';

// A return (RMA): one stream `rma:<id>`. It names a unit or quantity the lot's own shipment
// events say this customer has; it is received into quarantine (the lot goes on hold through its
// own command, inventory/lot.lifecycle.ts receive_return), inspected, and decided by signature
// (restock, rework, scrap, return to supplier), each decision applied to the lot by the lot's own
// signed decision. Actions and who may take them: rma.lifecycle.ts.
export type RmaStateName = 'open' | 'received' | 'inspected' | 'decided';
type By = { by: string; byId: string; at: string };

export interface RmaState {
  id: string;
  number: string;
  lot: {
    id: string;
    lotNumber: string;
    serial: string | null;
    kind: 'lot' | 'serial';
    item: { id: string; partNumber: string; name: Bilingual; unit: string };
  };
  customer: string;
  quantity: number;
  shipDate: string | null;
  warrantyEnd: string | null;
  customerReason: string;
  state: RmaStateName;
  createdBy: { id: string; name: string };
  createdAt: string;
  receipt: (By & { location: string }) | null;
  inspection: (By & { findings: string; conforming: boolean }) | null;
  pending: { decision: RmaDecision; reason: string; byId: string } | null;
  decision: (By & { decision: RmaDecision; reason: string; signatureId: string }) | null;
}
export type RmaDoc = Projected<RmaState>;

export const RMAS = 'returns';
declareIndexes(RMAS, [
  { key: { state: 1, createdAt: -1 }, name: 'state_created' },
  { key: { 'lot.id': 1, customer: 1 }, name: 'lot_customer' },
]);

/** What a signature on a return binds: the whole record as it stands (signatures are events of their own). */
const rmaContent = (s: RmaState) => s;

function reduce(s: RmaState | undefined, raw: LedgerEvent): RmaState {
  const e = rmaEvents.typed(raw);
  if (e.type === 'rma.opened') {
    const d = e.data;
    return {
      id: e.stream.slice('rma:'.length),
      number: d.number,
      lot: d.lot,
      customer: d.customer,
      quantity: d.quantity,
      shipDate: d.shipDate,
      warrantyEnd: d.warrantyEnd,
      customerReason: d.customerReason,
      state: 'open',
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      receipt: null,
      inspection: null,
      pending: null,
      decision: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before rma.opened`);
  const by = { by: e.actor.name, byId: e.actor.id, at: e.at };
  switch (e.type) {
    case 'rma.received':
      return { ...s, state: 'received', receipt: { ...by, location: e.data.location } };
    case 'rma.inspected':
      return { ...s, state: 'inspected', inspection: { ...by, ...e.data } };
    case 'rma.decisionProposed':
      return { ...s, pending: { decision: e.data.decision, reason: e.data.reason, byId: e.actor.id } };
    case SIGNATURE_EVENT: {
      const sig = e.data;
      const p = s.pending;
      // only the proposer's own "approved" signature that verifies completes the decision
      if (!p || sig.signer?.id !== p.byId || sig.meaning !== 'approved') return s;
      if (!signatureCounts(s, raw, rmaContent)) return s;
      return {
        ...s,
        pending: null,
        state: 'decided',
        decision: {
          decision: p.decision,
          reason: p.reason,
          ...decisionBy(sig),
        },
      };
    }
    default:
      return s;
  }
}

export const rmaRecord = defineRecordType<RmaState>({
  type: 'rma',
  collection: RMAS,
  reduce,
  content: rmaContent,
  events: rmaEvents,
  lifecycle: rmaLifecycle, // the one policy: actions, separation of duties and signing (canSign is derived)
  canRead: (user) => hasPermission(user, 'returns.read'),
});
