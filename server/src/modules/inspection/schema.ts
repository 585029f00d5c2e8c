import { z } from 'zod';
import { RecordVersion, optional } from '../../platform/fields.ts';
import { Credentials, Id, Reason, Text } from '../../platform/schemas.ts';
import { LOT_SIZE_MAX, Measurement, fromText, whole } from '../../platform/fields.ts';
import { AQLS } from '../items/item.record.ts';
import { SAMPLE_SIZE_MAX } from './sampling.ts';

/** The version of the inspection the user saw (optional): a later change refuses the action (409 STALE_VERSION). */
const Version = { version: RecordVersion.optional() };
export const ResultsBody = z
  .object({
    measurements: z
      .array(
        z
          .object({ characteristic: Text(100).min(1), values: z.array(Measurement).min(1).max(SAMPLE_SIZE_MAX) })
          .strict(),
      )
      .max(30)
      .default([]),
    attributeDefectives: whole(0, SAMPLE_SIZE_MAX).optional(),
    notes: optional(Text(2000)),
    reason: optional(Reason),
    ...Version,
  })
  .strict();
export const DispositionBody = z
  .object({
    decision: z.enum(['release', 'reject', 'conditional']),
    reason: optional(Reason),
    description: optional(Text(4000)),
    ...Credentials,
    ...Version,
  })
  .strict();
export const ListQuery = z.object({
  status: optional(z.enum(['open', 'completed', 'dispositioned'])),
  lot: optional(Id),
});
export const PlanQuery = z.object({
  lotSize: fromText(whole(1, LOT_SIZE_MAX)),
  aql: fromText(
    z.union(AQLS.map((a) => z.literal(a)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], {
      error: `one of ${AQLS.join(', ')}`,
    }),
  ),
});
