import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';

// Master data: items (`item:<id>`, part number claimed on `partnumber:<PN>`), locations
// (`location:<code>`) and customers (`customer:<code>`). Nothing is deleted: a record is
// deactivated, and every change is a revision event with its reason.
export const ITEM_TYPES = ['raw', 'component', 'subassembly', 'finished'] as const;
export const CONTROLS = ['lot', 'serial', 'none'] as const;
export const LOCATION_KINDS = ['storage', 'quarantine', 'reject'] as const;
export const AQLS = [0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10] as const;

export const ITEM_EVENTS = ['item.created', 'item.revised', 'item.deactivated', 'item.reactivated'] as const;
export const LOCATION_EVENTS = ['location.created', 'location.updated', 'location.deactivated', 'location.reactivated'] as const;
export const CUSTOMER_EVENTS = ['customer.created', 'customer.updated', 'customer.deactivated', 'customer.reactivated'] as const;

export interface Bilingual { zh: string; en: string }
export interface Characteristic { name: string; unit: string; lower: number | null; upper: number | null }
export interface ItemFields {
  name: Bilingual; type: (typeof ITEM_TYPES)[number]; unit: string; control: (typeof CONTROLS)[number];
  shelfLifeDays: number | null; storage: Bilingual; safetyStock: number; reorderPoint: number; warrantyMonths: number;
  gtin: string | null; aql: number; characteristics: Characteristic[];
}
export interface ItemState extends ItemFields {
  id: string; partNumber: string; revision: string; active: boolean; createdAt: string; updatedAt: string;
  revisions: Array<{ revision: string; at: string; by: string; reason: string }>;
}
export type ItemDoc = Projected<ItemState>;

export interface LocationState {
  code: string; name: Bilingual; kind: (typeof LOCATION_KINDS)[number]; warehouse: string; area: string; bin: string; active: boolean;
}
export type LocationDoc = Projected<LocationState>;

export interface CustomerState { code: string; name: Bilingual; country: string; address: string; contact: string; active: boolean }
export type CustomerDoc = Projected<CustomerState>;

export const ITEMS = 'items';
export const LOCATIONS = 'locations';
export const CUSTOMERS = 'customers';
declareIndexes(ITEMS, [{ key: { partNumber: 1 }, name: 'partNumber' }, { key: { type: 1 }, name: 'type' }]);
declareIndexes(LOCATIONS, [{ key: { kind: 1 }, name: 'kind' }]);

const nextLetter = (rev: string) => (rev === 'Z' ? 'AA' : String.fromCharCode(rev.charCodeAt(rev.length - 1) + 1));

export const itemRecord = defineRecordType<ItemState>({
  type: 'item',
  collection: ITEMS,
  reduce(s, e: LedgerEvent) {
    const d = e.data as Record<string, any>;
    if (e.type === 'item.created') {
      return { ...(d.fields as ItemFields), id: e.stream.slice(5), partNumber: d.partNumber, revision: 'A', active: true, createdAt: e.at, updatedAt: e.at,
        revisions: [{ revision: 'A', at: e.at, by: e.actor.name, reason: 'created' }] };
    }
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before item.created`);
    switch (e.type) {
      case 'item.revised': {
        const revision = nextLetter(s.revision);
        return { ...s, ...(d.changes as Partial<ItemFields>), revision, updatedAt: e.at, revisions: [...s.revisions, { revision, at: e.at, by: e.actor.name, reason: e.reason ?? '' }] };
      }
      case 'item.deactivated': return { ...s, active: false, updatedAt: e.at };
      case 'item.reactivated': return { ...s, active: true, updatedAt: e.at };
      default: return s;
    }
  },
  content: ({ revisions: _r, updatedAt: _u, ...rest }) => rest,
});

/** Locations and customers: created, updated (a patch), deactivated and reactivated. */
function masterRecord<S extends { code: string; active: boolean }>(type: string, collection: string) {
  return defineRecordType<S>({
    type,
    collection,
    reduce(s, e) {
      const d = e.data as Record<string, any>;
      if (e.type === `${type}.created`) return { ...d, code: e.stream.slice(type.length + 1), active: true } as unknown as S;
      if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before ${type}.created`);
      if (e.type === `${type}.updated`) return { ...s, ...d };
      if (e.type === `${type}.deactivated`) return { ...s, active: false };
      if (e.type === `${type}.reactivated`) return { ...s, active: true };
      return s;
    },
    content: (s) => s,
  });
}
export const locationRecord = masterRecord<LocationState>('location', LOCATIONS);
export const customerRecord = masterRecord<CustomerState>('customer', CUSTOMERS);
