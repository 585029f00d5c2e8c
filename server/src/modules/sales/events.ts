import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a sales order (stream `salesorder:<id>`), one schema per event. The shapes
// are the ledger's: a change here must still read every order ever written.
export const SO_STATES = [
  'draft',
  'confirmed',
  'allocated',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
] as const;

const Item = z.object({
  id: z.string(),
  partNumber: z.string(),
  name: BilingualView,
  unit: z.string(),
  control: z.string(),
  gtin: z.string().nullable(),
});
const Line = z.object({ lineId: z.string(), item: Item, quantity: z.number(), requestedDate: z.string() });
/** One lot (or serialized unit) reserved for a line, picked FEFO or by serial. */
const Allocation = z.object({
  lotId: z.string(),
  lotNumber: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  mfgDate: z.string().nullable(),
  quantity: z.number(),
});
const ShippedLine = z.object({
  lineId: z.string(),
  lotId: z.string(),
  lotNumber: z.string(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  quantity: z.number(),
  /** GS1 human-readable UDI: (01) DI = the item's GTIN, PI = (11)(17)(10)(21). */
  udi: z.string().nullable(),
});

export const salesEvents = defineEvents('salesorder', {
  'salesorder.created': z.object({
    number: z.string(),
    customer: z.object({ code: z.string(), name: BilingualView }),
    customerPo: z.string().nullable(),
    lines: z.array(Line),
  }),
  'salesorder.confirmed': z.object({}),
  'salesorder.allocated': z.object({ lineId: z.string(), allocations: z.array(Allocation) }),
  'salesorder.deallocated': z.object({ lineId: z.string() }),
  'salesorder.shipped': z.object({
    shipmentId: z.string(),
    number: z.string(),
    carrier: z.string(),
    reference: z.string(),
    shipDate: z.string(),
    lines: z.array(ShippedLine),
  }),
  'salesorder.delivered': z.object({ shipmentId: z.string(), deliveredOn: z.string(), receivedBy: z.string() }),
  /** reason on the event */
  'salesorder.cancelled': z.object({}),
});
