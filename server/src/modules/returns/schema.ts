import { z } from 'zod';
import { optional, Quantity, RecordVersion } from '../../platform/fields.ts';
import { Code, Credentials, Id, Reason, Text } from '../../platform/schemas.ts';
import { RMA_DECISIONS } from './events.ts';

// What the returns routes accept (zod: a `{"$ne": null}` or any other object where a string is
// expected is a 400, nothing written; quantities positive and bounded).
export const CreateRmaBody = z
  .object({
    /** The shipped lot or serialized unit (lot id). */
    lotId: Id,
    customer: Code,
    quantity: Quantity,
    customerReason: Text(4000).min(1),
  })
  .strict();
export type CreateRma = z.infer<typeof CreateRmaBody>;

export const RmaQuery = z
  .object({ state: optional(z.enum(['open', 'received', 'inspected', 'decided'])), lotId: optional(Id) })
  .strict();

const Version = { version: optional(RecordVersion) };
const Decide = z.object({ ...Credentials, ...Version, reason: Reason }).strict();
export const ACTION_BODIES = {
  receive: z.object({ ...Version, location: Code }).strict(),
  inspect: z.object({ ...Version, findings: Text(4000).min(1), conforming: z.boolean() }).strict(),
  ...(Object.fromEntries(RMA_DECISIONS.map((d) => [d, Decide])) as Record<
    (typeof RMA_DECISIONS)[number],
    typeof Decide
  >),
};
export type RmaAction = keyof typeof ACTION_BODIES;
