import { z } from 'zod';
import { IsoDate, RecordVersion, optional } from '../../platform/fields.ts';
import { Bilingual, Code, Credentials, Id, Reason, Text, msg } from '../../platform/schemas.ts';
import { EVIDENCE_KINDS, QUALIFICATION } from './supplier.record.ts';
import { Percent } from '../../platform/fields.ts';

export const SupplierParams = z.object({ code: Code });
export const AslParams = z.object({ code: Code, itemId: Id });
export const CreateSupplierBody = z
  .object({
    code: Code,
    name: Bilingual,
    country: Text(60).default(''),
    contact: Text(200).default(''),
    address: Text(500).default(''),
  })
  .strict();
/** The version the user saw (optional: without it an action applies to the supplier as it is). */
const Version = { version: optional(RecordVersion) };
export const UpdateSupplierBody = z
  .object({
    name: Bilingual.optional(),
    country: Text(60).optional(),
    contact: Text(200).optional(),
    address: Text(500).optional(),
    reason: Reason,
    ...Version,
  })
  .strict();
/** One route for QA's three decisions (actions approve, approve_conditionally, disqualify: supplier.lifecycle.ts). */
export const QualificationBody = z
  .object({ status: z.enum(QUALIFICATION).exclude(['pending']), reason: Reason, ...Credentials, ...Version })
  .strict();
export const EvidenceBody = z
  .object({
    kind: z.enum(EVIDENCE_KINDS),
    title: Text(200).min(1),
    reference: optional(Text(500)),
    date: IsoDate,
    expiryDate: optional(IsoDate),
    result: optional(Text(1000)),
    ...Version,
  })
  .strict()
  .refine((b) => b.kind !== 'certificate' || !!b.expiryDate, {
    message: msg('a certificate needs its expiry date', '证书需要填写有效期'),
    path: ['expiryDate'],
  })
  .refine((b) => !b.expiryDate || b.expiryDate >= b.date, {
    message: msg('expires before it was issued', '有效期早于签发日期'),
    path: ['expiryDate'],
  });
export const AslBody = z.object({ itemId: Id, ...Version }).strict();
export const RemoveAslBody = z.object({ reason: Reason, ...Version }).strict();
export const EvaluationBody = z
  .object({
    period: z
      .string()
      .regex(
        /^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$/,
        msg('a period like 2026, 2026-Q3, 2026-H1 or 2026-09', '应为形如 2026、2026-Q3、2026-H1 或 2026-09 的期间'),
      ),
    quality: Percent,
    delivery: Percent,
    comment: optional(Text(2000)),
    ...Version,
  })
  .strict();
export const SupplierQuery = z.object({ status: optional(z.enum(QUALIFICATION)), item: optional(Id) });
