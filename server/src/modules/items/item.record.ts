import type { z } from 'zod';
import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import {
  AQLS,
  CONTROLS,
  customerEvents,
  ITEM_TYPES,
  itemEvents,
  LOCATION_KINDS,
  locationEvents,
  type ItemFieldsData,
} from './events.ts';

// Master data: items (`item:<id>`, part number claimed on `partnumber:<PN>`), locations
// (`location:<code>`) and customers (`customer:<code>`). Nothing is deleted: a record is
// deactivated, and every change is a revision event with its reason. What can happen to them,
// one schema per event: events.ts (which also holds the kinds, re-exported here).
export { AQLS, CONTROLS, ITEM_TYPES, LOCATION_KINDS };

export interface Bilingual {
  zh: string;
  en: string;
}
export type ItemFields = z.output<typeof ItemFieldsData>;
export type Characteristic = ItemFields['characteristics'][number];
export interface ItemState extends ItemFields {
  id: string;
  partNumber: string;
  revision: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  revisions: Array<{ revision: string; at: string; by: string; reason: string }>;
}
export type ItemDoc = Projected<ItemState>;

export interface LocationState {
  code: string;
  name: Bilingual;
  kind: (typeof LOCATION_KINDS)[number];
  warehouse: string;
  area: string;
  bin: string;
  active: boolean;
}
export type LocationDoc = Projected<LocationState>;

export interface CustomerState {
  code: string;
  name: Bilingual;
  country: string;
  address: string;
  contact: string;
  active: boolean;
}
export type CustomerDoc = Projected<CustomerState>;

export const ITEMS = 'items';
export const LOCATIONS = 'locations';
export const CUSTOMERS = 'customers';
declareIndexes(ITEMS, [
  { key: { partNumber: 1 }, name: 'partNumber' },
  { key: { type: 1 }, name: 'type' },
]);
declareIndexes(LOCATIONS, [{ key: { kind: 1 }, name: 'kind' }]);

const nextLetter = (rev: string) => (rev === 'Z' ? 'AA' : String.fromCharCode(rev.charCodeAt(rev.length - 1) + 1));

export const itemRecord = defineRecordType<ItemState>({
  type: 'item',
  collection: ITEMS,
  events: itemEvents,
  reduce(s, raw: LedgerEvent) {
    const e = itemEvents.typed(raw);
    if (e.type === 'item.created') {
      return {
        ...e.data.fields,
        id: e.stream.slice(5),
        partNumber: e.data.partNumber,
        revision: 'A',
        active: true,
        createdAt: e.at,
        updatedAt: e.at,
        revisions: [{ revision: 'A', at: e.at, by: e.actor.name, reason: 'created' }],
      };
    }
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before item.created`);
    switch (e.type) {
      case 'item.revised': {
        const revision = nextLetter(s.revision);
        return {
          ...s,
          ...e.data.changes,
          revision,
          updatedAt: e.at,
          revisions: [...s.revisions, { revision, at: e.at, by: e.actor.name, reason: e.reason ?? '' }],
        };
      }
      case 'item.deactivated':
        return { ...s, active: false, updatedAt: e.at };
      case 'item.reactivated':
        return { ...s, active: true, updatedAt: e.at };
      default:
        return s;
    }
  },
  content: ({ revisions: _r, updatedAt: _u, ...rest }) => rest,
});

// Locations and customers: created, updated (a patch), deactivated and reactivated.
const codeOf = (e: { stream: string }) => e.stream.slice(e.stream.indexOf(':') + 1);

export const locationRecord = defineRecordType<LocationState>({
  type: 'location',
  collection: LOCATIONS,
  events: locationEvents,
  reduce(s, raw) {
    const e = locationEvents.typed(raw);
    if (e.type === 'location.created') return { ...e.data, code: codeOf(e), active: true };
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before location.created`);
    switch (e.type) {
      case 'location.updated':
        return { ...s, ...e.data };
      case 'location.deactivated':
        return { ...s, active: false };
      case 'location.reactivated':
        return { ...s, active: true };
      default:
        return s;
    }
  },
  content: (s) => s,
});

export const customerRecord = defineRecordType<CustomerState>({
  type: 'customer',
  collection: CUSTOMERS,
  events: customerEvents,
  reduce(s, raw) {
    const e = customerEvents.typed(raw);
    if (e.type === 'customer.created') return { ...e.data, code: codeOf(e), active: true };
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before customer.created`);
    switch (e.type) {
      case 'customer.updated':
        return { ...s, ...e.data };
      case 'customer.deactivated':
        return { ...s, active: false };
      case 'customer.reactivated':
        return { ...s, active: true };
      default:
        return s;
    }
  },
  content: (s) => s,
});
