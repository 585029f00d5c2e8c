import type { z } from 'zod';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { streamOf } from '../../records/registry.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { maintenanceOverdue } from './maintenance.ts';
import { isCalibrated, type EquipmentDoc } from './equipment.record.ts';
import { equipmentLifecycle } from './equipment.lifecycle.ts';
import { labelOf } from '../../platform/labels.ts';
import type { EquipmentView } from './schema.ts';

// The only shape of equipment that leaves the server, with the actions this user may take on it now.
export const presentEquipment = (q: EquipmentDoc, user: SessionUser): z.infer<typeof EquipmentView> => ({
  id: q._id,
  stream: streamOf('equipment', q._id),
  code: q.code,
  name: q.name,
  type: q.type,
  typeLabel: labelOf(q.typeLabel, q.type),
  location: q.location,
  locationLabel: labelOf(q.locationLabel, q.location),
  calibrationIntervalDays: q.calibrationIntervalDays,
  lastCalibratedOn: q.lastCalibratedOn,
  calibrationDue: q.calibrationDue,
  status: q.status,
  calibrated: isCalibrated(q),
  ledgerVersion: q.ledgerVersion,
  calibrations: q.calibrations,
  // equipment registered before maintenance existed has no plan, records or breakdowns yet
  maintenancePlan: q.maintenancePlan ?? null,
  lastMaintainedOn: q.lastMaintainedOn ?? null,
  maintenanceDue: q.maintenanceDue ?? null,
  maintenanceOverdue: maintenanceOverdue(q),
  maintenance: (q.maintenance ?? []).map(({ byId: _byId, ...m }) => m),
  breakdowns: (q.breakdowns ?? []).map(({ statusBefore: _s, ...b }) => b),
  actions: availableActions(equipmentLifecycle, q, user),
});
