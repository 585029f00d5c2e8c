import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { RmaDoc } from './rma.record.ts';
import { LOT_DECISION, rmaLifecycle } from './rma.lifecycle.ts';

// The only shapes of a return that leave the server.
export function presentRmaRow(r: RmaDoc, user: SessionUser) {
  return {
    id: r._id,
    number: r.number,
    lot: r.lot,
    customer: r.customer,
    quantity: r.quantity,
    state: r.state,
    decision: r.decision?.decision ?? null,
    createdAt: r.createdAt,
    version: r.ledgerVersion,
    actions: availableActions(rmaLifecycle, r, user),
  };
}

export function presentRma(r: RmaDoc, user: SessionUser) {
  return {
    ...presentRmaRow(r, user),
    shipDate: r.shipDate,
    warrantyEnd: r.warrantyEnd,
    customerReason: r.customerReason,
    createdBy: r.createdBy,
    receipt: r.receipt,
    inspection: r.inspection,
    pending: r.pending,
    decision: r.decision ? { ...r.decision, lotDecision: LOT_DECISION[r.decision.decision] } : null,
    link: { route: 'lot', id: r.lot.id },
    stream: `rma:${r._id}`,
  };
}
