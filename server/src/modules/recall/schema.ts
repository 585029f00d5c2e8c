import { z } from 'zod';
import { IsoDate, optional, Quantity, RecordVersion } from '../../platform/fields.ts';
import { Code, Credentials, Id, msg, Text } from '../../platform/schemas.ts';
import { ForwardQuery } from '../trace/genealogy.ts';
import { DISPOSITIONS, NOTIFY_METHODS, RECALL_JURISDICTIONS, RECALL_KINDS, RECALL_LEVELS } from './events.ts';

// What the recall routes accept (zod: a `{"$ne": null}` or any other object where a string is
// expected is a 400, nothing written).
export const CreateRecallBody = z
  .object({
    title: Text(200).min(1),
    reason: Text(4000).min(1),
    level: z.enum(RECALL_LEVELS),
    kind: z.enum(RECALL_KINDS),
    jurisdictions: z.array(z.enum(RECALL_JURISDICTIONS)).min(1).max(3),
    initiatedOn: IsoDate,
    urgent: z.boolean().default(false),
    /** A lot (id, lot number or supplier lot) whose forward trace names the affected units. */
    fromLot: ForwardQuery.shape.lot.optional(),
    /** Lots or serialized units named by hand (lot ids). */
    lots: z.array(Id).max(1000).default([]),
  })
  .strict()
  .refine((b) => !!b.fromLot || b.lots.length > 0, {
    message: msg(
      'name the affected lots or serials, or a lot to trace forward from',
      '请指定受影响的批次或序列号,或用于正向追溯的批次',
    ),
    path: ['lots'],
  });
export type CreateRecall = z.infer<typeof CreateRecallBody>;

const Version = { version: optional(RecordVersion) };
export const ACTION_BODIES = {
  approve: z.object({ ...Credentials, ...Version }).strict(),
  notify: z
    .object({
      customer: Code,
      date: IsoDate,
      method: z.enum(NOTIFY_METHODS),
      reference: Text(200).min(1),
      ...Version,
    })
    .strict(),
  acknowledge: z.object({ customer: Code, date: IsoDate, contact: Text(200).min(1), ...Version }).strict(),
  disposition: z
    .object({
      lotId: Id,
      disposition: z.enum(DISPOSITIONS),
      quantity: Quantity.optional(),
      date: IsoDate,
      note: Text(2000).optional(),
      ...Version,
    })
    .strict(),
  report: z.object({ clock: Code, date: IsoDate, reference: Text(200).min(1), ...Version }).strict(),
  close: z.object({ summary: Text(4000).min(1), ...Credentials, ...Version }).strict(),
} as const;
export type RecallAction = keyof typeof ACTION_BODIES;

export const RecallQuery = z.object({ state: optional(z.enum(['draft', 'open', 'closed'])) }).strict();
