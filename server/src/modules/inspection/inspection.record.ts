import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import type { Bilingual, Characteristic } from '../items/item.record.ts';
import type { SamplingPlan } from './sampling.ts';

// An incoming inspection (`inspection:<id>`) is opened for each receipt line with its sampling
// plan; the inspector's results decide pass/fail; the QA disposition itself is signed on the
// lot (its status is what the signature changes) and noted here. A rejection opens a
// nonconformance stub (`nc:<id>`), which the quality module grows into the full NC process.
export const INSPECTION_EVENTS = [
  'inspection.created', // {number, lotIds, lotNumber, item, supplier, po, receiptId, lotSize, plan, characteristics}
  'inspection.resultsRecorded', // {measurements, attributeDefectives, defectives, result, notes}  (re-entry keeps the earlier ones)
  'inspection.dispositioned', // {decision, signatureIds, ncId}
] as const;

export interface Measurement { characteristic: string; values: number[]; outOfSpec: number[] }
export interface InspectionState {
  id: string; number: string; lotIds: string[]; lotNumber: string; item: { id: string; partNumber: string; name: Bilingual; unit: string };
  supplier: { code: string; name: Bilingual } | null; po: { id: string; number: string } | null; receiptId: string | null;
  lotSize: number; plan: SamplingPlan; characteristics: Characteristic[];
  status: 'open' | 'completed' | 'dispositioned'; result: 'pass' | 'fail' | null; defectives: number | null;
  measurements: Measurement[]; attributeDefectives: number; notes: string; inspector: { id: string; name: string } | null; completedAt: string | null;
  entries: number; disposition: { decision: string; by: string; at: string; signatureIds: string[]; ncId: string | null } | null; createdAt: string;
}
export type InspectionDoc = Projected<InspectionState>;
export const INSPECTIONS = 'inspections';
declareIndexes(INSPECTIONS, [{ key: { status: 1 }, name: 'status' }, { key: { lotIds: 1 }, name: 'lotIds' }]);

export const inspectionRecord = defineRecordType<InspectionState>({
  type: 'inspection',
  collection: INSPECTIONS,
  reduce(s, e: LedgerEvent) {
    const d = e.data as Record<string, any>;
    if (e.type === 'inspection.created') {
      return { id: e.stream.slice('inspection:'.length), number: d.number, lotIds: d.lotIds, lotNumber: d.lotNumber, item: d.item, supplier: d.supplier, po: d.po,
        receiptId: d.receiptId, lotSize: d.lotSize, plan: d.plan, characteristics: d.characteristics, status: 'open', result: null, defectives: null,
        measurements: [], attributeDefectives: 0, notes: '', inspector: null, completedAt: null, entries: 0, disposition: null, createdAt: e.at };
    }
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before inspection.created`);
    if (e.type === 'inspection.resultsRecorded') {
      return { ...s, status: 'completed', measurements: d.measurements, attributeDefectives: d.attributeDefectives, defectives: d.defectives, result: d.result,
        notes: d.notes, inspector: { id: e.actor.id, name: e.actor.name }, completedAt: e.at, entries: s.entries + 1 };
    }
    if (e.type === 'inspection.dispositioned') {
      return { ...s, status: 'dispositioned', disposition: { decision: d.decision, by: e.actor.name, at: e.at, signatureIds: d.signatureIds, ncId: d.ncId ?? null } };
    }
    return s;
  },
  content: (s) => s,
});

export interface NcState {
  id: string; number: string; status: 'open'; source: { kind: 'incoming_inspection'; lotId: string; lotNumber: string; inspectionId: string };
  item: { id: string; partNumber: string; name: Bilingual }; supplier: { code: string; name: Bilingual } | null; description: string; openedBy: string; openedAt: string;
}
export type NcDoc = Projected<NcState>;
export const NONCONFORMANCES = 'nonconformances';

export const ncRecord = defineRecordType<NcState>({
  type: 'nc',
  collection: NONCONFORMANCES,
  reduce(s, e) {
    const d = e.data as Record<string, any>;
    if (e.type === 'nc.opened') {
      return { id: e.stream.slice(3), number: d.number, status: 'open', source: d.source, item: d.item, supplier: d.supplier, description: d.description, openedBy: e.actor.name, openedAt: e.at };
    }
    return s!;
  },
  content: (s) => s,
});
