import { z } from 'zod';
import { IsoDate, optional } from '../../platform/fields.ts';
import { Bilingual, Code, Reason, Text } from '../../platform/schemas.ts';
import { EQUIPMENT_STATUSES } from './equipment.record.ts';
import { whole } from '../../platform/fields.ts';

export const RegisterEquipmentBody = z.object({
  code: Code,
  name: Bilingual,
  type: Text(100).min(1),
  location: Text(100).min(1),
  calibrationIntervalDays: whole(1, 3650),
  lastCalibratedOn: optional(IsoDate),
}).strict();
export const CalibrationBody = z.object({
  date: IsoDate,
  result: z.enum(['pass', 'fail']),
  certificate: Text(200).min(1),
  reason: optional(Reason),
}).strict();
export const EquipmentStatusBody = z.object({ status: z.enum(EQUIPMENT_STATUSES), reason: Reason }).strict();
export const EquipmentQuery = z.object({ type: optional(Text(100)), status: optional(z.enum(EQUIPMENT_STATUSES)) });

const BilingualView = z.object({ zh: z.string(), en: z.string() });
export const EquipmentView = z.object({
  id: z.string(), stream: z.string(), code: z.string(), name: BilingualView, type: z.string(), location: z.string(),
  calibrationIntervalDays: z.number(), lastCalibratedOn: z.string().nullable(), calibrationDue: z.string().nullable(),
  status: z.enum(EQUIPMENT_STATUSES), calibrated: z.boolean(), ledgerVersion: z.number(),
  calibrations: z.array(z.object({ date: z.string(), result: z.enum(['pass', 'fail']), certificate: z.string(), by: z.string(), at: z.string() })),
});
