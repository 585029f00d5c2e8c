import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import type { Bilingual, Characteristic } from '../items/item.record.ts';
import type { SamplingPlan } from './sampling.ts';
import { inspectionEvents } from './events.ts';
import { inspectionLifecycle } from './inspection.lifecycle.ts';

// An incoming inspection (`inspection:<id>`) is opened for each receipt line with its sampling
// plan; the inspector's results decide pass/fail; the QA disposition itself is signed on the
// lot (its status is what the signature changes) and noted here. A rejection opens a
// nonconformance (`nc:<id>`, modules/nc/), where the MRB disposes of the rejected lots.
// Who may do what, and when: inspection.lifecycle.ts (the one declaration); the events: events.ts.

export interface Measurement {
  characteristic: string;
  values: number[];
  outOfSpec: number[];
}
export interface InspectionState {
  id: string;
  number: string;
  lotIds: string[];
  lotNumber: string;
  item: { id: string; partNumber: string; name: Bilingual; unit: string };
  supplier: { code: string; name: Bilingual } | null;
  po: { id: string; number: string } | null;
  receiptId: string | null;
  lotSize: number;
  plan: SamplingPlan;
  characteristics: Characteristic[];
  status: 'open' | 'completed' | 'dispositioned';
  result: 'pass' | 'fail' | null;
  defectives: number | null;
  measurements: Measurement[];
  attributeDefectives: number;
  notes: string;
  inspector: { id: string; name: string } | null;
  completedAt: string | null;
  entries: number;
  disposition: { decision: string; by: string; at: string; signatureIds: string[]; ncId: string | null } | null;
  createdAt: string;
}
export type InspectionDoc = Projected<InspectionState>;
export const INSPECTIONS = 'inspections';
declareIndexes(INSPECTIONS, [
  { key: { status: 1 }, name: 'status' },
  { key: { lotIds: 1 }, name: 'lotIds' },
]);

export const inspectionRecord = defineRecordType<InspectionState>({
  type: 'inspection',
  collection: INSPECTIONS,
  reduce(s, raw: LedgerEvent) {
    const e = inspectionEvents.typed(raw);
    if (e.type === 'inspection.created') {
      const d = e.data;
      return {
        id: e.stream.slice('inspection:'.length),
        number: d.number,
        lotIds: d.lotIds,
        lotNumber: d.lotNumber,
        item: d.item,
        supplier: d.supplier,
        po: d.po,
        receiptId: d.receiptId,
        lotSize: d.lotSize,
        plan: d.plan as SamplingPlan,
        characteristics: d.characteristics,
        status: 'open',
        result: null,
        defectives: null,
        measurements: [],
        attributeDefectives: 0,
        notes: '',
        inspector: null,
        completedAt: null,
        entries: 0,
        disposition: null,
        createdAt: e.at,
      };
    }
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before inspection.created`);
    if (e.type === 'inspection.resultsRecorded') {
      const d = e.data;
      return {
        ...s,
        status: 'completed',
        measurements: d.measurements,
        attributeDefectives: d.attributeDefectives,
        defectives: d.defectives,
        result: d.result,
        notes: d.notes,
        inspector: { id: e.actor.id, name: e.actor.name },
        completedAt: e.at,
        entries: s.entries + 1,
      };
    }
    if (e.type === 'inspection.dispositioned') {
      const d = e.data;
      return {
        ...s,
        status: 'dispositioned',
        disposition: {
          decision: d.decision,
          by: e.actor.name,
          at: e.at,
          signatureIds: d.signatureIds,
          ncId: d.ncId ?? null,
        },
      };
    }
    return s;
  },
  events: inspectionEvents,
  lifecycle: inspectionLifecycle,
  content: (s) => s,
});
