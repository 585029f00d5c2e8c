import type { Change } from '../../records/ledgerOps.ts';
import type { CommandContext, Lifecycle, Precondition, Separation, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { todayUtc } from '../../platform/dates.ts';
import { RecallErrors as E } from './errors.ts';
import { recallEvents } from './events.ts';
import type { RecallState } from './recall.record.ts';
import { openQuantity } from './units.ts';
import { clocksFor } from './rules.ts';

// The recall lifecycle, declared once (21 CFR 806; 21 CFR 7.46-7.49 recall strategy, notification
// and effectiveness checks; EU MDR Art. 87(1)(b), 89(8); NMPA 医疗器械召回管理办法 2017; ISO 13485:2016
// 8.3.3 action on nonconforming product detected after delivery, 7.2.3 advisory notices):
//   draft --approve(recall.approve, not the initiator, signed "approved")--> open
//   open: notify each customer, record each acknowledgement, each unit's disposition (returned,
//   corrected, destroyed, not found), each regulatory report against its clock
//   --close(recall.approve, not the initiator, every customer notified, signed "approved")--> closed
// The API's `actions`, the command path, the e-signature policy and GET /lifecycles/recall read this.
type R = RecallState;
const input = <T>(c: CommandContext<R>) => c.input as unknown as T;

// Separation of duties (ISO 13485:2016 4.2.5 / 8.3, 21 CFR 11.10(g)): the recall is approved and
// closed by someone other than whoever initiated it.
const notInitiator: Separation<R> = {
  rule: 'not_initiator',
  refusal: refusal(E.RECALL_INITIATOR_CANNOT_SIGN()),
  violatedBy: (u: SessionUser, r: R) => u.id === r.createdBy.id,
};
const allNotified: Precondition<R> = {
  refusal: refusal(E.RECALL_CUSTOMERS_NOT_NOTIFIED()),
  holds: (r) => r.customers.every((c) => !!c.notification),
  details: (r) => ({ open: r.customers.filter((c) => !c.notification).map((c) => c.code) }),
};

/** A date on the recall's record: not before it was initiated, not in the future. */
function inRange(r: R, date: string) {
  if (date < r.initiatedOn || date > todayUtc()) throw E.RECALL_DATE_OUT_OF_RANGE();
}
const customerOf = (r: R, code: unknown) => {
  const c = r.customers.find((x) => x.code === code);
  if (!c) throw E.RECALL_NOT_A_CUSTOMER({ customer: String(code) });
  return c;
};
function notifiable(r: R, c: CommandContext<R>) {
  const d = input<{ customer: string; date: string }>(c);
  if (customerOf(r, d.customer).notification) throw E.RECALL_ALREADY_NOTIFIED();
  inRange(r, d.date);
}
function acknowledgeable(r: R, c: CommandContext<R>) {
  const d = input<{ customer: string; date: string }>(c);
  const cust = customerOf(r, d.customer);
  if (!cust.notification) throw E.RECALL_NOT_NOTIFIED();
  if (cust.acknowledgement) throw E.RECALL_ALREADY_ACKNOWLEDGED();
  if (d.date < cust.notification.date) throw E.RECALL_DATE_OUT_OF_RANGE();
  inRange(r, d.date);
}
function dispositionable(r: R, c: CommandContext<R>) {
  const d = input<{ lotId: string; quantity?: number; date: string }>(c);
  const u = r.units.find((x) => x.lotId === d.lotId);
  if (!u) throw E.RECALL_UNIT_NOT_IN_RECALL({ lot: d.lotId });
  const open = openQuantity(u);
  const q = d.quantity ?? (u.serial ? 1 : open);
  if (q <= 0 || q > open) throw E.RECALL_QUANTITY_EXCEEDS({ open });
  inRange(r, d.date);
  return q;
}
function reportable(r: R, c: CommandContext<R>) {
  const d = input<{ clock: string; date: string }>(c);
  if (!clocksFor(r).some((x) => x.code === d.clock)) throw E.RECALL_UNKNOWN_CLOCK();
  if (r.reports.some((x) => x.clock === d.clock)) throw E.RECALL_ALREADY_REPORTED();
  if (d.date > todayUtc()) throw E.RECALL_DATE_OUT_OF_RANGE();
}

const proposal = (action: 'approve' | 'close', summary?: string): Change =>
  recallEvents.change('recall.signingProposed', { action, data: summary === undefined ? {} : { summary } });

function recorded(
  name: string,
  check: (r: R, c: CommandContext<R>) => unknown,
  event: (r: R, c: CommandContext<R>, checked: unknown) => Change,
  targets?: Transition<R>['targets'],
): Transition<R> {
  return {
    name,
    from: ['open'],
    permission: 'recall.write',
    needsValues: true,
    targets,
    prepare: (c) => void check(c.state, c),
    // judged again on the state the event lands on
    event: (r, _p, c) => event(r, c, check(r, c)),
  };
}

export const recallLifecycle: Lifecycle<R> = {
  record: 'recall',
  initial: 'draft',
  states: ['draft', 'open', 'closed'],
  final: ['closed'],
  transitions: [
    {
      name: 'approve',
      from: ['draft'],
      to: 'open',
      permission: 'recall.approve',
      separation: [notInitiator],
      signature: { meaning: 'approved' },
      event: () => proposal('approve'),
    },
    recorded(
      'notify',
      notifiable,
      (_r, c) => {
        const d = input<{ customer: string; date: string; method: 'letter'; reference: string }>(c);
        return recallEvents.change('recall.notified', {
          customer: d.customer,
          date: d.date,
          method: d.method,
          reference: d.reference,
        });
      },
      (r) => r.customers.filter((c) => !c.notification).map((c) => ({ customer: c.code })),
    ),
    recorded(
      'acknowledge',
      acknowledgeable,
      (_r, c) => {
        const d = input<{ customer: string; date: string; contact: string }>(c);
        return recallEvents.change('recall.acknowledged', { customer: d.customer, date: d.date, contact: d.contact });
      },
      (r) => r.customers.filter((c) => c.notification && !c.acknowledgement).map((c) => ({ customer: c.code })),
    ),
    recorded(
      'disposition',
      dispositionable,
      (_r, c, quantity) => {
        const d = input<{ lotId: string; disposition: 'returned'; date: string; note?: string }>(c);
        return recallEvents.change('recall.dispositioned', {
          lotId: d.lotId,
          disposition: d.disposition,
          quantity: quantity as number,
          date: d.date,
          note: d.note ?? '',
        });
      },
      (r) => r.units.filter((u) => openQuantity(u) > 0).map((u) => ({ lotId: u.lotId })),
    ),
    recorded(
      'report',
      reportable,
      (_r, c) => {
        const d = input<{ clock: string; date: string; reference: string }>(c);
        return recallEvents.change('recall.reported', { clock: d.clock, date: d.date, reference: d.reference });
      },
      (r) =>
        clocksFor(r)
          .filter((x) => !r.reports.some((p) => p.clock === x.code))
          .map((x) => ({ clock: x.code })),
    ),
    {
      name: 'close',
      from: ['open'],
      to: 'closed',
      permission: 'recall.approve',
      needsValues: true,
      separation: [notInitiator],
      preconditions: [allNotified],
      signature: { meaning: 'approved' },
      event: (_r, _p, c) => proposal('close', String(c.input.summary ?? '')),
    },
  ],
  stateOf: (r) => r.state,
  wrongState: (t, current) => refusal(E.RECALL_WRONG_STATE({ action: t.name, state: current ?? '-' })),
  // a recall is signed only to complete its pending step
  signingAction: (r) => r.pending?.action ?? 'nothing_pending',
};
