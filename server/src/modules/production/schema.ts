import { z } from 'zod';
import { IsoDate, optional } from '../../platform/fields.ts';
import { Credentials, Id, Password, Reason, Text } from '../../platform/schemas.ts';
import {
  LabelCount,
  Measurement,
  Quantity,
  QuantityOrZero,
  RecordVersion,
  fromText,
  whole,
} from '../../platform/fields.ts';
import { WO_STATES } from './workorder.model.ts';
import { SCHEME_TYPES } from './numbering.ts';

export const CreateWorkOrderBody = z
  .object({ itemId: Id, plannedQuantity: Quantity, plannedStart: IsoDate, plannedEnd: IsoDate })
  .strict();
export const WorkOrderQuery = z.object({ state: optional(z.enum(WO_STATES)), item: optional(Id) });
export const WoActionParams = z.object({ id: Id, action: z.enum(['release', 'cancel', 'qa_release']) });
export const WoActionBody = z
  .object({
    version: RecordVersion,
    password: optional(Password), // cancel is not signed
    totp: Credentials.totp,
    reason: optional(Reason),
  })
  .strict();
export const StepParams = z.object({ id: Id, seq: fromText(whole(1, 9999)) });
export const PerformBody = z
  .object({
    values: z.record(z.string().max(100), Measurement).default({}),
    equipmentIds: z.array(Id).max(20).default([]),
    comment: optional(Text(2000)),
    ...Credentials,
  })
  .strict();
export const SignBody = z.object({ ...Credentials }).strict();
export const IssueBody = z
  .object({ lotId: Id, quantity: Quantity, location: optional(Text(40)), reason: optional(Reason) })
  .strict();
export const DeviationParams = z.object({ id: Id, deviationId: Id });
export const CloseDeviationBody = z
  .object({ disposition: z.enum(['use_as_is', 'rework', 'scrap']), rationale: Reason, ...Credentials })
  .strict();
export const PrintLabelsBody = z.object({ quantity: LabelCount.min(1).max(100_000) }).strict();
export const ReconcileLabelsBody = z
  .object({ used: LabelCount, destroyed: LabelCount, reason: optional(Reason) })
  .strict();
export const ReconcileMaterialsBody = z
  .object({
    lines: z.array(z.object({ itemId: Id, consumed: QuantityOrZero, scrapped: QuantityOrZero }).strict()).max(200),
    reason: optional(Reason),
  })
  .strict();
export const CompleteBody = z
  .object({
    goodQuantity: QuantityOrZero,
    scrappedQuantity: QuantityOrZero.default(0),
    scrappedSerials: z.array(Text(60)).max(500).optional(),
    reason: optional(Reason),
  })
  .strict();
export const SchemeParams = z.object({ type: z.enum(SCHEME_TYPES) });
export const SchemePatternBody = z.object({ pattern: z.string().trim().min(1).max(60) }).strict();
