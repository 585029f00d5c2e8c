import { z } from 'zod';
import { Credentials, Id, msg, Text } from '../../platform/schemas.ts';
import { IsoDate, optional, RecordVersion } from '../../platform/fields.ts';
import { REVIEW_OUTPUTS } from './events.ts';

// The management review's input shapes (ISO 13485:2016 5.6): dates run forwards, lists bounded.
const Version = { version: optional(RecordVersion) };

export const CreateReviewBody = z
  .object({ title: Text(200).min(1), periodFrom: IsoDate, periodTo: IsoDate, plannedDate: IsoDate })
  .strict()
  .refine((b) => b.periodFrom <= b.periodTo, {
    path: ['periodTo'],
    message: msg('the period ends before it starts', '评审期间的结束日期早于开始日期'),
  })
  .refine((b) => b.plannedDate >= b.periodFrom, {
    path: ['plannedDate'],
    message: msg('the meeting is planned after the period starts', '会议日期应在评审期间开始之后'),
  });
export type CreateReview = z.infer<typeof CreateReviewBody>;

export const ReviewQuery = z.object({ state: optional(z.enum(['planned', 'recorded', 'approved'])) }).strict();

export const REVIEW_ACTION_BODIES = {
  record_meeting: z
    .object({
      date: IsoDate,
      attendees: z.array(Id).min(1).max(50),
      discussion: Text(8000).default(''),
      decisions: z
        .array(z.object({ output: z.enum(REVIEW_OUTPUTS), text: Text(2000).min(1) }).strict())
        .min(1)
        .max(50),
      actions: z
        .array(
          z
            .object({ description: Text(1000).min(1), output: z.enum(REVIEW_OUTPUTS), owner: Id, due: IsoDate })
            .strict(),
        )
        .max(50)
        .default([]),
      ...Version,
    })
    .strict()
    .refine((b) => b.actions.every((a) => a.due >= b.date), {
      path: ['actions'],
      message: msg('an action is due after the meeting', '措施的到期日应在会议之后'),
    }),
  approve: z.object({ ...Credentials, ...Version }).strict(),
  complete_action: z.object({ actionId: Id, evidence: Text(4000).min(1), ...Version }).strict(),
} as const;
export type ReviewAction = keyof typeof REVIEW_ACTION_BODIES;
