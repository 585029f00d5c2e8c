import { z } from 'zod';
import { IsoDate, MEASURE_DECIMALS, optional } from '../../platform/fields.ts';
import { msg } from '../../platform/issueText.ts';
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
/**
 * A measured value as entered: a number, or its decimal text ("4.00"), which keeps the decimals the
 * operator wrote (the DHR shows what was measured, ISO 13485:2016 7.5.1 / 4.2.5; 21 CFR 820.184).
 */
export const EnteredValue = z.union([
  Measurement.transform((value) => ({ value, text: null as string | null })),
  z
    .string()
    .trim()
    .regex(
      new RegExp(`^-?\\d{1,10}(\\.\\d{1,${MEASURE_DECIMALS}})?$`),
      msg(
        `a decimal number such as 4.00 (at most ${MEASURE_DECIMALS} decimals)`,
        `应为十进制数，如 4.00(最多 ${MEASURE_DECIMALS} 位小数)`,
      ),
    )
    .transform((text) => ({ value: Number(text), text: text.replace(/^(-?)0+(?=\d)/, '$1') }))
    .pipe(z.object({ value: Measurement, text: z.string() })),
]);
export type EnteredValue = z.infer<typeof EnteredValue>;
export const PerformBody = z
  .object({
    values: z.record(z.string().max(100), EnteredValue).default({}),
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
