import { z } from 'zod';
import { IsoDate, optional } from '../../platform/fields.ts';
import { Bilingual, Code, Credentials, Id, Reason, Text } from '../../platform/schemas.ts';
import { EVIDENCE_KINDS, QUALIFICATION } from './supplier.record.ts';
import { Percent } from '../../platform/fields.ts';

export const SupplierParams = z.object({ code: Code });
export const AslParams = z.object({ code: Code, itemId: Id });
export const CreateSupplierBody = z.object({ code: Code, name: Bilingual, country: Text(60).default(''), contact: Text(200).default(''), address: Text(500).default('') }).strict();
export const UpdateSupplierBody = z.object({ name: Bilingual.optional(), country: Text(60).optional(), contact: Text(200).optional(), address: Text(500).optional(), reason: Reason }).strict();
export const QualificationBody = z.object({ status: z.enum(QUALIFICATION).exclude(['pending']), reason: Reason, ...Credentials }).strict();
export const EvidenceBody = z.object({
  kind: z.enum(EVIDENCE_KINDS), title: Text(200).min(1), reference: optional(Text(500)), date: IsoDate, expiryDate: optional(IsoDate), result: optional(Text(1000)),
}).strict()
  .refine((b) => b.kind !== 'certificate' || !!b.expiryDate, { message: 'a certificate needs its expiry date', path: ['expiryDate'] })
  .refine((b) => !b.expiryDate || b.expiryDate >= b.date, { message: 'expires before it was issued', path: ['expiryDate'] });
export const AslBody = z.object({ itemId: Id }).strict();
export const RemoveAslBody = z.object({ reason: Reason }).strict();
export const EvaluationBody = z.object({
  period: z.string().regex(/^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$/, 'a period like 2026, 2026-Q3, 2026-H1 or 2026-09'),
  quality: Percent, delivery: Percent, comment: optional(Text(2000)),
}).strict();
export const SupplierQuery = z.object({ status: optional(z.enum(QUALIFICATION)), item: optional(Id) });
