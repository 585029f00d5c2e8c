import type { z } from 'zod';
import { streamOf } from '../../records/registry.ts';
import { isCalibrated, type EquipmentDoc } from './equipment.record.ts';
import type { EquipmentView } from './schema.ts';

export const presentEquipment = (q: EquipmentDoc): z.infer<typeof EquipmentView> => ({
  id: q._id, stream: streamOf('equipment', q._id), code: q.code, name: q.name, type: q.type, location: q.location,
  calibrationIntervalDays: q.calibrationIntervalDays, lastCalibratedOn: q.lastCalibratedOn, calibrationDue: q.calibrationDue,
  status: q.status, calibrated: isCalibrated(q), ledgerVersion: q.ledgerVersion, calibrations: q.calibrations,
});
