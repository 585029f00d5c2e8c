import { z } from 'zod';
import { Code, Credentials, Id, IsoDate, Quantity, Reason, Text, optional } from '../items/fields.ts';
import { LOT_STATUSES } from './lot.record.ts';

const Source = optional(Text(200));
export const InventoryQuery = z.object({ status: optional(z.enum(LOT_STATUSES)), item: optional(Id), location: optional(Code), q: optional(Text(100)) });
export const FefoQuery = z.object({ item: Id, qty: z.coerce.number().positive().max(1e9) });
export const MoveBody = z.object({ from: Code, to: Code, quantity: Quantity, source: Source }).strict();
export const AdjustBody = z.object({ location: Code, delta: z.number().finite().refine((n) => n !== 0, 'not zero').refine((n) => Math.round(n * 1000) === n * 1000, 'at most 3 decimals'), reason: Reason, source: Source }).strict();
export const CountBody = z.object({ location: Code, counted: z.number().min(0).max(1e9), reason: optional(Reason) }).strict();
export const IssueBody = z.object({ quantity: Quantity, location: optional(Code), workOrder: Text(100).min(1) }).strict();
export const HoldBody = z.object({ reason: Reason, source: Source }).strict();
export const ReleaseHoldBody = z.object({ reason: Reason, ...Credentials }).strict();
export const ScrapBody = z.object({ quantity: Quantity.optional(), location: optional(Code), reason: Reason, ...Credentials }).strict();
export const ShipBody = z.object({ customer: Code, shipDate: optional(IsoDate), reference: Text(100).min(1) }).strict();
