import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// Everything that can happen to a piece of equipment (`equipment:<id>`), as the ledger records it.
export const EQUIPMENT_STATUSES = ['active', 'out_of_service', 'retired'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];
/** The two signed maintenance actions (ISO 13485:2016 6.3, 7.5.1): preventive maintenance, and the repair of a breakdown. */
export const MAINTENANCE_ACTIONS = ['record_maintenance', 'repair'] as const;
export type MaintenanceAction = (typeof MAINTENANCE_ACTIONS)[number];

const StoredLabel = z.object({ en: z.string().optional(), zh: z.string().optional() });
const MaintenanceWork = z.object({
  date: z.string(),
  checks: z.array(z.object({ id: z.string(), ok: z.boolean(), note: z.string() })),
  findings: z.string(),
  parts: z.array(z.object({ description: z.string(), quantity: z.number() })),
});

export const equipmentEvents = defineEvents('equipment', {
  'equipment.registered': z.object({
    code: z.string(),
    name: BilingualView,
    type: z.string(),
    /** display labels (issue 15 item 8); equipment registered before has none */
    typeLabel: StoredLabel.optional(),
    location: z.string(),
    locationLabel: StoredLabel.optional(),
    calibrationIntervalDays: z.number(),
    lastCalibratedOn: z.string().nullable(),
  }),
  /** A failed calibration takes the equipment out of service; a passed one moves the due date on. */
  'equipment.calibrated': z.object({ date: z.string(), result: z.enum(['pass', 'fail']), certificate: z.string() }),
  'equipment.statusChanged': z.object({ status: z.enum(EQUIPMENT_STATUSES) }), // the reason is on the event
  /** The preventive maintenance plan (ISO 13485:2016 6.3): interval, checklist, and the next due date it sets. */
  'equipment.maintenancePlanned': z.object({
    intervalDays: z.number(),
    checklist: z.array(z.object({ id: z.string(), text: BilingualView })),
    due: z.string(),
  }),
  /** A breakdown reported: the equipment is out of service until a signed repair. */
  'equipment.breakdownReported': z.object({ id: z.string(), date: z.string(), description: z.string() }),
  /** The work a technician vouches for; their `performed` signature over it makes it the record. */
  'equipment.maintenanceProposed': MaintenanceWork.extend({
    action: z.enum(MAINTENANCE_ACTIONS),
    breakdownId: z.string().nullable(),
  }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
