import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a change request (stream `change:<id>`, ISO 13485:2016 7.3.9 / 4.1.4). The
// shapes are the ledger's: a change here must still read every change request ever written.
const Person = z.object({ id: z.string(), name: z.string() });
export const IMPACT_QUESTIONS = [
  'function',
  'performance',
  'usability',
  'safety',
  'regulatory',
  'riskFile',
  'verificationValidation',
  'labeling',
  'suppliers',
  'inventory',
  'workOrders',
  'delivered',
] as const;
export const WO_DECISIONS = ['finish_old', 'rework', 'hold'] as const;

/** A revision the change makes effective (documents 4.2.4, the DMR 4.2.3). */
export const ChangeItemData = z.object({
  kind: z.enum(['document', 'dmr']),
  id: z.string(),
  revision: z.string(),
  number: z.string(),
  title: BilingualView,
});
/** A free reference the change affects: a risk file row (ISO 14971) or a design element (7.3). */
export const ChangeRefData = z.object({
  kind: z.enum(['risk_row', 'design_element']),
  id: z.string(),
  rowId: z.string().optional(),
  label: z.string(),
});
const Answer = z.object({ affected: z.boolean(), note: z.string() });
export const ImpactData = z.object(
  Object.fromEntries(IMPACT_QUESTIONS.map((q) => [q, Answer])) as Record<
    (typeof IMPACT_QUESTIONS)[number],
    typeof Answer
  >,
);
export const ClassificationData = z.object({
  class: z.enum(['minor', 'major']),
  regulatoryNotification: z.boolean(),
  rationale: z.string(),
});
const Draft = {
  items: z.array(ChangeItemData),
  refs: z.array(ChangeRefData),
  capaId: z.string().nullable(),
  impact: ImpactData.nullable(),
  classification: ClassificationData.nullable(),
};

export const changeEvents = defineEvents('changes', {
  'change.opened': z.object({
    number: z.string(),
    title: BilingualView,
    reason: z.string(),
    requester: Person,
    ...Draft,
  }),
  'change.drafted': z.object(Draft),
  'change.submitted': z.object({}),
  // approved (board) | rejected | released (implementation)
  [SIGNATURE_EVENT]: SignatureEventData,
  /** The change board's rule is met (classification minor: one approver, major: two). */
  'change.approved': z.object({}),
  'change.returnedToDraft': z.object({ iteration: z.number() }),
  'change.workOrderDecided': z.object({
    workOrderId: z.string(),
    number: z.string(),
    dmrId: z.string(),
    revision: z.string(),
    decision: z.enum(WO_DECISIONS),
    note: z.string(),
  }),
  /** The implementation signature landed: every named revision becomes effective on this date. */
  'change.implemented': z.object({ effectiveDate: z.string() }),
  'change.cancelled': z.object({ reason: z.string() }),
  /** An effectiveness check planned for the change (judged later by signature: verified | rejected). */
  'change.effectivenessScheduled': z.object({ dueDate: z.string(), criteria: z.string() }),
});
