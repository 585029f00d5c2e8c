import { z } from 'zod';
import { IsoDate, RecordVersion, optional, whole } from '../../platform/fields.ts';
import { Bilingual, BilingualView, Code, Reason, Text } from '../../platform/schemas.ts';
import { MEANINGS } from '../../../../signatures/manifestation.ts';
import { EQUIPMENT_STATUSES } from './equipment.record.ts';

export const RegisterEquipmentBody = z
  .object({
    code: Code,
    name: Bilingual,
    type: Text(100).min(1),
    location: Text(100).min(1),
    calibrationIntervalDays: whole(1, 3650),
    lastCalibratedOn: optional(IsoDate),
  })
  .strict();
export const CalibrationBody = z
  .object({
    date: IsoDate,
    result: z.enum(['pass', 'fail']),
    certificate: Text(200).min(1),
    reason: optional(Reason),
    version: optional(RecordVersion),
  })
  .strict();
/** One route for the status actions (take_out_of_service, return_to_service, retire: equipment.lifecycle.ts). */
export const EquipmentStatusBody = z
  .object({ status: z.enum(EQUIPMENT_STATUSES), reason: Reason, version: optional(RecordVersion) })
  .strict();
export const EquipmentQuery = z.object({ type: optional(Text(100)), status: optional(z.enum(EQUIPMENT_STATUSES)) });

/** An action this user may take now (records/lifecycle.ts AvailableAction). */
const ActionView = z.object({
  action: z.string(),
  signature: z.enum(MEANINGS).nullable(),
  needsReason: z.boolean(),
  needsDate: z.boolean(),
  needsValues: z.boolean(),
  scope: z.string().nullable(),
});
export const EquipmentView = z.object({
  id: z.string(),
  stream: z.string(),
  code: z.string(),
  name: BilingualView,
  type: z.string(),
  location: z.string(),
  calibrationIntervalDays: z.number(),
  lastCalibratedOn: z.string().nullable(),
  calibrationDue: z.string().nullable(),
  status: z.enum(EQUIPMENT_STATUSES),
  calibrated: z.boolean(),
  ledgerVersion: z.number(),
  actions: z.array(ActionView),
  calibrations: z.array(
    z.object({
      date: z.string(),
      result: z.enum(['pass', 'fail']),
      certificate: z.string(),
      by: z.string(),
      at: z.string(),
    }),
  ),
});
