import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import type { equipment } from './service.ts';
import { equipmentRecord } from './equipment.record.ts';
import { openRecords, sortedBy, type DocOf } from '../../records/openRecords.ts';
import { openBreakdown } from './maintenance.ts';

/** How far ahead a due calibration appears in the inbox of those who calibrate. */
export const CALIBRATION_NOTICE_DAYS = 30;
/** How far ahead due preventive maintenance appears in the inbox of those who maintain equipment. */
export const MAINTENANCE_NOTICE_DAYS = 14;

// What equipment puts in a user's inbox: active equipment whose calibration is overdue, never
// recorded, or due within CALIBRATION_NOTICE_DAYS (ISO 13485 7.6: calibrated at specified intervals);
// equipment in use whose preventive maintenance is overdue or due within MAINTENANCE_NOTICE_DAYS,
// and breakdowns awaiting repair (ISO 13485:2016 6.3: maintenance at the planned interval).
export const equipmentTasks: TaskSource = {
  kinds: ['calibration', 'maintenance', 'repair'],
  async tasksFor(s, user) {
    const calibrate = hasPermission(user, 'equipment.calibrate');
    const maintain = hasPermission(user, 'equipment.maintain');
    if (!calibrate && !maintain) return [];
    const notice = addDays(todayUtc(), CALIBRATION_NOTICE_DAYS);
    const maintenanceNotice = addDays(todayUtc(), MAINTENANCE_NOTICE_DAYS);
    // every instrument not retired (the only ones any of the three tasks names), as listEquipment orders them
    const all = sortedBy(
      await openRecords<DocOf<typeof equipment>>(s, equipmentRecord, 'in_service', (q) => q.status !== 'retired'),
      (q) => q.code,
    );
    const link = (id: string) => ({ route: 'equipment-item', id });
    const calibrations = !calibrate
      ? []
      : all
          .filter((q) => q.status === 'active' && (!q.calibrationDue || q.calibrationDue <= notice))
          .map((q) => ({
            id: `calibration.${q._id}`,
            kind: 'calibration',
            number: q.code,
            title: q.name,
            revision: q.type,
            due: q.calibrationDue,
            link: link(q._id),
          }));
    if (!maintain) return calibrations;
    const maintenance = all
      .filter((q) => q.status !== 'retired' && !!q.maintenanceDue && q.maintenanceDue <= maintenanceNotice)
      .map((q) => ({
        id: `maintenance.${q._id}`,
        kind: 'maintenance',
        number: q.code,
        title: q.name,
        revision: q.type,
        due: q.maintenanceDue ?? null,
        link: link(q._id),
      }));
    const repairs = all
      .filter((q) => q.status !== 'retired' && !!openBreakdown(q))
      .map((q) => ({
        id: `repair.${q._id}`,
        kind: 'repair',
        number: q.code,
        title: q.name,
        revision: q.type,
        due: openBreakdown(q)!.date,
        link: link(q._id),
      }));
    return [...calibrations, ...maintenance, ...repairs];
  },
};
