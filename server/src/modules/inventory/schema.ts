import { z } from 'zod';
import { IsoDate, RecordVersion, optional } from '../../platform/fields.ts';
import { Code, Credentials, Id, Reason, Text } from '../../platform/schemas.ts';
import { Quantity, QuantityDelta, QuantityOrZero, fromText } from '../../platform/fields.ts';
import { LOT_STATUSES } from './lot.record.ts';

const Source = optional(Text(200));
/** The version of the lot the user saw (optional): a later change refuses the action (409 STALE_VERSION). */
const Version = { version: RecordVersion.optional() };
export const InventoryQuery = z.object({
  status: optional(z.enum(LOT_STATUSES)),
  item: optional(Id),
  location: optional(Code),
  q: optional(Text(100)),
});
export const FefoQuery = z.object({ item: Id, qty: fromText(Quantity) });
export const MoveBody = z.object({ from: Code, to: Code, quantity: Quantity, source: Source, ...Version }).strict();
export const AdjustBody = z
  .object({ location: Code, delta: QuantityDelta, reason: Reason, source: Source, ...Version })
  .strict();
export const CountBody = z
  .object({ location: Code, counted: QuantityOrZero, reason: optional(Reason), ...Version })
  .strict();
export const IssueBody = z
  .object({ quantity: Quantity, location: optional(Code), workOrder: Text(100).min(1), ...Version })
  .strict();
export const HoldBody = z.object({ reason: Reason, source: Source, ...Version }).strict();
export const ReleaseHoldBody = z.object({ reason: Reason, ...Credentials, ...Version }).strict();
export const ScrapBody = z
  .object({ quantity: Quantity.optional(), location: optional(Code), reason: Reason, ...Credentials, ...Version })
  .strict();
export const ShipBody = z
  .object({ customer: Code, shipDate: optional(IsoDate), reference: Text(100).min(1), ...Version })
  .strict();
