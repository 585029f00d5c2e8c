import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { claim, mutate } from '../../records/ledgerOps.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { Bilingual } from '../items/item.record.ts';
import { EQUIPMENT, isCalibrated, type EquipmentDoc, type EquipmentState, type EquipmentStatus } from './equipment.record.ts';

export const equipment = (s: Services) => s.db.collection<EquipmentDoc>(EQUIPMENT);
const stream = (id: string) => streamOf('equipment', id);

export async function getEquipment(s: Services, id: string): Promise<EquipmentDoc> {
  const q = await equipment(s).findOne({ _id: id });
  if (!q) throw errors.notFound('equipment');
  return q;
}

export async function listEquipment(s: Services, f: { type?: string; status?: string }) {
  const all = await equipment(s).find({}).limit(5000).toArray();
  return all.filter((q) => (!f.type || q.type === f.type) && (!f.status || q.status === f.status)).sort((a, b) => a.code.localeCompare(b.code));
}

export interface NewEquipment { code: string; name: Bilingual; type: string; location: string; calibrationIntervalDays: number; lastCalibratedOn?: string }

export async function registerEquipment(s: Services, user: SessionUser, n: NewEquipment): Promise<EquipmentDoc> {
  if (n.lastCalibratedOn && n.lastCalibratedOn > todayUtc()) throw errors.validation('body.lastCalibratedOn', 'a calibration date cannot be in the future');
  const id = randomUUID();
  const actor = actorOf(user);
  await claim(s, `equipment-code:${n.code}`, { equipmentId: id }, `equipment ${n.code}`, actor);
  await s.ledger.append(stream(id), 'equipment.registered', { ...n, lastCalibratedOn: n.lastCalibratedOn ?? null }, { expectedVersion: 0, actor });
  return getEquipment(s, id);
}

export async function recordCalibration(s: Services, user: SessionUser, id: string, c: { date: string; result: 'pass' | 'fail'; certificate: string; reason?: string }) {
  await getEquipment(s, id);
  if (c.date > todayUtc()) throw errors.validation('body.date', 'a calibration date cannot be in the future');
  await mutate<EquipmentState>(s, stream(id), actorOf(user), (q) => {
    if (q!.status === 'retired') throw domainError('EQUIPMENT_RETIRED', `${q!.code} is retired.`, `设备 ${q!.code} 已报废。`);
    if (q!.lastCalibratedOn && c.date < q!.lastCalibratedOn) throw errors.validation('body.date', `the last calibration was on ${q!.lastCalibratedOn}`);
    return { type: 'equipment.calibrated', data: { date: c.date, result: c.result, certificate: c.certificate }, reason: c.reason };
  });
  return getEquipment(s, id);
}

export async function changeEquipmentStatus(s: Services, user: SessionUser, id: string, status: EquipmentStatus, reason: string) {
  await getEquipment(s, id);
  await mutate<EquipmentState>(s, stream(id), actorOf(user), (q) => {
    if (q!.status === status) throw domainError('EQUIPMENT_SAME_STATUS', `${q!.code} is already ${status}.`, `设备 ${q!.code} 已是该状态。`);
    if (q!.status === 'retired') throw domainError('EQUIPMENT_RETIRED', `${q!.code} is retired.`, `设备 ${q!.code} 已报废。`);
    return { type: 'equipment.statusChanged', data: { status }, reason };
  });
  return getEquipment(s, id);
}

/** Why this piece of equipment may not be used today, or null (asked by production). */
export function calibrationRefusal(q: EquipmentState) {
  if (isCalibrated(q)) return null;
  const why = q.status !== 'active' ? `is ${q.status.replace(/_/g, ' ')}` : q.calibrationDue ? `was due for calibration on ${q.calibrationDue}` : 'has never been calibrated';
  const whyZh = q.status !== 'active' ? `处于"${q.status}"状态` : q.calibrationDue ? `校准已于 ${q.calibrationDue} 到期` : '从未校准';
  return domainError('EQUIPMENT_NOT_CALIBRATED', `Equipment ${q.code} ${why}; it cannot be used.`, `设备 ${q.code} ${whyZh},不能使用。`, 409,
    { equipment: q.code, status: q.status, calibrationDue: q.calibrationDue });
}
