import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to master data: items (`item:<id>`), locations (`location:<code>`) and
// customers (`customer:<code>`), one schema per event. The shapes are the ledger's: a change here
// must still read every item, location and customer ever written. Deactivating and reactivating
// carry their reason on the event's envelope.
export const ITEM_TYPES = ['raw', 'component', 'subassembly', 'finished'] as const;
export const CONTROLS = ['lot', 'serial', 'none'] as const;
export const LOCATION_KINDS = ['storage', 'quarantine', 'reject'] as const;
export const AQLS = [0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10] as const;

const Characteristic = z.object({
  name: z.string(),
  unit: z.string(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});
/** An item's master data as stored (schema.ts checks the input it comes from). */
export const ItemFieldsData = z.object({
  name: BilingualView,
  type: z.enum(ITEM_TYPES),
  unit: z.string(),
  control: z.enum(CONTROLS),
  shelfLifeDays: z.number().nullable(),
  storage: BilingualView,
  safetyStock: z.number(),
  reorderPoint: z.number(),
  warrantyMonths: z.number(),
  gtin: z.string().nullable(),
  aql: z.number(),
  characteristics: z.array(Characteristic),
});
const Toggle = { deactivated: z.object({}), reactivated: z.object({}) };

export const itemEvents = defineEvents('items', {
  'item.created': z.object({ partNumber: z.string(), fields: ItemFieldsData }),
  /** The next revision letter: the fields it changes (never the type or the control), its reason on the envelope. */
  'item.revised': z.object({ changes: ItemFieldsData.omit({ type: true, control: true }).partial() }),
  'item.deactivated': Toggle.deactivated,
  'item.reactivated': Toggle.reactivated,
});

const LocationData = z.object({
  name: BilingualView,
  kind: z.enum(LOCATION_KINDS),
  warehouse: z.string(),
  area: z.string(),
  bin: z.string(),
});
export const locationEvents = defineEvents('items', {
  'location.created': LocationData,
  /** A patch with its reason: what the route lets change. */
  'location.updated': LocationData.pick({ name: true, kind: true }).partial(),
  'location.deactivated': Toggle.deactivated,
  'location.reactivated': Toggle.reactivated,
});

const CustomerData = z.object({ name: BilingualView, country: z.string(), address: z.string(), contact: z.string() });
export const customerEvents = defineEvents('items', {
  'customer.created': CustomerData,
  'customer.updated': CustomerData.partial(),
  'customer.deactivated': Toggle.deactivated,
  'customer.reactivated': Toggle.reactivated,
});
