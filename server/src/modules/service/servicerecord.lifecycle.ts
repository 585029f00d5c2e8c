import type { CommandContext, Lifecycle, Precondition, Separation, Transition } from '../../records/lifecycle.ts';
import { refusalOf } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { runCommand } from '../../records/command.ts';
import { mutate } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getLot } from '../inventory/service.ts';
import { lotLifecycle } from '../inventory/lot.lifecycle.ts';
import type { LotState } from '../inventory/lot.record.ts';
import { recordComplaint } from '../complaints/service.ts';
import type { NewComplaint } from '../complaints/schema.ts';
import { ServiceErrors as E } from './errors.ts';
import { serviceEvents } from './events.ts';
import type { ServiceState } from './servicerecord.record.ts';

// The service record's lifecycle, declared once (QMSR 820.35(b) service records; 21 CFR 820.198 /
// QMSR 820.35(a) and ISO 13485:2016 7.5.4, 8.2.2: each service report is screened as a possible
// complaint):
//   open: issue_part (from stock, the lot's own issue command), exchange (warranty exchange: the
//   replacement ships to the customer by the lot's own ship command), screen (yes: a complaint is
//   opened through the complaints module and linked; no: the reason, in both languages)
//   screened --complete(service.write, not whoever recorded it, signed "approved")--> completed
type S = ServiceState;
const input = <T>(c: CommandContext<S>) => c.input as unknown as T;

const notTechnician: Separation<S> = {
  rule: 'not_recorder',
  refusal: refusal(E.SERVICE_TECHNICIAN_CANNOT_SIGN()),
  violatedBy: (u: SessionUser, r: S) => r.createdBy.id === u.id,
};
const screened: Precondition<S> = { refusal: refusal(E.SERVICE_NOT_SCREENED()), holds: (r) => !!r.screening };

function lotRefuses(lot: LotState, action: string, user: SessionUser) {
  const r = refusalOf(lotLifecycle, action, lot, user);
  if (r) throw r;
}

const issuePart: Transition<S> = {
  name: 'issue_part',
  from: ['open', 'screened'],
  permission: 'service.write',
  needsValues: true,
  prepare: async (c) => {
    const lot = await getLot(c.s, input<{ lotId: string }>(c).lotId);
    lotRefuses(lot, 'issue', c.user);
    return lot;
  },
  event: (_r, lot: Awaited<ReturnType<typeof getLot>>, c) =>
    serviceEvents.change('service.partIssued', {
      lotId: lot._id,
      lotNumber: lot.lotNumber,
      partNumber: lot.item.partNumber,
      quantity: input<{ quantity: number }>(c).quantity,
    }),
  // the lot's own issue: released, unexpired, never below zero (judged where it lands)
  after: async (c, r) => {
    const i = input<{ lotId: string; quantity: number }>(c);
    await runCommand(c.s, c.user, streamOf('lot', i.lotId), 'issue', { quantity: i.quantity, workOrder: r.number });
  },
};

const exchange: Transition<S> = {
  name: 'exchange',
  from: ['open', 'screened'],
  permission: 'service.write',
  needsValues: true,
  prepare: async (c) => {
    if (c.state.exchange) throw E.SERVICE_ALREADY_EXCHANGED();
    const lot = await getLot(c.s, input<{ replacementLotId: string }>(c).replacementLotId);
    if (lot.kind !== 'serial' || lot.item.id !== c.state.device.itemId || lot._id === c.state.lotId)
      throw E.SERVICE_NOT_AN_EXCHANGE();
    lotRefuses(lot, 'ship', c.user);
    return lot;
  },
  event: (r, lot: Awaited<ReturnType<typeof getLot>>) =>
    serviceEvents.change('service.exchanged', {
      faultySerial: r.serial,
      replacementLotId: lot._id,
      replacementSerial: lot.serial ?? lot.lotNumber,
    }),
  // the replacement ships to the same customer through the lot's own ship command (its warranty starts then)
  after: async (c, r) => {
    await runCommand(c.s, c.user, streamOf('lot', r.exchange!.replacementLotId), 'ship', {
      customer: r.customer,
      reference: `${r.number} exchange`,
    });
  },
};

type ScreenInput =
  | { possibleComplaint: true; complaint: Omit<NewComplaint, 'lot' | 'itemId' | 'receivedDate' | 'awarenessDate'> }
  | { possibleComplaint: false; reason: { en: string; zh: string } };
const screen: Transition<S> = {
  name: 'screen',
  from: ['open'],
  to: 'screened',
  permission: 'service.screen',
  needsValues: true,
  event: (_r, _p, c) => {
    const i = input<ScreenInput>(c);
    return serviceEvents.change('service.screened', {
      possibleComplaint: i.possibleComplaint,
      reason: i.possibleComplaint ? null : i.reason,
    });
  },
  // yes: the complaint is opened through the complaints module (its own checks and number), then linked
  after: async (c, r) => {
    const i = input<ScreenInput>(c);
    if (!i.possibleComplaint || r.complaint) return;
    const cmp = await recordComplaint(c.s, c.user, {
      ...i.complaint,
      lot: r.lotId,
      receivedDate: r.serviceDate,
      awarenessDate: r.serviceDate,
    } as NewComplaint);
    await mutate<S>(c.s, c.stream, undefined, (st) =>
      st?.complaint
        ? null
        : serviceEvents.change('service.complaintLinked', { complaintId: cmp._id, number: cmp.number }),
    );
  },
};

const complete: Transition<S> = {
  name: 'complete',
  from: ['screened'],
  to: 'completed',
  permission: 'service.write',
  signature: { meaning: 'approved' },
  // the completion summary is collected by the page's form before the signature dialog
  needsValues: true,
  separation: [notTechnician],
  preconditions: [screened],
  event: (_r, _p, c) => serviceEvents.change('service.completionProposed', { summary: String(c.input.summary ?? '') }),
};

export const serviceLifecycle: Lifecycle<S> = {
  record: 'service',
  initial: 'open',
  states: ['open', 'screened', 'completed'],
  final: ['completed'],
  transitions: [issuePart, exchange, screen, complete],
  stateOf: (r) => r.state,
  wrongState: (t, current) => refusal(E.SERVICE_WRONG_STATE({ action: t.name, state: current ?? '-' })),
};
