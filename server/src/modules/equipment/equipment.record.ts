import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { hasPermission } from '../../identity/roles.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { Bilingual } from '../items/item.record.ts';
import { equipmentEvents, type EquipmentStatus } from './events.ts';
import { equipmentLifecycle } from './equipment.lifecycle.ts';

// Production equipment (ISO 13485 7.6): one stream `equipment:<id>` per instrument or tool, its
// code claimed on `equipment-code:<code>`. A passed calibration moves the due date on by the
// interval; a failed one takes the equipment out of service. Production refuses equipment that
// is not active or whose calibration is due (see `calibrationRefusal`). Its actions: equipment.lifecycle.ts.
export { EQUIPMENT_STATUSES, type EquipmentStatus } from './events.ts';

export interface Calibration {
  date: string;
  result: 'pass' | 'fail';
  certificate: string;
  by: string;
  at: string;
}
export interface EquipmentState {
  id: string;
  code: string;
  name: Bilingual;
  type: string;
  location: string;
  calibrationIntervalDays: number;
  lastCalibratedOn: string | null;
  calibrationDue: string | null;
  status: EquipmentStatus;
  calibrations: Calibration[];
  createdAt: string;
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
      location: d.location,
      calibrationIntervalDays: d.calibrationIntervalDays,
      lastCalibratedOn: d.lastCalibratedOn ?? null,
      calibrationDue: d.lastCalibratedOn ? dueAfter(d.lastCalibratedOn, d.calibrationIntervalDays) : null,
      status: 'active',
      calibrations: [],
      createdAt: e.at,
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
    default:
      return s;
  }
}

/** Calibrated for use today: active, calibrated at least once, and not yet due. */
export const isCalibrated = (q: EquipmentState, today = todayUtc()) =>
  q.status === 'active' && !!q.calibrationDue && q.calibrationDue >= today;

export const equipmentRecord = defineRecordType<EquipmentState>({
  type: 'equipment',
  collection: EQUIPMENT,
  reduce,
  content: (s) => s,
  events: equipmentEvents,
  lifecycle: equipmentLifecycle, // nothing on equipment is signed: no signing policy follows from it
  canRead: (user) => hasPermission(user, 'records.read'),
});
