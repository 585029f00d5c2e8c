import type { z } from 'zod';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import { sumQty } from '../../platform/fields.ts';
import type { Bilingual } from '../items/item.record.ts';
import { salesEvents, type SO_STATES } from './events.ts';
import { salesOrderLifecycle } from './salesorder.lifecycle.ts';

// A sales order (`salesorder:<id>`, ISO 13485:2016 7.2 customer requirements, 7.5.8 / 7.5.9
// identification and traceability to the consignee): the customer, lines by item, quantity and
// requested date, the released stock allocated to each line (FEFO lots or chosen serials), the
// shipments with the UDIs shipped, and each shipment's delivery. Every shipped quantity left
// inventory through the lot's own `ship` (lot.lifecycle.ts). Who may do what, and when:
// salesorder.lifecycle.ts; the events: events.ts.
export type SoStatus = (typeof SO_STATES)[number];
type Data<T extends keyof typeof salesEvents.schemas> = z.output<(typeof salesEvents.schemas)[T]>;
export type Allocation = Data<'salesorder.allocated'>['allocations'][number];
export type ShippedLine = Data<'salesorder.shipped'>['lines'][number];
export interface SoLine {
  lineId: string;
  item: { id: string; partNumber: string; name: Bilingual; unit: string; control: string; gtin: string | null };
  quantity: number;
  requestedDate: string;
  /** Allocated and not yet shipped. */
  allocations: Allocation[];
  allocated: number;
  shipped: number;
}
export interface Shipment {
  id: string;
  number: string;
  carrier: string;
  reference: string;
  shipDate: string;
  lines: ShippedLine[];
  by: string;
  at: string;
  delivery: { deliveredOn: string; receivedBy: string; by: string; at: string } | null;
}
export interface SalesOrderState {
  id: string;
  number: string;
  status: SoStatus;
  customer: { code: string; name: Bilingual };
  customerPo: string | null;
  lines: SoLine[];
  shipments: Shipment[];
  /** Stock this order holds back from other orders: per lot, allocated and not shipped (queried by allocation). */
  reserved: Array<{ lotId: string; quantity: number }>;
  createdBy: string;
  createdById: string;
  createdAt: string;
  confirmed: { by: string; at: string } | null;
  cancellation: { reason: string; by: string; at: string } | null;
}
export type SalesOrderDoc = Projected<SalesOrderState>;

import { SALES_ORDERS } from './collection.ts';
export { SALES_ORDERS };
declareIndexes(SALES_ORDERS, [
  { key: { status: 1 }, name: 'status' },
  { key: { 'customer.code': 1 }, name: 'customer' },
  { key: { 'reserved.lotId': 1 }, name: 'reserved' },
  { key: { 'shipments.lines.lotId': 1 }, name: 'shipped_lots' },
]);

const open = (l: SoLine) => sumQty(l.quantity, -l.allocated, -l.shipped);
export const openToAllocate = open;

/** Per-line totals and the reservations, from the allocations. */
function settle(s: SalesOrderState): SalesOrderState {
  const lines = s.lines.map((l) => ({ ...l, allocated: sumQty(...l.allocations.map((a) => a.quantity)) }));
  const per = new Map<string, number>();
  for (const l of lines) for (const a of l.allocations) per.set(a.lotId, sumQty(per.get(a.lotId) ?? 0, a.quantity));
  return { ...s, lines, reserved: [...per].map(([lotId, quantity]) => ({ lotId, quantity })) };
}
/** Where the order stands after stock moved: allocated, partly or wholly shipped. */
function progress(s: SalesOrderState): SoStatus {
  if (s.status === 'cancelled' || s.status === 'draft') return s.status;
  if (s.lines.every((l) => l.shipped >= l.quantity))
    return s.shipments.every((h) => h.delivery) ? 'delivered' : 'shipped';
  if (s.shipments.length) return 'partially_shipped';
  return s.lines.some((l) => l.allocations.length) ? 'allocated' : 'confirmed';
}

function reduce(s: SalesOrderState | undefined, raw: LedgerEvent): SalesOrderState {
  const e = salesEvents.typed(raw);
  if (e.type === 'salesorder.created') {
    const d = e.data;
    return {
      id: e.stream.slice('salesorder:'.length),
      number: d.number,
      status: 'draft',
      customer: d.customer,
      customerPo: d.customerPo,
      lines: d.lines.map((l) => ({ ...l, allocations: [], allocated: 0, shipped: 0 })),
      shipments: [],
      reserved: [],
      createdBy: e.actor.name,
      createdById: e.actor.id,
      createdAt: e.at,
      confirmed: null,
      cancellation: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before salesorder.created`);
  switch (e.type) {
    case 'salesorder.confirmed':
      return { ...s, status: 'confirmed', confirmed: { by: e.actor.name, at: e.at } };
    case 'salesorder.allocated': {
      const d = e.data;
      const lines = s.lines.map((l) => {
        if (l.lineId !== d.lineId) return l;
        const merged = [...l.allocations];
        for (const a of d.allocations) {
          const i = merged.findIndex((m) => m.lotId === a.lotId);
          if (i >= 0) merged[i] = { ...merged[i], quantity: sumQty(merged[i].quantity, a.quantity) };
          else merged.push(a);
        }
        return { ...l, allocations: merged };
      });
      const next = settle({ ...s, lines });
      return { ...next, status: progress(next) };
    }
    case 'salesorder.deallocated': {
      const next = settle({
        ...s,
        lines: s.lines.map((l) => (l.lineId === e.data.lineId ? { ...l, allocations: [] } : l)),
      });
      return { ...next, status: progress(next) };
    }
    case 'salesorder.shipped': {
      const d = e.data;
      const lines = s.lines.map((l) => {
        const mine = d.lines.filter((x) => x.lineId === l.lineId);
        if (!mine.length) return l;
        const allocations = l.allocations
          .map((a) => {
            const out = mine.filter((x) => x.lotId === a.lotId).reduce((n, x) => sumQty(n, x.quantity), 0);
            return { ...a, quantity: sumQty(a.quantity, -out) };
          })
          .filter((a) => a.quantity > 0);
        return { ...l, allocations, shipped: sumQty(l.shipped, ...mine.map((x) => x.quantity)) };
      });
      const shipment: Shipment = {
        id: d.shipmentId,
        number: d.number,
        carrier: d.carrier,
        reference: d.reference,
        shipDate: d.shipDate,
        lines: d.lines,
        by: e.actor.name,
        at: e.at,
        delivery: null,
      };
      const next = settle({ ...s, lines, shipments: [...s.shipments, shipment] });
      return { ...next, status: progress(next) };
    }
    case 'salesorder.delivered': {
      const d = e.data;
      const next = {
        ...s,
        shipments: s.shipments.map((h) =>
          h.id === d.shipmentId
            ? { ...h, delivery: { deliveredOn: d.deliveredOn, receivedBy: d.receivedBy, by: e.actor.name, at: e.at } }
            : h,
        ),
      };
      return { ...next, status: progress(next) };
    }
    case 'salesorder.cancelled': {
      const next = settle({ ...s, lines: s.lines.map((l) => ({ ...l, allocations: [] })) });
      return {
        ...next,
        status: 'cancelled',
        cancellation: { reason: e.reason ?? '', by: e.actor.name, at: e.at },
      };
    }
  }
  return s;
}

export const salesOrderRecord = defineRecordType<SalesOrderState>({
  type: 'salesorder',
  collection: SALES_ORDERS,
  reduce,
  content: (s) => s,
  events: salesEvents,
  lifecycle: salesOrderLifecycle,
});
