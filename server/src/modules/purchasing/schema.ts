import { z } from 'zod';
import { IsoDate, optional } from '../../platform/fields.ts';
import { Code, Credentials, Id, Reason, Text, msg } from '../../platform/schemas.ts';
import { Money, Quantity, RecordVersion, UnitPrice, whole } from '../../platform/fields.ts';
import { PO_STATUSES } from './purchasing.record.ts';

const PO_LINES_MAX = 200;
const Currency = z.string().regex(/^[A-Z]{3}$/, msg('an ISO 4217 code like CNY', '应为 ISO 4217 货币代码,如 CNY'));

export const RequisitionBody = z
  .object({
    note: optional(Text(2000)),
    lines: z
      .array(z.object({ itemId: Id, quantity: Quantity, needBy: IsoDate }).strict())
      .min(1)
      .max(100),
  })
  .strict();

export const CreatePoBody = z
  .object({
    supplier: Code,
    currency: Currency.default('CNY'),
    requisitionId: optional(Id),
    lines: z
      .array(z.object({ itemId: Id, quantity: Quantity, unitPrice: UnitPrice, dueDate: IsoDate }).strict())
      .min(1)
      .max(PO_LINES_MAX),
  })
  .strict();

/** The version the user saw (optional on unsigned actions: without it the action applies to the record as it is). */
export const IssueBody = z.object({ version: optional(RecordVersion) }).strict();
export const ApproveBody = z.object({ version: RecordVersion, ...Credentials }).strict();
export const EndBody = z.object({ reason: Reason, version: optional(RecordVersion) }).strict();
export const ThresholdBody = z.object({ approvalThresholdCny: Money, reason: Reason }).strict();
export const PoQuery = z.object({ status: optional(z.enum(PO_STATUSES)), supplier: optional(Code) });

export const ReceiptBody = z
  .object({
    location: optional(Code),
    lines: z
      .array(
        z
          .object({
            lineNo: whole(1, PO_LINES_MAX),
            quantity: Quantity,
            supplierLot: Text(60).min(1),
            mfgDate: optional(IsoDate),
            expiryDate: optional(IsoDate),
            coaRef: optional(Text(300)),
            serials: z
              .array(
                Text(60)
                  .min(1)
                  .regex(/^[A-Za-z0-9_-]+$/, msg('letters, digits, - and _', '只能包含字母、数字、- 和 _')),
              )
              .max(1000)
              .optional(),
          })
          .strict()
          .refine((l) => !l.mfgDate || !l.expiryDate || l.expiryDate > l.mfgDate, {
            message: msg('expires before it was made', '有效期早于生产日期'),
            path: ['expiryDate'],
          }),
      )
      .min(1)
      .max(100),
    version: optional(RecordVersion),
  })
  .strict();
