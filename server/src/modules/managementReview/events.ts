import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';

// What can happen to a management review (stream `managementReview:<id>`; ISO 13485:2016 5.6).
// The inputs of 5.6.2 are assembled from live data and frozen into the record when the meeting is
// recorded; the outputs of 5.6.3 are its decisions and actions. The approval is its proposal
// (`review.signingProposed`) completed by the approver's e-signature. The shapes are the
// ledger's: a change must still read every review ever written.
const Person = z.object({ id: z.string(), name: z.string() });
const Bi = z.object({ en: z.string(), zh: z.string() });
/** ISO 13485:2016 5.6.3 a)–d): what a decision or an action is for. */
export const REVIEW_OUTPUTS = ['qms_improvement', 'product_improvement', 'regulatory_change', 'resources'] as const;

export const ReviewInput = z.object({
  key: z.string(),
  clause: z.string(),
  title: Bi,
  figures: z.array(z.object({ label: Bi, value: z.number() })),
});
export type ReviewInputData = z.infer<typeof ReviewInput>;

export const reviewEvents = defineEvents('managementReview', {
  'review.planned': z.object({
    number: z.string(),
    title: z.string(),
    periodFrom: z.string(),
    periodTo: z.string(),
    plannedDate: z.string(),
  }),
  'review.meetingRecorded': z.object({
    date: z.string(),
    attendees: z.array(Person),
    inputs: z.array(ReviewInput),
    /** When the inputs were assembled from the live records. */
    inputsAt: z.string(),
    discussion: z.string(),
    decisions: z.array(z.object({ output: z.enum(REVIEW_OUTPUTS), text: z.string() })),
    actions: z.array(
      z.object({
        id: z.string(),
        description: z.string(),
        output: z.enum(REVIEW_OUTPUTS),
        owner: Person,
        due: z.string(),
      }),
    ),
  }),
  'review.actionCompleted': z.object({ actionId: z.string(), evidence: z.string() }),
  'review.signingProposed': z.object({ action: z.literal('approve') }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
