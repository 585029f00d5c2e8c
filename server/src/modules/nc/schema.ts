import { z } from 'zod';
import { Quantity, RecordVersion, optional } from '../../platform/fields.ts';
import { Code, Credentials, Id, Reason, Text } from '../../platform/schemas.ts';
import { DETECTION_POINTS, NC_SOURCE_KINDS } from './events.ts';

// The NC's inputs. Every field is a bounded string, number or enum: an operator object such as
// `{"$ne": null}` in any of them is a 400 before anything runs.
const Version = { version: RecordVersion.optional() };
const Ref = Text(100).min(1);

/** The sources a person opens an NC from (an incoming inspection opens its own, on a rejection). */
const Source = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('production'), workOrderId: Id, deviationId: Id }).strict(),
  z.object({ kind: z.literal('complaint'), complaintId: Id }).strict(),
  z.object({ kind: z.literal('internal_audit'), reference: Ref }).strict(),
  z.object({ kind: z.literal('supplier'), supplierCode: Code }).strict(),
  z.object({ kind: z.literal('customer_return'), customerCode: Code, reference: optional(Ref) }).strict(),
]);
export const NewNcBody = z
  .object({
    source: Source,
    itemId: optional(Id),
    lots: z
      .array(z.object({ lotId: Id, quantity: Quantity }).strict())
      .max(50)
      .default([]),
    description: Text(4000).min(1),
    detectionPoint: optional(z.enum(DETECTION_POINTS)),
    containment: optional(Text(4000)),
  })
  .strict();
export type NewNc = z.output<typeof NewNcBody>;

const Justification = Text(4000).min(1);
export const UseAsIsBody = z
  .object({ lotId: Id, quantity: Quantity, justification: Justification, ...Credentials, ...Version })
  .strict();
export const DisposeBody = z
  .object({
    lotId: Id,
    decision: z.enum(['rework', 'return_to_supplier', 'scrap', 'regrade']),
    quantity: Quantity,
    justification: Justification,
    location: optional(Code),
    ...Credentials,
    ...Version,
  })
  .strict();
export const VerifyReworkBody = z
  .object({ dispositionId: Id, note: optional(Text(2000)), ...Credentials, ...Version })
  .strict();
export const LinkCapaBody = z.object({ capaId: Id, ...Version }).strict();
export const CloseBody = z.object({ reason: optional(Reason), ...Credentials, ...Version }).strict();
export const NcListQuery = z
  .object({
    status: optional(z.enum(['open', 'closed'])),
    source: optional(z.enum(NC_SOURCE_KINDS)),
    lot: optional(Id),
    item: optional(Id),
    /** who opened the NC (an NC has no other owner) */
    owner: optional(Id),
  })
  .strict();
export type NcFilter = z.output<typeof NcListQuery>;
