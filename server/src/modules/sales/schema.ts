import { z } from 'zod';
import { IsoDate, Quantity, RecordVersion, optional } from '../../platform/fields.ts';
import { Code, Id, Reason, Text } from '../../platform/schemas.ts';
import { SO_STATES } from './events.ts';

// The sales inputs. Every field is a bounded string, number or enum: an operator object such as
// `{"$ne": null}` in any of them is a 400 before anything runs; a quantity is positive with at
// most three decimals (a serialized item's is whole: judged with the item).
const Version = { version: optional(RecordVersion) };
const Ref = Text(100).min(1);

export const NewSalesOrderBody = z
  .object({
    customer: Code,
    customerPo: optional(Ref),
    lines: z
      .array(z.object({ itemId: Id, quantity: Quantity, requestedDate: IsoDate }).strict())
      .min(1)
      .max(100),
  })
  .strict();
export type NewSalesOrder = z.output<typeof NewSalesOrderBody>;

export const ConfirmBody = z.object({ ...Version }).strict();
export const AllocateBody = z
  .object({
    lineId: Id,
    quantity: optional(Quantity),
    picks: optional(
      z
        .array(z.object({ lotId: Id, quantity: Quantity }).strict())
        .min(1)
        .max(500),
    ),
    ...Version,
  })
  .strict();
export const DeallocateBody = z.object({ lineId: Id, ...Version }).strict();
export const ShipBody = z
  .object({
    carrier: Ref,
    reference: Ref,
    shipDate: optional(IsoDate),
    lines: optional(
      z
        .array(z.object({ lineId: Id, lotId: Id, quantity: Quantity }).strict())
        .min(1)
        .max(500),
    ),
    ...Version,
  })
  .strict();
export const DeliverBody = z
  .object({ shipmentId: Id, deliveredOn: IsoDate, receivedBy: Text(200).min(1), ...Version })
  .strict();
export const CancelBody = z.object({ reason: Reason, ...Version }).strict();
export const SalesOrderListQuery = z.object({ status: optional(z.enum(SO_STATES)), customer: optional(Code) }).strict();
export type SalesOrderFilter = z.output<typeof SalesOrderListQuery>;
