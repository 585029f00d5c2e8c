import { todayUtc } from '../../platform/dates.ts';
import type { EquipmentState } from './equipment.record.ts';

// Maintenance status of a piece of equipment, read by its lifecycle, presenter, inbox and by production.

/** The breakdown not yet repaired, if any. */
export const openBreakdown = (q: EquipmentState) => (q.breakdowns ?? []).find((b) => !b.repairedOn) ?? null;

/** Overdue for preventive maintenance today (usable on its due date, like calibration). */
export const maintenanceOverdue = (q: EquipmentState, today = todayUtc()) =>
  !!q.maintenanceDue && q.maintenanceDue < today;
