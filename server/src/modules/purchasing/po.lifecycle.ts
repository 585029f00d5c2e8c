import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { AppError } from '../../platform/errors.ts';
import { amountOf } from '../../platform/fields.ts';
import { assertMayDeliver } from '../suppliers/service.ts';
import type { PoState } from './purchasing.record.ts';
import { approvalThreshold } from './settings.ts';
import { receiveSteps } from './receiving.ts';
import { poEvents } from './events.ts';
import { E } from './errors.ts';

// The purchase-order lifecycle, declared once: the API's `actions`, the command path
// (records/command.ts), the e-signature policy (canSign, derived) and GET /lifecycles/po read it.
//   draft → issue → approved (at or under the threshold, in CNY) | pending_approval → approve (signed) → approved
//   approved | partially_received → receive → partially_received | received;  cancel, close.
const reason = (c: { input: { reason?: string } }) => c.input.reason;

export const poLifecycle: Lifecycle<PoState> = {
  record: 'po',
  initial: 'draft',
  states: ['draft', 'pending_approval', 'approved', 'partially_received', 'received', 'closed', 'cancelled'],
  final: ['closed', 'cancelled'],
  transitions: [
    {
      // the supplier checks run again: a supplier may have been disqualified since the draft. No
      // exchange rates are kept, so another currency always needs the approval signature.
      name: 'issue',
      from: ['draft'],
      to: 'pending_approval',
      permission: 'purchasing.manage',
      prepare: async ({ s, state }) => {
        for (const [i, l] of state.lines.entries())
          await assertMayDeliver(s, state.supplier.code, l.itemId, `lines.${i}.itemId`);
        const threshold = await approvalThreshold(s);
        return { threshold, needsApproval: state.currency !== 'CNY' || state.total > threshold };
      },
      event: (p, plan: { threshold: number; needsApproval: boolean }) =>
        poEvents.change('po.issued', { total: amountOf(p.lines), ...plan }),
      after: async ({ s, stream }, _po, plan: { needsApproval: boolean }) => {
        if (!plan.needsApproval)
          await s.ledger.appendWithRetry(stream, 'po.approved', { signatureId: null, automatic: true });
      },
    },
    {
      // a bare signature: afterSignature (purchasing.record.ts) turns the counted signature into po.approved
      name: 'approve',
      from: ['pending_approval'],
      to: 'approved',
      permission: 'purchasing.approve',
      signature: { meaning: 'approved' },
      // ISO 13485 7.4.1 / 21 CFR 820.50: purchasing documents are approved by someone other than who wrote them
      separation: [
        {
          rule: 'not_author',
          refusal: refusal(new AppError('SIGNER_IS_AUTHOR')),
          violatedBy: (u, p) => u.id === p.createdBy.id,
        },
      ],
    },
    {
      name: 'receive',
      from: ['approved', 'partially_received'],
      permission: 'purchasing.receive',
      needsValues: true,
      ...receiveSteps,
    },
    {
      // nothing was received yet (a receipt moves the order past `approved`)
      name: 'cancel',
      from: ['draft', 'pending_approval', 'approved'],
      to: 'cancelled',
      permission: 'purchasing.manage',
      needsReason: true,
      event: (_p, _plan, c) => poEvents.change('po.cancelled', {}, reason(c)),
    },
    {
      // short-closes what is still open
      name: 'close',
      from: ['approved', 'partially_received', 'received'],
      to: 'closed',
      permission: 'purchasing.manage',
      needsReason: true,
      event: (_p, _plan, c) => poEvents.change('po.closed', {}, reason(c)),
    },
  ],
  stateOf: (p) => p.status,
  author: (p) => p.createdBy.id,
  wrongState: (t, state, po) => {
    if (t.name === 'approve') return refusal(E.PO_NOT_PENDING_APPROVAL({ number: po.number, state: po.status }));
    if (t.name === 'receive')
      return { ...refusal(E.PO_NOT_APPROVED({ number: po.number, state: po.status })), details: { status: po.status } };
    return undefined; // ILLEGAL_TRANSITION, as before
  },
};
