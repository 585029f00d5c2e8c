import type { CommandContext, Lifecycle, Precondition, Separation, Transition } from '../../records/lifecycle.ts';
import { refusalOf } from '../../records/lifecycle.ts';
import { refusal as catalogRefusal } from '../../records/refusal.ts';
import { runCommand } from '../../records/command.ts';
import { streamOf } from '../../records/registry.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getLocation } from '../items/service.ts';
import { getLot } from '../inventory/service.ts';
import { assertMayDecide, available, lotLifecycle } from '../inventory/lot.lifecycle.ts';
import { InventoryErrors } from '../inventory/errors.ts';
import type { Decision } from '../inventory/events.ts';
import type { LotState } from '../inventory/lot.record.ts';
import { ReturnsErrors as E } from './errors.ts';
import { rmaEvents, type RmaDecision } from './events.ts';
import type { RmaState } from './rma.record.ts';

// The return (RMA) lifecycle, declared once (ISO 13485:2016 8.3.3 nonconforming product detected
// after delivery, 7.5.8 / 21 CFR 820.86 identification of status, 8.3 control of nonconforming
// product; QMSR 820.35 records):
//   open --receive(returns.write; the lot goes on hold in a quarantine location)--> received
//   received --inspect(returns.write: findings, conforming yes/no)--> inspected
//   inspected --restock | rework | scrap | return_to_supplier (returns.decide, not the inspector,
//   signed "approved"; restock only when the inspection found it conforming)--> decided
// Each decision is applied to the stock by the lot's own signed decision, in the same command and
// by the same signer (records/command.ts: credentials once per command tree):
//   restock → release_hold (back to released stock), rework and return to supplier → reject
//   (nonconforming, segregated in reject stock for the rework order or the supplier), scrap → scrap.
type R = RmaState;
const input = <T>(c: CommandContext<R>) => c.input as unknown as T;

export const LOT_DECISION: Record<RmaDecision, Decision> = {
  restock: 'release_hold',
  rework: 'reject',
  scrap: 'scrap',
  return_to_supplier: 'reject',
};

// ISO 13485:2016 8.3 / 21 CFR 820.86 and 4.2.5: the decision is signed by someone other than the inspector.
const notInspector: Separation<R> = {
  rule: 'not_inspector',
  refusal: catalogRefusal(E.RMA_INSPECTOR_CANNOT_DECIDE()),
  violatedBy: (u: SessionUser, r: R) => r.inspection?.byId === u.id,
};
const conforming: Precondition<R> = {
  refusal: catalogRefusal(E.RMA_NOT_CONFORMING()),
  holds: (r) => r.inspection?.conforming === true,
};

/** The lot's own refusal of an action, before anything is written on the return. */
function lotRefuses(lot: LotState, action: string, user: SessionUser) {
  const r = refusalOf(lotLifecycle, action, lot, user);
  if (r) throw r;
}

const receive: Transition<R> = {
  name: 'receive',
  from: ['open'],
  to: 'received',
  permission: 'returns.write',
  needsValues: true,
  prepare: async (c) => {
    const { location } = input<{ location: string }>(c);
    const loc = await getLocation(c.s, location);
    if (!loc.active) throw InventoryErrors.LOCATION_INACTIVE({ location });
    if (loc.kind !== 'quarantine') throw E.RMA_NOT_QUARANTINE({ location });
    const lot = await getLot(c.s, c.state.lot.id);
    lotRefuses(lot, 'receive_return', c.user);
    const inField = lot.inField?.[c.state.customer] ?? 0;
    if (c.state.quantity > inField)
      throw E.RMA_NOT_SHIPPED_TO_CUSTOMER({
        lotNumber: lot.lotNumber,
        customer: c.state.customer,
        inField,
        requested: c.state.quantity,
      });
  },
  event: (_r, _p, c) => rmaEvents.change('rma.received', { location: input<{ location: string }>(c).location }),
  // the lot's own command: on hold in quarantine, judged again on the lot where it lands
  after: async (c, r) => {
    await runCommand(c.s, c.user, streamOf('lot', r.lot.id), 'receive_return', {
      rmaId: r.id,
      rma: r.number,
      customer: r.customer,
      quantity: r.quantity,
      location: r.receipt!.location,
      reason: `return ${r.number}: ${r.customerReason}`.slice(0, 2000),
    });
  },
};

const inspect: Transition<R> = {
  name: 'inspect',
  from: ['received'],
  to: 'inspected',
  permission: 'returns.write',
  needsValues: true,
  event: (_r, _p, c) => {
    const i = input<{ findings: string; conforming: boolean }>(c);
    return rmaEvents.change('rma.inspected', { findings: i.findings, conforming: i.conforming });
  },
};

interface DecidePlan {
  location: string;
}
function decide(name: RmaDecision, preconditions: Precondition<R>[] = []): Transition<R> {
  return {
    name,
    from: ['inspected'],
    to: 'decided',
    permission: 'returns.decide',
    signature: { meaning: 'approved' },
    needsReason: true,
    separation: [notInspector],
    preconditions,
    // the lot's own decision is judged first, so a refusal there writes nothing here either
    prepare: async (c): Promise<DecidePlan> => {
      const lot = await getLot(c.s, c.state.lot.id);
      assertMayDecide(lot, LOT_DECISION[name], c.user);
      const location = c.state.receipt!.location;
      if (name === 'scrap' && available(lot, location) < c.state.quantity)
        throw InventoryErrors.INSUFFICIENT_QUANTITY(
          {
            lotNumber: lot.lotNumber,
            location,
            available: available(lot, location),
            requested: c.state.quantity,
            unit: lot.item.unit,
          },
          { available: available(lot, location), requested: c.state.quantity, location },
        );
      return { location };
    },
    event: (_r, _p, c) =>
      rmaEvents.change('rma.decisionProposed', { decision: name, reason: String(c.input.reason ?? '') }),
    // applied to the stock: the lot's signed decision, by the same signer, once the return's landed
    after: async (c, r, plan: DecidePlan) => {
      if (r.decision?.decision !== name) return;
      const { password, totp } = c.input as { password: string; totp?: string };
      await runCommand(c.s, c.user, streamOf('lot', r.lot.id), LOT_DECISION[name], {
        password,
        totp,
        reason: `RMA ${r.number} ${name}: ${r.decision.reason}`.slice(0, 2000),
        ...(name === 'scrap' ? { quantity: r.quantity, location: plan.location } : {}),
      });
    },
  };
}

export const rmaLifecycle: Lifecycle<R> = {
  record: 'rma',
  initial: 'open',
  states: ['open', 'received', 'inspected', 'decided'],
  final: ['decided'],
  transitions: [
    receive,
    inspect,
    decide('restock', [conforming]),
    decide('rework'),
    decide('scrap'),
    decide('return_to_supplier'),
  ],
  stateOf: (r) => r.state,
  wrongState: (t, current) => catalogRefusal(E.RMA_WRONG_STATE({ action: t.name, state: current ?? '-' })),
  // the four decisions share the meaning "approved": the signature completes the one proposed
  signingAction: (r) => r.pending?.decision ?? 'nothing_pending',
};
