import { z } from 'zod';
import { Bilingual, Credentials, Id, msg, Reason, Text } from '../../platform/schemas.ts';
import { IsoDate, optional, RecordVersion } from '../../platform/fields.ts';
import { IMPACT_QUESTIONS, WO_DECISIONS } from './events.ts';
import { CHANGE_STATES } from './collections.ts';

// The change request's input shapes at the HTTP door (ISO 13485:2016 7.3.9). Every field is a
// string, number or boolean of bounded size: an operator object ({"$ne": null}) is a 400.

const Revision = z.string().regex(/^[A-Z]{1,3}$/, msg('a revision letter (A, B, … AA)', '版本字母(A、B……AA)'));
export const ChangeItemInput = z.object({ kind: z.enum(['document', 'dmr']), id: Id, revision: Revision }).strict();
export const ChangeRefInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('risk_row'), id: Id, rowId: Id }).strict(),
  z.object({ kind: z.literal('design_element'), id: Id }).strict(),
]);
const Answer = z.object({ affected: z.boolean(), note: Text(2000).default('') }).strict();
/** The 7.3.9 questions, each answered affected yes/no with a note (none may be skipped). */
export const ImpactInput = z
  .object(
    Object.fromEntries(IMPACT_QUESTIONS.map((q) => [q, Answer])) as Record<
      (typeof IMPACT_QUESTIONS)[number],
      typeof Answer
    >,
  )
  .strict();
export const ClassificationInput = z
  .object({ class: z.enum(['minor', 'major']), regulatoryNotification: z.boolean(), rationale: Text(2000).default('') })
  .strict();

const Draft = {
  items: z.array(ChangeItemInput).max(50).default([]),
  refs: z.array(ChangeRefInput).max(200).default([]),
  capaId: optional(Id.nullable()),
  impact: optional(ImpactInput.nullable()),
  classification: optional(ClassificationInput.nullable()),
};
export const NewChangeBody = z.object({ title: Bilingual, reason: Text(4000).min(1), ...Draft }).strict();
export type NewChange = z.infer<typeof NewChangeBody>;
export const DraftBody = z.object({ version: RecordVersion, ...Draft }).strict();
export type DraftInput = z.infer<typeof DraftBody>;
export type ChangeItemInput = z.infer<typeof ChangeItemInput>;
export type ChangeRefInput = z.infer<typeof ChangeRefInput>;

export const WoDecisionInput = z
  .object({ workOrderId: Id, decision: z.enum(WO_DECISIONS), note: Text(2000).default('') })
  .strict();
export type WoDecisionInput = z.infer<typeof WoDecisionInput>;

export const CHANGE_ACTIONS = [
  'submit',
  'approve',
  'reject',
  'decide_work_order',
  'implement',
  'cancel',
  'schedule_effectiveness_check',
  'confirm_effective',
  'find_not_effective',
] as const;
export const ChangeActionParams = z.object({ id: Id, action: z.enum(CHANGE_ACTIONS) });
export const ChangeActionBody = z
  .object({
    version: RecordVersion,
    password: optional(Credentials.password),
    totp: Credentials.totp,
    reason: optional(Reason),
    workOrderId: optional(Id),
    decision: optional(z.enum(WO_DECISIONS)),
    note: optional(Text(2000)),
    // schedule_effectiveness_check: when, and what will show the change worked
    dueDate: optional(IsoDate),
    criteria: optional(Text(2000)),
  })
  .strict();
export type ChangeActionInput = z.infer<typeof ChangeActionBody>;
export const ChangeListQuery = z.object({ state: optional(z.enum(CHANGE_STATES)) }).strict();
