import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// Everything that can happen to a piece of equipment (`equipment:<id>`), as the ledger records it.
export const EQUIPMENT_STATUSES = ['active', 'out_of_service', 'retired'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];

export const equipmentEvents = defineEvents('equipment', {
  'equipment.registered': z.object({
    code: z.string(),
    name: BilingualView,
    type: z.string(),
    location: z.string(),
    calibrationIntervalDays: z.number(),
    lastCalibratedOn: z.string().nullable(),
  }),
  /** A failed calibration takes the equipment out of service; a passed one moves the due date on. */
  'equipment.calibrated': z.object({ date: z.string(), result: z.enum(['pass', 'fail']), certificate: z.string() }),
  'equipment.statusChanged': z.object({ status: z.enum(EQUIPMENT_STATUSES) }), // the reason is on the event
});
