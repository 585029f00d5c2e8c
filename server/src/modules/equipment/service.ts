import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { claim } from '../../records/ledgerOps.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { todayUtc } from '../../platform/dates.ts';
import { openRecords } from '../../records/openRecords.ts';
import type { Bilingual } from '../items/item.record.ts';
import {
  EQUIPMENT,
  equipmentRecord,
  isCalibrated,
  type EquipmentDoc,
  type EquipmentState,
  type EquipmentStatus,
} from './equipment.record.ts';
import { maintenanceOverdue } from './maintenance.ts';
import { STATUS_ACTIONS } from './equipment.lifecycle.ts';
import { equipmentEvents } from './events.ts';
import { E } from './errors.ts';

// Equipment commands: registration, and every lifecycle action (equipment.lifecycle.ts) through the one command path.
export const equipment = (s: Services) => s.db.collection<EquipmentDoc>(EQUIPMENT);
const stream = (id: string) => streamOf('equipment', id);

export async function getEquipment(s: Services, id: string): Promise<EquipmentDoc> {
  const q = await equipment(s).findOne({ _id: id });
  if (!q) throw errors.notFound('equipment');
  return q;
}

export async function listEquipment(s: Services, f: { type?: string; status?: string }) {
  // from the in-process index of all equipment (records/openRecords.ts: no engine round trip when nothing changed)
  const all = await openRecords<EquipmentDoc>(s, equipmentRecord, 'all', () => true);
  return all
    .slice(0, 5000)
    .filter((q) => (!f.type || q.type === f.type) && (!f.status || q.status === f.status))
    .sort((a, b) => a.code.localeCompare(b.code));
}

export interface NewEquipment {
  code: string;
  name: Bilingual;
  type: string;
  typeLabel?: { en?: string; zh?: string };
  location: string;
  locationLabel?: { en?: string; zh?: string };
  calibrationIntervalDays: number;
  lastCalibratedOn?: string;
}

export async function registerEquipment(s: Services, user: SessionUser, n: NewEquipment): Promise<EquipmentDoc> {
  if (n.lastCalibratedOn && n.lastCalibratedOn > todayUtc())
    throw errors.validation('body.lastCalibratedOn', {
      en: 'a calibration date cannot be in the future',
      zh: '校准日期不能晚于今天',
    });
  const id = randomUUID();
  await asUser(user, async () => {
    await claim(s, `equipment-code:${n.code}`, { equipmentId: id }, `equipment ${n.code}`);
    const { type, data } = equipmentEvents.change('equipment.registered', {
      ...n,
      lastCalibratedOn: n.lastCalibratedOn ?? null,
    });
    await s.ledger.append(stream(id), type, data, { expectedVersion: 0 });
  });
  return getEquipment(s, id);
}

async function onEquipment(s: Services, user: SessionUser, id: string, action: string, input: Record<string, unknown>) {
  await getEquipment(s, id);
  await runCommand(s, user, stream(id), action, input);
  return getEquipment(s, id);
}

export const recordCalibration = (
  s: Services,
  user: SessionUser,
  id: string,
  c: { date: string; result: 'pass' | 'fail'; certificate: string; reason?: string; version?: number },
) => onEquipment(s, user, id, 'calibrate', c);

export const changeEquipmentStatus = (
  s: Services,
  user: SessionUser,
  id: string,
  status: EquipmentStatus,
  reason: string,
  version?: number,
) => onEquipment(s, user, id, STATUS_ACTIONS[status], { reason, version });

/** Why this piece of equipment may not be used today, or null (asked by production). */
export function calibrationRefusal(q: EquipmentState) {
  if (isCalibrated(q)) return null;
  return E.EQUIPMENT_NOT_CALIBRATED(
    { code: q.code, status: q.status, calibrationDue: q.calibrationDue },
    { equipment: q.code, status: q.status, calibrationDue: q.calibrationDue },
  );
}

/** Sets (or replaces) the preventive maintenance plan: interval and checklist (ISO 13485:2016 6.3). */
export const setMaintenancePlan = (
  s: Services,
  user: SessionUser,
  id: string,
  p: { intervalDays: number; checklist: Bilingual[]; lastMaintainedOn?: string; reason?: string; version?: number },
) => onEquipment(s, user, id, 'set_maintenance_plan', p);

export interface WorkBody {
  date: string;
  checks?: Array<{ id: string; ok: boolean; note?: string }>;
  findings?: string;
  parts?: Array<{ description: string; quantity: number }>;
  password: string;
  totp?: string;
  reason?: string;
  version?: number;
}
/** Preventive maintenance, signed `performed` by who did it: a full checklist moves the due date on by the interval. */
export const recordMaintenance = (s: Services, user: SessionUser, id: string, w: WorkBody) =>
  onEquipment(s, user, id, 'record_maintenance', { ...w });

/** The repair of the open breakdown, signed `performed`: the equipment goes back to the status it had. */
export const recordRepair = (s: Services, user: SessionUser, id: string, w: WorkBody) =>
  onEquipment(s, user, id, 'repair', { ...w });

/** A breakdown: out of service until repaired. */
export const reportBreakdown = (
  s: Services,
  user: SessionUser,
  id: string,
  b: { date: string; description: string; version?: number },
) => onEquipment(s, user, id, 'report_breakdown', b);

/** Why this piece of equipment may not be used today for want of preventive maintenance, or null (asked by production). */
export function maintenanceRefusal(q: EquipmentState) {
  if (!maintenanceOverdue(q)) return null;
  return E.EQUIPMENT_MAINTENANCE_OVERDUE(
    { code: q.code, maintenanceDue: q.maintenanceDue! },
    { equipment: q.code, maintenanceDue: q.maintenanceDue },
  );
}
