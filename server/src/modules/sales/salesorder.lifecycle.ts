import { randomUUID } from 'node:crypto';
import type { CommandContext, Lifecycle, Precondition, Transition } from '../../records/lifecycle.ts';
import { refusalOf } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { streamOf } from '../../records/registry.ts';
import { runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { errors } from '../../platform/errors.ts';
import { sumQty } from '../../platform/fields.ts';
import { todayUtc } from '../../platform/dates.ts';
import { getCustomer } from '../items/service.ts';
import { InventoryErrors } from '../inventory/errors.ts';
import { getLot } from '../inventory/service.ts';
import { lotLifecycle, notIssuable } from '../inventory/lot.lifecycle.ts';
import { udiHri } from '../complaints/udi.ts';
import { SalesErrors as E } from './errors.ts';
import { salesEvents } from './events.ts';
import { candidates, pickFefo } from './allocation.ts';
import type { Allocation, SalesOrderState, ShippedLine, SoLine } from './salesorder.record.ts';

// The sales order's lifecycle, declared once. Entering, confirming (the review of the order's
// requirements before committing to supply, ISO 13485:2016 7.2.2), allocating and cancelling are
// the order desk's (sales.write); shipping is the warehouse's (inventory.ship): each shipped lot
// or serial leaves stock through the lot's own `ship` (lot.lifecycle.ts), so the one rule "only
// released, unexpired, unheld stock ships" is judged there, and the lot records the consignee
// the genealogy reads (ISO 13485 7.5.9.2, 21 CFR 820.160(b)). Unsigned: a commercial commitment
// and a stock movement, as the lot's own ship is; the QA decision that lets stock ship is the
// lot's signed release.
type S = SalesOrderState;
const WRITE = 'sales.write' as const;

const lineOf = (o: S, lineId: unknown) => {
  const l = o.lines.find((x) => x.lineId === lineId);
  if (!l) throw E.SO_LINE_UNKNOWN();
  return l;
};
const openOf = (l: SoLine) => sumQty(l.quantity, -l.allocated, -l.shipped);
const isSerial = (l: SoLine) => l.item.control === 'serial';

interface Pick {
  lotId: string;
  quantity: number;
}
interface AllocateInput {
  lineId: string;
  quantity?: number;
  picks?: Pick[];
}
interface AllocatePlan {
  lineId: string;
  allocations: Allocation[];
}

/** FEFO (or the first serials) when no lot is named; the named lots, each checked, otherwise. */
async function planAllocation(c: CommandContext<S>): Promise<AllocatePlan> {
  const i = c.input as unknown as AllocateInput;
  const line = lineOf(c.state, i.lineId);
  const open = openOf(line);
  const asked = i.picks ? sumQty(...i.picks.map((p) => p.quantity)) : (i.quantity ?? open);
  if (isSerial(line) && (!Number.isInteger(asked) || (i.picks ?? []).some((p) => p.quantity !== 1)))
    throw E.SO_SERIAL_WHOLE();
  if (asked > open) throw E.SO_OVER_ORDERED({ requested: asked, open }, { open });
  const list = await candidates(c.s, c.state, line.item.id);
  const total = sumQty(...list.map((x) => x.available));
  if (!i.picks) {
    const allocations = pickFefo(list, asked, isSerial(line));
    if (!allocations) throw E.SO_NOT_AVAILABLE({ requested: asked, available: total }, { available: total });
    return { lineId: line.lineId, allocations };
  }
  const allocations: Allocation[] = [];
  for (const [n, p] of i.picks.entries()) {
    if (i.picks.findIndex((q) => q.lotId === p.lotId) !== n)
      throw errors.validation(`body.picks.${n}.lotId`, { en: 'named twice', zh: '重复列出' });
    const cand = list.find((x) => x.lotId === p.lotId);
    if (!cand) {
      const lot = await getLot(c.s, p.lotId); // 404 for a lot that does not exist
      if (lot.item.id !== line.item.id || notIssuable(lot))
        throw E.SO_LOT_NOT_ALLOCATABLE({ lotNumber: lot.lotNumber, status: lot.status }, { status: lot.status });
      throw E.SO_NOT_AVAILABLE({ requested: p.quantity, available: 0 }, { available: 0 });
    }
    if (p.quantity > cand.available)
      throw E.SO_NOT_AVAILABLE({ requested: p.quantity, available: cand.available }, { available: cand.available });
    const { available: _a, quantity: _q, ...rest } = cand;
    allocations.push({ ...rest, quantity: p.quantity });
  }
  return { lineId: line.lineId, allocations };
}

interface ShipInput {
  carrier: string;
  reference: string;
  shipDate?: string;
  lines?: Array<{ lineId: string; lotId: string; quantity: number }>;
}
interface ShipPlan {
  shipmentId: string;
  number: string;
  carrier: string;
  reference: string;
  shipDate: string;
  lines: ShippedLine[];
}

/** What leaves: the named allocated quantities (all that is allocated by default), each lot judged shippable now. */
async function planShipment(c: CommandContext<S>): Promise<ShipPlan> {
  const i = c.input as unknown as ShipInput;
  const o = c.state;
  const wanted =
    i.lines ??
    o.lines.flatMap((l) => l.allocations.map((a) => ({ lineId: l.lineId, lotId: a.lotId, quantity: a.quantity })));
  if (!wanted.length) throw E.SO_NOTHING_TO_SHIP();
  const customer = await getCustomer(c.s, o.customer.code);
  if (!customer.active) throw InventoryErrors.CUSTOMER_INACTIVE({ customer: o.customer.code });
  const lines: ShippedLine[] = [];
  for (const [n, w] of wanted.entries()) {
    if (wanted.findIndex((x) => x.lineId === w.lineId && x.lotId === w.lotId) !== n)
      throw errors.validation(`body.lines.${n}.lotId`, { en: 'named twice', zh: '重复列出' });
    const line = lineOf(o, w.lineId);
    if (isSerial(line) && w.quantity !== 1) throw E.SO_SERIAL_WHOLE();
    const a = line.allocations.find((x) => x.lotId === w.lotId);
    if (!a || w.quantity > a.quantity)
      throw E.SO_OVER_SHIPPED(
        { lotNumber: a?.lotNumber ?? w.lotId, requested: w.quantity, allocated: a?.quantity ?? 0 },
        { allocated: a?.quantity ?? 0 },
      );
    // the lot's own ship is judged now, so a held, quarantined or expired lot refuses before anything is written
    const lot = await getLot(c.s, w.lotId);
    const refused = refusalOf(lotLifecycle, 'ship', lot, c.user) ?? notIssuable(lot);
    if (refused) throw refused;
    if (lot.quantity < w.quantity)
      throw InventoryErrors.INSUFFICIENT_QUANTITY(
        {
          lotNumber: lot.lotNumber,
          location: '-',
          available: lot.quantity,
          requested: w.quantity,
          unit: lot.item.unit,
        },
        { available: lot.quantity, requested: w.quantity },
      );
    lines.push({
      lineId: line.lineId,
      lotId: lot._id,
      lotNumber: lot.lotNumber,
      serial: lot.serial,
      expiryDate: lot.expiryDate,
      quantity: w.quantity,
      udi: udiHri({
        di: line.item.gtin,
        mfgDate: lot.mfgDate,
        expiryDate: lot.expiryDate,
        lot: lot.lotNumber,
        serial: lot.serial,
      }),
    });
  }
  return {
    shipmentId: randomUUID(),
    number: '',
    carrier: i.carrier,
    reference: i.reference,
    shipDate: i.shipDate ?? todayUtc(),
    lines,
  };
}

/** After the credentials: the shipment's number, then each lot ships through its own command (as the work order's issue does). */
async function shipLots(c: CommandContext<S>, plan: ShipPlan) {
  plan.number = await yearlyNumber(c.s, 'SHP');
  for (const l of plan.lines) {
    await runCommand(c.s, c.user, streamOf('lot', l.lotId), 'ship', {
      customer: c.state.customer.code,
      shipDate: plan.shipDate,
      reference: `${c.state.number} ${plan.number}`,
      ...(l.serial ? {} : { quantity: l.quantity }),
      salesOrderId: c.state.id,
      shipmentId: plan.shipmentId,
    });
  }
}

const hasAllocation: Precondition<S> = {
  refusal: refusal(E.SO_NOTHING_TO_SHIP()),
  holds: (o) => o.lines.some((l) => l.allocations.length > 0),
};
const undelivered = (o: S) => o.shipments.filter((h) => !h.delivery);

const confirm: Transition<S> = {
  name: 'confirm',
  from: ['draft'],
  to: 'confirmed',
  permission: WRITE,
  event: () => salesEvents.change('salesorder.confirmed', {}),
};

const allocate: Transition<S> = {
  name: 'allocate',
  from: ['confirmed', 'allocated', 'partially_shipped'],
  to: 'allocated',
  permission: WRITE,
  needsValues: true,
  targets: (o) => o.lines.filter((l) => openOf(l) > 0).map((l) => ({ lineId: l.lineId })),
  prepare: planAllocation,
  recheck: (o, p: AllocatePlan) => {
    const open = openOf(lineOf(o, p.lineId));
    const asked = sumQty(...p.allocations.map((a) => a.quantity));
    if (asked > open) throw E.SO_OVER_ORDERED({ requested: asked, open }, { open });
  },
  event: (_o, p: AllocatePlan) =>
    salesEvents.change('salesorder.allocated', { lineId: p.lineId, allocations: p.allocations }),
};

const deallocate: Transition<S> = {
  name: 'deallocate',
  from: ['allocated', 'partially_shipped'],
  permission: WRITE,
  needsValues: true,
  targets: (o) => o.lines.filter((l) => l.allocations.length > 0).map((l) => ({ lineId: l.lineId })),
  prepare: (c) => lineOf(c.state, c.input.lineId).lineId,
  event: (_o, lineId: string) => salesEvents.change('salesorder.deallocated', { lineId }),
};

const ship: Transition<S> = {
  name: 'ship',
  from: ['allocated', 'partially_shipped'],
  permission: 'inventory.ship',
  needsValues: true,
  preconditions: [hasAllocation],
  prepare: planShipment,
  allocate: shipLots,
  event: (_o, p: ShipPlan) =>
    salesEvents.change('salesorder.shipped', {
      shipmentId: p.shipmentId,
      number: p.number,
      carrier: p.carrier,
      reference: p.reference,
      shipDate: p.shipDate,
      lines: p.lines,
    }),
};

interface DeliverInput {
  shipmentId: string;
  deliveredOn: string;
  receivedBy: string;
}
const deliver: Transition<S> = {
  name: 'deliver',
  from: ['partially_shipped', 'shipped'],
  permission: WRITE,
  needsValues: true,
  targets: (o) => undelivered(o).map((h) => ({ shipmentId: h.id })),
  prepare: (c) => {
    const i = c.input as unknown as DeliverInput;
    const h = undelivered(c.state).find((x) => x.id === i.shipmentId);
    if (!h) throw E.SO_SHIPMENT_UNKNOWN();
    if (i.deliveredOn < h.shipDate) throw E.SO_DELIVERY_BEFORE_SHIPMENT();
    if (i.deliveredOn > todayUtc())
      throw errors.validation('body.deliveredOn', { en: 'a date in the future', zh: '日期不能晚于今天' });
    return i;
  },
  recheck: (o, i: DeliverInput) => {
    if (!undelivered(o).some((x) => x.id === i.shipmentId)) throw E.SO_SHIPMENT_UNKNOWN();
  },
  event: (_o, i: DeliverInput) =>
    salesEvents.change('salesorder.delivered', {
      shipmentId: i.shipmentId,
      deliveredOn: i.deliveredOn,
      receivedBy: i.receivedBy,
    }),
};

const cancel: Transition<S> = {
  name: 'cancel',
  from: ['draft', 'confirmed', 'allocated'],
  to: 'cancelled',
  permission: WRITE,
  needsReason: true,
  event: (_o, _p, c) => salesEvents.change('salesorder.cancelled', {}, String(c.input.reason)),
};

export const salesOrderLifecycle: Lifecycle<S> = {
  record: 'salesorder',
  initial: 'draft',
  states: ['draft', 'confirmed', 'allocated', 'partially_shipped', 'shipped', 'delivered', 'cancelled'],
  final: ['delivered', 'cancelled'],
  transitions: [confirm, allocate, deallocate, ship, deliver, cancel],
  stateOf: (o) => o.status,
  wrongState: (t, current) => refusal(E.SO_WRONG_STATE({ action: t.name, status: String(current) })),
};
