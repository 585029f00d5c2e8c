import { z } from 'zod';
import { IsoDate, RecordVersion, optional, whole } from '../../platform/fields.ts';
import { Bilingual, BilingualView, Code, Credentials, Reason, Text } from '../../platform/schemas.ts';
import { Label } from '../../platform/labels.ts';
import { MEANINGS } from '../../../../signatures/manifestation.ts';
import { EQUIPMENT_STATUSES } from './equipment.record.ts';

export const RegisterEquipmentBody = z
  .object({
    code: Code,
    name: Bilingual,
    type: Text(100).min(1),
    /** what a user reads; the type stays the code an operation's equipmentType is matched against */
    typeLabel: Label.optional(),
    location: Text(100).min(1),
    locationLabel: Label.optional(),
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
/** The preventive maintenance plan (ISO 13485:2016 6.3): interval in days and a bilingual checklist. */
export const MaintenancePlanBody = z
  .object({
    intervalDays: whole(1, 3650),
    checklist: z.array(Bilingual).min(1).max(50),
    lastMaintainedOn: optional(IsoDate),
    reason: optional(Reason),
    version: optional(RecordVersion),
  })
  .strict();
const Check = z.object({ id: Text(20).min(1), ok: z.boolean(), note: optional(Text(1000)) }).strict();
const Part = z.object({ description: Text(200).min(1), quantity: whole(1, 100_000) }).strict();
/** A maintenance or repair work record, signed `performed` by who did it. */
export const MaintenanceBody = z
  .object({
    date: IsoDate,
    checks: z.array(Check).max(50).default([]),
    findings: Text(4000).default(''),
    parts: z.array(Part).max(50).default([]),
    ...Credentials,
    reason: optional(Reason),
    version: optional(RecordVersion),
  })
  .strict();
export const RepairBody = MaintenanceBody.extend({ findings: Text(4000).min(1) }).strict();
export const BreakdownBody = z
  .object({ date: IsoDate, description: Text(2000).min(1), version: optional(RecordVersion) })
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
  typeLabel: BilingualView,
  location: z.string(),
  locationLabel: BilingualView,
  calibrationIntervalDays: z.number(),
  lastCalibratedOn: z.string().nullable(),
  calibrationDue: z.string().nullable(),
  status: z.enum(EQUIPMENT_STATUSES),
  calibrated: z.boolean(),
  ledgerVersion: z.number(),
  actions: z.array(ActionView),
  maintenancePlan: z
    .object({
      intervalDays: z.number(),
      checklist: z.array(z.object({ id: z.string(), text: BilingualView })),
      setBy: z.string(),
      setAt: z.string(),
    })
    .nullable(),
  lastMaintainedOn: z.string().nullable(),
  maintenanceDue: z.string().nullable(),
  maintenanceOverdue: z.boolean(),
  maintenance: z.array(
    z.object({
      kind: z.enum(['preventive', 'repair']),
      date: z.string(),
      checks: z.array(z.object({ id: z.string(), ok: z.boolean(), note: z.string() })),
      findings: z.string(),
      parts: z.array(z.object({ description: z.string(), quantity: z.number() })),
      breakdownId: z.string().nullable(),
      by: z.string(),
      at: z.string(),
      signatureId: z.string(),
    }),
  ),
  breakdowns: z.array(
    z.object({
      id: z.string(),
      date: z.string(),
      description: z.string(),
      reportedBy: z.string(),
      reportedAt: z.string(),
      repairedOn: z.string().nullable(),
      repairedBy: z.string().nullable(),
    }),
  ),
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
