import type { AppError } from '../../platform/errors.ts';
import { errors } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { refusal as catalogRefusal } from '../../records/refusal.ts';
import {
  refusalOf,
  type CommandContext,
  type Lifecycle,
  type Refusal,
  type Transition,
} from '../../records/lifecycle.ts';
import { addMonths, todayUtc } from '../../platform/dates.ts';
import { assertQuantityInRange, sumQty } from '../../platform/fields.ts';
import { getCustomer, getItem, getLocation } from '../items/service.ts';
import { E as MasterData } from '../items/errors.ts';
import { InventoryErrors as E } from './errors.ts';
import { lotEvents, type Decision } from './events.ts';
import type { LotState, LotStatus } from './lot.record.ts';

// The lot lifecycle, declared once: the lot's `actions`, the command path (records/command.ts),
// the e-signature policy (canSign, derived) and GET /lifecycles/lot all read this. Stock
// movements are unsigned actions appending their own event; QA decisions propose the decision
// (lot.decisionProposed) and the signer's e-signature completes it (lot.record.ts afterSignature).
// Every quantity rule is judged in `event`, so again on the state the event lands on (a race
// between two writers never drives a balance negative).

/** A catalog error as a lifecycle refusal, with its details (the lot's status, its expiry date) as the API gave them. */
const refusal = (e: AppError): Refusal => ({ ...catalogRefusal(e), details: e.details });

const ALL: LotStatus[] = [
  'quarantine',
  'released',
  'on_hold',
  'rejected',
  'expired',
  'consumed',
  'scrapped',
  'shipped',
];
/** Statuses in which the lot still has stock to move or adjust (consumed, scrapped and shipped lots are gone). */
const IN_STOCK: LotStatus[] = ['quarantine', 'released', 'on_hold', 'rejected', 'expired'];

export const isPastExpiry = (l: LotState) => !!l.expiryDate && l.expiryDate < todayUtc();
export const available = (l: LotState, location: string) =>
  l.balances.find((b) => b.location === location)?.quantity ?? 0;
const notReleased = (l: LotState) =>
  E.LOT_NOT_RELEASED({ lotNumber: l.lotNumber, status: l.status }, { status: l.status });
const expired = (l: LotState) =>
  E.LOT_EXPIRED({ lotNumber: l.lotNumber, expiryDate: l.expiryDate }, { expiryDate: l.expiryDate });

/** Why a lot may not be issued to production or shipped: only released, unexpired lots may. */
export function notIssuable(l: LotState): AppError | null {
  if (l.status === 'expired' || (l.status === 'released' && isPastExpiry(l))) return expired(l);
  return l.status === 'released' ? null : notReleased(l);
}
export function assertIssuable(l: LotState) {
  const refused = notIssuable(l);
  if (refused) throw refused;
}

function mustHave(l: LotState, quantity: number, location: string) {
  const here = available(l, location);
  if (here < quantity) {
    throw E.INSUFFICIENT_QUANTITY(
      { lotNumber: l.lotNumber, location, available: here, requested: quantity, unit: l.item.unit },
      { available: here, requested: quantity, location },
    );
  }
}
/** A lot never holds more than a quantity can (QTY_MAX): an adjustment or count beyond it is refused. */
const withinBounds = (l: LotState, delta: number) =>
  assertQuantityInRange(sumQty(l.quantity, delta), { en: `Lot ${l.lotNumber}`, zh: `批次 ${l.lotNumber} 的数量` });

/** Where a lot of this status may go (quarantined goods stay segregated, 21 CFR 820.86 / ISO 13485 7.5.8). */
async function assertDestination(c: CommandContext<LotState>, to: string) {
  const loc = await getLocation(c.s, to);
  if (!loc.active) throw E.LOCATION_INACTIVE({ location: to });
  const l = c.state;
  const allowed =
    l.status === 'quarantine'
      ? ['quarantine', 'reject']
      : l.status === 'rejected'
        ? ['reject']
        : ['storage', 'quarantine', 'reject'];
  if (!allowed.includes(loc.kind)) {
    throw MasterData.LOCATION_NOT_ALLOWED(
      {
        en: `A ${l.status} lot cannot go to a ${loc.kind} location.`,
        zh: `"${l.status}"状态的批次不能移入"${loc.kind}"类库位。`,
      },
      { status: l.status, kind: loc.kind },
    );
  }
}

interface MoveInput {
  from: string;
  to: string;
  quantity: number;
  source?: string;
}
interface AdjustInput {
  location: string;
  delta: number;
  reason: string;
  source?: string;
}
interface CountInput {
  location: string;
  counted: number;
  reason?: string;
}
interface IssueInput {
  quantity: number;
  location?: string;
  workOrder: string;
}
interface ShipInput {
  customer: string;
  shipDate?: string;
  reference: string;
  /** A sales order's shipment of part of a lot-controlled lot (a serialized unit always ships whole). */
  quantity?: number;
  location?: string;
  salesOrderId?: string;
  shipmentId?: string;
}
const inputOf = <T>(c: CommandContext<LotState>) => c.input as unknown as T;

const move: Transition<LotState> = {
  name: 'move',
  from: IN_STOCK,
  permission: 'inventory.manage',
  needsValues: true,
  prepare: async (c) => {
    const m = inputOf<MoveInput>(c);
    if (m.from === m.to)
      throw errors.validation('body.to', { en: 'the destination is the source', zh: '目的库位与来源库位相同' });
    await assertDestination(c, m.to);
  },
  event: (l, _p, c) => {
    const m = inputOf<MoveInput>(c);
    mustHave(l, m.quantity, m.from);
    return lotEvents.change('lot.moved', { from: m.from, to: m.to, quantity: m.quantity, source: m.source ?? null });
  },
};

const adjust: Transition<LotState> = {
  name: 'adjust',
  from: IN_STOCK,
  permission: 'inventory.manage',
  needsReason: true,
  needsValues: true,
  prepare: async (c) => {
    await getLocation(c.s, inputOf<AdjustInput>(c).location);
  },
  event: (l, _p, c) => {
    const a = inputOf<AdjustInput>(c);
    const after = sumQty(available(l, a.location), a.delta);
    if (l.kind === 'serial' && after > 1)
      throw errors.validation('body.delta', { en: 'a serialized unit is one piece', zh: '序列号管理的产品只有一件' });
    if (after < 0) mustHave(l, -a.delta, a.location);
    withinBounds(l, a.delta);
    return lotEvents.change(
      'lot.adjusted',
      { location: a.location, delta: a.delta, source: a.source ?? null },
      a.reason,
    );
  },
};

/** A stock count: the difference to the book quantity becomes an adjustment (zero: the count is still recorded). Any status, as before. */
const count: Transition<LotState> = {
  name: 'count',
  from: ALL,
  permission: 'inventory.manage',
  needsValues: true,
  prepare: async (c) => {
    await getLocation(c.s, inputOf<CountInput>(c).location);
  },
  event: (l, _p, c) => {
    const k = inputOf<CountInput>(c);
    const delta = sumQty(k.counted, -available(l, k.location));
    withinBounds(l, delta);
    return lotEvents.change(
      'lot.adjusted',
      { location: k.location, delta, counted: k.counted, source: 'stock-count' },
      k.reason ?? (delta === 0 ? 'stock count: no difference' : 'stock count difference'),
    );
  },
};

const issue: Transition<LotState> = {
  name: 'issue',
  from: ['released'],
  permission: 'inventory.issue',
  needsValues: true,
  event: (l, _p, c) => {
    const i = inputOf<IssueInput>(c);
    assertIssuable(l);
    const location =
      i.location ?? l.balances.find((b) => b.quantity >= i.quantity)?.location ?? l.balances[0]?.location;
    mustHave(l, i.quantity, location ?? '-');
    return lotEvents.change('lot.issued', {
      location: location!,
      quantity: i.quantity,
      workOrder: i.workOrder,
      source: `work-order:${i.workOrder}`,
    });
  },
};

const hold: Transition<LotState> = {
  name: 'hold',
  from: ['quarantine', 'released'],
  to: 'on_hold',
  permission: 'inventory.hold',
  needsReason: true,
  event: (_l, _p, c) =>
    lotEvents.change('lot.held', { source: (c.input.source as string | undefined) ?? null }, String(c.input.reason)),
};

/** Ships a released serialized unit to a customer (the warranty runs from the ship date), or a quantity of a lot (sales orders). */
const ship: Transition<LotState> = {
  name: 'ship',
  from: ['released'],
  to: 'shipped',
  permission: 'inventory.ship',
  needsValues: true,
  // The lot page offers it on a serialized unit. A quantity of a lot-controlled lot is shipped by a
  // sales order's shipment (modules/sales), which names the quantity and the order; the API still
  // takes a quantity without an order (the same release/hold/expiry rules judge it), so the
  // forward trace and recalls read every shipment from the lot's own events either way.
  targets: (l) => (l.kind === 'serial' ? [{}] : []),
  prepare: async (c) => {
    const sh = inputOf<ShipInput>(c);
    const customer = await getCustomer(c.s, sh.customer);
    if (!customer.active) throw E.CUSTOMER_INACTIVE({ customer: sh.customer });
    const item = await getItem(c.s, c.state.item.id);
    const shipDate = sh.shipDate ?? todayUtc();
    return { shipDate, warrantyEnd: item.warrantyMonths > 0 ? addMonths(shipDate, item.warrantyMonths) : null };
  },
  event: (l, plan: { shipDate: string; warrantyEnd: string | null }, c) => {
    assertIssuable(l);
    const sh = inputOf<ShipInput>(c);
    if (l.kind !== 'serial' && sh.quantity === undefined) throw E.NOT_A_SERIAL();
    const part =
      l.kind === 'serial' || sh.quantity === undefined
        ? {}
        : {
            quantity: sh.quantity,
            location:
              sh.location ?? l.balances.find((b) => b.quantity >= sh.quantity!)?.location ?? l.balances[0]?.location,
          };
    if (part.quantity !== undefined) mustHave(l, part.quantity, part.location ?? '-');
    return lotEvents.change('lot.shipped', {
      customer: sh.customer,
      shipDate: plan.shipDate,
      warrantyEnd: plan.warrantyEnd,
      reference: sh.reference,
      ...part,
      ...(sh.salesOrderId ? { salesOrderId: sh.salesOrderId } : {}),
      ...(sh.shipmentId ? { shipmentId: sh.shipmentId } : {}),
    });
  },
};

interface ReturnInput {
  rmaId: string;
  rma: string;
  customer: string;
  quantity: number;
  location: string;
  reason?: string;
}
/**
 * A return (modules/returns) received back into a quarantine location: the lot goes on hold until
 * the return's signed decision (ISO 13485:2016 8.3 / 21 CFR 820.86: returned product is segregated
 * as nonconforming-until-shown-otherwise). Never more than this customer has in the field.
 */
const receiveReturn: Transition<LotState> = {
  name: 'receive_return',
  from: ['shipped', 'released', 'on_hold', 'consumed'],
  permission: 'inventory.manage',
  needsValues: true,
  targets: () => [],
  prepare: async (c) => {
    const at = inputOf<ReturnInput>(c).location;
    const loc = await getLocation(c.s, at);
    if (!loc.active) throw E.LOCATION_INACTIVE({ location: at });
    if (loc.kind !== 'quarantine')
      throw MasterData.LOCATION_NOT_ALLOWED(
        { en: 'A return is received into a quarantine location.', zh: '退货须收入隔离库位。' },
        { kind: loc.kind },
      );
  },
  event: (l, _p, c) => {
    const r = inputOf<ReturnInput>(c);
    const inField = l.inField?.[r.customer] ?? 0;
    if (r.quantity > inField || (l.kind === 'serial' && r.quantity !== 1))
      throw E.RETURN_EXCEEDS_SHIPPED({ lotNumber: l.lotNumber, customer: r.customer, inField, requested: r.quantity });
    return lotEvents.change(
      'lot.returned',
      { rmaId: r.rmaId, rma: r.rma, customer: r.customer, quantity: r.quantity, location: r.location },
      r.reason ?? `return ${r.rma}`,
    );
  },
};

// QA decisions. 21 CFR 820.86 / ISO 13485 8.3: nonconforming or quarantined product is released,
// used under concession or scrapped only by an authorized person's signed decision.
const inspected: Refusal = refusal(E.INSPECTION_NOT_COMPLETE());
const passed: Refusal = refusal(E.INSPECTION_FAILED());
const RELEASING = new Set<Decision>(['release', 'conditional', 'release_hold']);
/** Decisions taken on the lot's incoming inspection (inspection.lifecycle.ts), never from the lot's own page. */
export const DECIDED_ON_INSPECTION = new Set<string>(['release', 'reject', 'conditional']);

/** 21 CFR 820.80 / ISO 13485 7.4.3: whoever entered the inspection results does not release on them. */
export const NOT_INSPECTOR = {
  rule: 'not_inspector',
  refusal: {
    code: 'SIGNER_IS_AUTHOR',
    en: 'The inspector of a lot cannot release it.',
    zh: '检验员不能放行自己检验的批次。',
  },
};
const notInspector = {
  ...NOT_INSPECTOR,
  violatedBy: (u: SessionUser, l: LotState) => l.inspection?.inspectorId === u.id,
};

/** The checks of a decision that read the date (never in the declaration: a signature must verify on any later day). */
function mayDecide(decision: Decision, l: LotState) {
  if (RELEASING.has(decision) && isPastExpiry(l)) throw expired(l);
}

/** What to scrap: the signed quantity at the location (default: all of it at the first one). */
function scrapOf(l: LotState, input: Record<string, unknown>) {
  const location = (input.location as string | undefined) ?? l.balances[0]?.location;
  const quantity = (input.quantity as number | undefined) ?? available(l, location ?? '');
  if (!location || quantity <= 0) throw E.NOTHING_TO_SCRAP();
  mustHave(l, quantity, location);
  return { quantity, location };
}

function decision(name: Decision, rule: Omit<Transition<LotState>, 'name' | 'event'>): Transition<LotState> {
  return {
    name,
    ...rule,
    event: (l, _p, c) => {
      mayDecide(name, l);
      const reason = String(c.input.reason ?? '');
      const { inspectionId, ncId } = c.input as { inspectionId?: string; ncId?: string };
      const extra =
        name === 'scrap'
          ? scrapOf(l, c.input)
          : { ...(inspectionId ? { inspectionId } : {}), ...(ncId ? { ncId } : {}) };
      return lotEvents.change('lot.decisionProposed', { decision: name, reason, ...extra }, reason);
    },
  };
}

export const lotLifecycle: Lifecycle<LotState> = {
  record: 'lot',
  initial: 'quarantine',
  states: ALL,
  final: ['consumed', 'scrapped', 'shipped'],
  transitions: [
    move,
    adjust,
    count,
    issue,
    hold,
    ship,
    receiveReturn,
    decision('release', {
      from: ['quarantine'],
      to: 'released',
      permission: 'inspection.disposition',
      signature: { meaning: 'released' },
      separation: [notInspector],
      preconditions: [
        { refusal: inspected, holds: (l) => !!l.inspection },
        { refusal: passed, holds: (l) => l.inspection?.result === 'pass' },
      ],
    }),
    decision('reject', {
      from: ['quarantine', 'on_hold'],
      to: 'rejected',
      permission: 'inspection.disposition',
      signature: { meaning: 'rejected' },
      needsReason: true,
    }),
    decision('conditional', {
      from: ['quarantine'],
      to: 'released',
      permission: 'inspection.conditional',
      signature: { meaning: 'approved' },
      needsReason: true,
      separation: [notInspector],
      preconditions: [{ refusal: inspected, holds: (l) => !!l.inspection }],
    }),
    decision('release_hold', {
      from: ['on_hold'],
      permission: 'inventory.release',
      signature: { meaning: 'released' },
      needsReason: true,
    }),
    decision('scrap', {
      from: IN_STOCK,
      permission: 'inventory.release',
      signature: { meaning: 'approved' },
      needsReason: true,
      needsValues: true,
    }),
  ],
  stateOf: (l) => l.status,
  wrongState: (t, _current, l) => {
    if (t.name === 'issue' || t.name === 'ship') return refusal(notIssuable(l) ?? notReleased(l));
    if (t.name === 'move' || t.name === 'adjust') return refusal(notReleased(l));
    return refusal(E.LOT_WRONG_STATUS({ action: t.name.replace('_', ' '), status: l.status }));
  },
  // a lot is signed only to complete its pending decision: with nothing pending there is nothing to
  // sign (a decision starts on its own route, or on the incoming inspection, never by a bare signature)
  signingAction: (l) => l.pending?.decision ?? 'nothing_pending',
};

/** The meaning of the signature that completes `decision`. */
export const decisionMeaning = (d: Decision) => lotLifecycle.transitions.find((t) => t.name === d)!.signature!.meaning;

/** The refusal of a decision on a lot before anything is proposed (the incoming inspection asks it for every lot first). */
export function assertMayDecide(l: LotState, d: Decision, user: SessionUser) {
  const refused = refusalOf(lotLifecycle, d, l, user);
  if (refused) throw refused;
  mayDecide(d, l);
}
