import { z } from 'zod';
import { optional, IsoDate, RecordVersion } from '../../platform/fields.ts';
import { Bilingual, Code, Credentials, Id, msg, OptionalBilingual, Reason, Text } from '../../platform/schemas.ts';
import { ELEMENT_KINDS, RESULTS } from './events.ts';

// What the design routes accept. Every field bounded; an object where a string belongs
// (`{"$ne": null}`) fails the schema before anything is read or written.
const unique = (xs: string[]) => new Set(xs).size === xs.length;

export const CreateProjectBody = z.object({ title: Bilingual, itemId: Id, dmrId: optional(Id) }).strict();

export const StageInput = z
  .object({ key: Code, name: Bilingual, responsible: Id, reviewPlanned: z.boolean().default(true) })
  .strict();
export const PlanInput = z
  .array(StageInput)
  .min(1)
  .max(30)
  .refine((st) => unique(st.map((x) => x.key)), msg('each stage key once', '每个阶段代码只能出现一次'));
export type PlanInput = z.infer<typeof PlanInput>;

/** One revision's content as written; the kind decides which fields are used (service.ts resolves them). */
export const ElementContentInput = z
  .object({
    title: Bilingual,
    description: OptionalBilingual.default({ zh: '', en: '' }),
    riskControls: z.array(Code).max(50).default([]),
    protocol: Text(2000).default(''),
    result: z.enum(RESULTS).default('pending'),
    evidence: optional(Text(200).min(1)),
    rerunOf: optional(Id),
    stage: optional(Code),
    attendees: z.array(Id).max(50).default([]),
    independentReviewer: optional(Id),
    decisions: z.array(Text(1000).min(1)).max(50).default([]),
    actions: z
      .array(z.object({ text: Text(1000).min(1), owner: Text(100).min(1), due: optional(IsoDate) }).strict())
      .max(50)
      .default([]),
    dmrId: optional(Id),
    dmrRevision: optional(z.string().regex(/^[A-Z]{1,3}$/, msg('a revision letter', '版本字母'))),
    outputs: z.array(Id).max(500).default([]),
  })
  .strict();
export type ElementContentInput = z.infer<typeof ElementContentInput>;

export const CreateElementBody = z
  .object({ kind: z.enum(ELEMENT_KINDS), code: Code, content: ElementContentInput })
  .strict();

export const ProjectActionParams = z.object({ id: Id, action: z.enum(['edit_plan', 'approve_plan', 'revise_plan']) });
export const ElementActionParams = z.object({ id: Id, action: z.enum(['edit', 'approve', 'revise']) });
export const ActionBody = z
  .object({
    version: RecordVersion,
    password: optional(Credentials.password),
    totp: Credentials.totp,
    reason: optional(Reason),
    stages: PlanInput.optional(),
    content: ElementContentInput.optional(),
  })
  .strict();
export type ActionInput = z.infer<typeof ActionBody>;

export const CreateLinkBody = z.object({ from: Id, to: Id }).strict();
export const LinkParams = z.object({ id: Id, linkId: Id });
export const ConfirmBody = z
  .object({ version: optional(RecordVersion), ...Credentials, reason: optional(Reason) })
  .strict();
