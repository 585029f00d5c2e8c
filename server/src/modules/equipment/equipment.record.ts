import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { hasPermission } from '../../identity/roles.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { Bilingual } from '../items/item.record.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { equipmentEvents, type EquipmentStatus, type MaintenanceAction } from './events.ts';
import { equipmentLifecycle } from './equipment.lifecycle.ts';

// Production equipment (ISO 13485 7.6): one stream `equipment:<id>` per instrument or tool, its
// code claimed on `equipment-code:<code>`. A passed calibration moves the due date on by the
// interval; a failed one takes the equipment out of service. Production refuses equipment that
// is not active or whose calibration is due (see `calibrationRefusal`), or whose preventive
// maintenance is overdue (`maintenanceRefusal`, ISO 13485:2016 6.3). A signed preventive
// maintenance moves the maintenance due date on by the plan's interval; a breakdown takes the
// equipment out of service until its signed repair. Its actions: equipment.lifecycle.ts.
export { EQUIPMENT_STATUSES, type EquipmentStatus } from './events.ts';

export interface Calibration {
  date: string;
  result: 'pass' | 'fail';
  certificate: string;
  by: string;
  at: string;
}
/** The preventive maintenance plan (ISO 13485:2016 6.3: maintenance activities, their interval). */
export interface MaintenancePlan {
  intervalDays: number;
  checklist: Array<{ id: string; text: Bilingual }>;
  setBy: string;
  setAt: string;
}
export interface MaintenanceWork {
  date: string;
  checks: Array<{ id: string; ok: boolean; note: string }>;
  findings: string;
  parts: Array<{ description: string; quantity: number }>;
}
/** A maintenance work record, complete once its performer's signature counts. */
export interface MaintenanceRecord extends MaintenanceWork {
  kind: 'preventive' | 'repair';
  breakdownId: string | null;
  by: string;
  byId: string;
  at: string;
  signatureId: string;
}
export interface Breakdown {
  id: string;
  date: string;
  description: string;
  reportedBy: string;
  reportedAt: string;
  repairedOn: string | null;
  repairedBy: string | null;
  /** The status it had when it broke down: the repair restores it (a failed calibration stays out of service). */
  statusBefore: EquipmentStatus;
}
export interface EquipmentState {
  id: string;
  code: string;
  name: Bilingual;
  type: string;
  typeLabel?: { en?: string; zh?: string };
  location: string;
  locationLabel?: { en?: string; zh?: string };
  calibrationIntervalDays: number;
  lastCalibratedOn: string | null;
  calibrationDue: string | null;
  status: EquipmentStatus;
  calibrations: Calibration[];
  createdAt: string;
  maintenancePlan: MaintenancePlan | null;
  lastMaintainedOn: string | null;
  /** When preventive maintenance is next due: production refuses the equipment after it (see `maintenanceRefusal`). */
  maintenanceDue: string | null;
  maintenance: MaintenanceRecord[];
  breakdowns: Breakdown[];
  /** The work proposed for a `performed` signature (what it binds), until that signature lands. */
  pending: (MaintenanceWork & { action: MaintenanceAction; breakdownId: string | null; byId: string }) | null;
}
export type EquipmentDoc = Projected<EquipmentState>;
export const EQUIPMENT = 'equipment';

const dueAfter = (date: string, days: number) => addDays(date, days);

function reduce(s: EquipmentState | undefined, event: LedgerEvent): EquipmentState {
  const e = equipmentEvents.typed(event);
  if (e.type === 'equipment.registered') {
    const d = e.data;
    return {
      id: e.stream.slice('equipment:'.length),
      code: d.code,
      name: d.name,
      type: d.type,
      ...(d.typeLabel ? { typeLabel: d.typeLabel } : {}),
      location: d.location,
      ...(d.locationLabel ? { locationLabel: d.locationLabel } : {}),
      calibrationIntervalDays: d.calibrationIntervalDays,
      lastCalibratedOn: d.lastCalibratedOn ?? null,
      calibrationDue: d.lastCalibratedOn ? dueAfter(d.lastCalibratedOn, d.calibrationIntervalDays) : null,
      status: 'active',
      calibrations: [],
      createdAt: e.at,
      maintenancePlan: null,
      lastMaintainedOn: null,
      maintenanceDue: null,
      maintenance: [],
      breakdowns: [],
      pending: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before equipment.registered`);
  switch (e.type) {
    case 'equipment.calibrated': {
      const d = e.data;
      const c: Calibration = { date: d.date, result: d.result, certificate: d.certificate, by: e.actor.name, at: e.at };
      if (d.result === 'fail') return { ...s, calibrations: [...s.calibrations, c], status: 'out_of_service' };
      return {
        ...s,
        calibrations: [...s.calibrations, c],
        lastCalibratedOn: d.date,
        calibrationDue: dueAfter(d.date, s.calibrationIntervalDays),
        status: s.status === 'retired' ? 'retired' : 'active',
      };
    }
    case 'equipment.statusChanged':
      return { ...s, status: e.data.status };
    case 'equipment.maintenancePlanned': {
      const d = e.data;
      const plan = { intervalDays: d.intervalDays, checklist: d.checklist, setBy: e.actor.name, setAt: e.at };
      return { ...s, maintenancePlan: plan, maintenanceDue: d.due };
    }
    case 'equipment.breakdownReported': {
      const d = e.data;
      const b: Breakdown = {
        id: d.id,
        date: d.date,
        description: d.description,
        reportedBy: e.actor.name,
        reportedAt: e.at,
        repairedOn: null,
        repairedBy: null,
        statusBefore: s.status,
      };
      return { ...s, breakdowns: [...(s.breakdowns ?? []), b], status: 'out_of_service' };
    }
    case 'equipment.maintenanceProposed': {
      const { action, breakdownId, date, checks, findings, parts } = e.data;
      return { ...s, pending: { action, breakdownId, date, checks, findings, parts, byId: e.actor.id } };
    }
    case SIGNATURE_EVENT:
      return completeMaintenance(s, event);
    default:
      return s;
  }
}

/** What a signature on equipment binds: the whole record (signatures are applied only after they land). */
const equipmentContent = (s: EquipmentState) => s;

/** The proposer's own counted `performed` signature makes the proposed work the record. */
function completeMaintenance(s: EquipmentState, raw: LedgerEvent): EquipmentState {
  const sig = raw.data as {
    signatureId: string;
    meaning: string;
    signer: { id: string; name: string };
    signedAt: string;
  };
  const p = s.pending;
  if (!p || sig.meaning !== 'performed' || sig.signer.id !== p.byId || !signatureCounts(s, raw, equipmentContent))
    return s;
  const { action, byId, ...work } = p;
  const record: MaintenanceRecord = {
    ...work,
    kind: action === 'repair' ? 'repair' : 'preventive',
    by: sig.signer.name,
    byId,
    at: sig.signedAt,
    signatureId: sig.signatureId,
  };
  const base = { ...s, pending: null, maintenance: [...(s.maintenance ?? []), record] };
  if (action === 'repair') {
    // the repair closes its breakdown and returns the equipment to service (ISO 13485:2016 6.3)
    const broken = s.breakdowns.find((b) => b.id === p.breakdownId);
    const breakdowns = s.breakdowns.map((b) =>
      b.id === p.breakdownId ? { ...b, repairedOn: p.date, repairedBy: sig.signer.name } : b,
    );
    return { ...base, breakdowns, status: s.status === 'retired' ? 'retired' : (broken?.statusBefore ?? 'active') };
  }
  // a checklist item not met: the maintenance is recorded but the equipment is not fit for use
  if (p.checks.some((c) => !c.ok)) return { ...base, status: s.status === 'retired' ? 'retired' : 'out_of_service' };
  const interval = s.maintenancePlan?.intervalDays;
  return {
    ...base,
    lastMaintainedOn: p.date,
    maintenanceDue: interval ? dueAfter(p.date, interval) : s.maintenanceDue,
  };
}

/** Calibrated for use today: active, calibrated at least once, and not yet due. */
export const isCalibrated = (q: EquipmentState, today = todayUtc()) =>
  q.status === 'active' && !!q.calibrationDue && q.calibrationDue >= today;

export const equipmentRecord = defineRecordType<EquipmentState>({
  type: 'equipment',
  collection: EQUIPMENT,
  reduce,
  content: equipmentContent,
  events: equipmentEvents,
  lifecycle: equipmentLifecycle, // maintenance and repairs are signed `performed`: the signing policy follows from it
  canRead: (user) => hasPermission(user, 'records.read'),
});
