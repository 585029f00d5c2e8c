import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { REQUISITIONS } from './collections.ts';
import type { Projected } from '../../records/projector.ts';
import type { Bilingual } from '../items/item.record.ts';
import { requisitionEvents } from './events.ts';
import { requisitionLifecycle } from './requisition.lifecycle.ts';

// Purchase requisitions (`requisition:<id>`): a request for items, ordered by a PO created from
// it or cancelled (requisition.lifecycle.ts).
export const REQUISITION_STATUSES = ['open', 'ordered', 'cancelled'] as const;
export interface RequisitionState {
  id: string;
  number: string;
  requestedBy: { id: string; name: string };
  createdAt: string;
  note: string;
  lines: Array<{ itemId: string; partNumber: string; name: Bilingual; quantity: number; needBy: string }>;
  status: (typeof REQUISITION_STATUSES)[number];
  poId: string | null;
  poNumber: string | null;
}
export type RequisitionDoc = Projected<RequisitionState>;

function reduce(s: RequisitionState | undefined, event: LedgerEvent): RequisitionState {
  const e = requisitionEvents.typed(event);
  if (e.type === 'requisition.created') {
    const d = e.data;
    return {
      id: e.stream.slice('requisition:'.length),
      number: d.number,
      requestedBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      note: d.note,
      lines: d.lines,
      status: 'open',
      poId: null,
      poNumber: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before requisition.created`);
  if (e.type === 'requisition.ordered')
    return { ...s, status: 'ordered', poId: e.data.poId, poNumber: e.data.poNumber };
  if (e.type === 'requisition.cancelled') return { ...s, status: 'cancelled' };
  return s;
}

export const requisitionRecord = defineRecordType<RequisitionState>({
  type: 'requisition',
  collection: REQUISITIONS,
  reduce,
  content: (s) => s,
  events: requisitionEvents,
  lifecycle: requisitionLifecycle, // nothing on a requisition is signed: no signing policy follows from it
});
