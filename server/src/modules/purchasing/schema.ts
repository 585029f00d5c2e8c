import { z } from 'zod';
import { Code, Credentials, Id, IsoDate, Quantity, Reason, Text, optional } from '../items/fields.ts';
import { PO_STATUSES } from './purchasing.record.ts';

const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like CNY');
const Price = z.number().min(0).max(1e9).refine((n) => Math.round(n * 10_000) === n * 10_000, 'at most 4 decimals');

export const RequisitionBody = z.object({
  note: optional(Text(2000)),
  lines: z.array(z.object({ itemId: Id, quantity: Quantity, needBy: IsoDate }).strict()).min(1).max(100),
}).strict();

export const CreatePoBody = z.object({
  supplier: Code, currency: Currency.default('CNY'), requisitionId: optional(Id),
  lines: z.array(z.object({ itemId: Id, quantity: Quantity, unitPrice: Price, dueDate: IsoDate }).strict()).min(1).max(200),
}).strict();

export const ApproveBody = z.object({ version: z.number().int().min(1), ...Credentials }).strict();
export const EndBody = z.object({ reason: Reason }).strict();
export const ThresholdBody = z.object({ approvalThresholdCny: z.number().min(0).max(1e12), reason: Reason }).strict();
export const PoQuery = z.object({ status: optional(z.enum(PO_STATUSES)), supplier: optional(Code) });

export const ReceiptBody = z.object({
  location: optional(Code),
  lines: z.array(z.object({
    lineNo: z.number().int().min(1), quantity: Quantity, supplierLot: Text(60).min(1),
    mfgDate: optional(IsoDate), expiryDate: optional(IsoDate), coaRef: optional(Text(300)),
    serials: z.array(Text(60).min(1).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _')).max(1000).optional(),
  }).strict().refine((l) => !l.mfgDate || !l.expiryDate || l.expiryDate > l.mfgDate, { message: 'expires before it was made', path: ['expiryDate'] })).min(1).max(100),
}).strict();
