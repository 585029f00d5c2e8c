import type { TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { listEquipment } from './service.ts';

/** How far ahead a due calibration appears in the inbox of those who calibrate. */
export const CALIBRATION_NOTICE_DAYS = 30;

// What equipment puts in a user's inbox: active equipment whose calibration is overdue, never
// recorded, or due within CALIBRATION_NOTICE_DAYS (ISO 13485 7.6: calibrated at specified intervals).
export const equipmentTasks: TaskSource = {
  kinds: ['calibration'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'equipment.calibrate')) return [];
    const notice = addDays(todayUtc(), CALIBRATION_NOTICE_DAYS);
    return (await listEquipment(s, { status: 'active' }))
      .filter((q) => !q.calibrationDue || q.calibrationDue <= notice)
      .map((q) => ({
        id: `calibration.${q._id}`,
        kind: 'calibration',
        number: q.code,
        title: q.name,
        revision: q.type,
        due: q.calibrationDue,
        link: { route: 'equipment-item', id: q._id },
      }));
  },
};
