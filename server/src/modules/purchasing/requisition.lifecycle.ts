import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { RequisitionState } from './requisition.record.ts';
import { requisitionEvents } from './events.ts';
import { E } from './errors.ts';
import { getPo } from './queries.ts';

// The requisition lifecycle: open → ordered (by the PO created from it) | cancelled. Nothing on
// a requisition is signed, and nothing separates duties: a requisition states a need and is
// approved nowhere (the PO made from it is, above the threshold, by someone other than its author).
export const requisitionLifecycle: Lifecycle<RequisitionState> = {
  record: 'requisition',
  initial: 'open',
  states: ['open', 'ordered', 'cancelled'],
  final: ['ordered', 'cancelled'],
  transitions: [
    {
      // the values are the PO: it is created with POST /purchase-orders {requisitionId}, which ends here
      name: 'order',
      from: ['open'],
      to: 'ordered',
      permission: 'purchasing.manage',
      needsValues: true,
      prepare: async ({ s, id, input }) => {
        const po = typeof input.poId === 'string' ? await getPo(s, input.poId).catch(() => null) : null;
        if (!po || po.requisitionId !== id) throw E.REQUISITION_NOT_ORDERED_BY_PO();
        return { poId: po._id, poNumber: po.number };
      },
      event: (_r, plan: { poId: string; poNumber: string }) => requisitionEvents.change('requisition.ordered', plan),
    },
    {
      name: 'cancel',
      from: ['open'],
      to: 'cancelled',
      permission: 'purchasing.request',
      needsReason: true,
      // the requester withdraws their own request; purchasing may cancel any
      who: (u, r) => u.id === r.requestedBy.id || hasPermission(u, 'purchasing.manage'),
      event: (_r, _plan, c) => requisitionEvents.change('requisition.cancelled', {}, c.input.reason),
    },
  ],
  stateOf: (r) => r.status,
  wrongState: (_t, _state, r) => refusal(E.REQUISITION_NOT_OPEN({ number: r.number, state: r.status })),
};
