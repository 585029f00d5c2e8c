import { z } from 'zod';
import { ROLE_IDS } from '../../identity/roles.ts';
import { MEANINGS } from '../../../../signatures/manifestation.ts';
import { DOCUMENT_TYPES, REVISION_STATES } from './document.record.ts';
import { PATTERN_RE } from './numbering.ts';
import { DEPARTMENT_CODES } from './departments.ts';
import { msg } from '../../platform/issueText.ts';
import { IsoDate, RecordVersion, fromText, optional, whole } from '../../platform/fields.ts';
import { Bilingual, BilingualView, Credentials, Id, Reason, Text } from '../../platform/schemas.ts';

const Summary = z.object({ zh: Text(4000).default(''), en: Text(4000).default('') });
export const Department = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{1,10}$/, 'letters and digits only (e.g. QA)')
  .transform((d) => d.toUpperCase());
/** A department from the list (departments.ts): it drives the document number, so no free text. */
export const KnownDepartment = Department.refine(
  (d) => DEPARTMENT_CODES.includes(d),
  msg(
    `unknown department: one of ${DEPARTMENT_CODES.join(', ')}`,
    `未知部门：须为 ${DEPARTMENT_CODES.join('、')} 之一`,
  ),
);

export const CreateDocumentBody = z
  .object({
    type: z.enum(DOCUMENT_TYPES),
    title: Bilingual,
    summary: Summary.default({ zh: '', en: '' }),
    department: KnownDepartment,
    reviewers: z
      .array(Id)
      .min(1)
      .max(10)
      .refine((a) => new Set(a).size === a.length, 'each reviewer once'),
    approvers: z
      .array(Id)
      .min(1)
      .max(5)
      .refine((a) => new Set(a).size === a.length, 'each approver once'),
    trainees: z
      .object({ roles: z.array(z.enum(ROLE_IDS)).max(20).default([]), users: z.array(Id).max(500).default([]) })
      .default({ roles: [], users: [] }),
    reviewIntervalMonths: whole(1, 60).default(24),
  })
  .strict();
export type CreateDocumentInput = z.infer<typeof CreateDocumentBody>;

export const ActionName = z.enum([
  'submit',
  'review',
  'reject',
  'approve',
  'obsolete',
  'new_revision',
  'periodic_review',
  'upload',
  'release',
]);
// content is uploaded with POST /documents/:id/content, not through the actions path
export const ActionParams = z.object({ id: Id, action: ActionName.exclude(['upload']) });
export const ActionBody = z.object({
  version: RecordVersion,
  password: optional(Credentials.password),
  totp: Credentials.totp,
  reason: optional(Reason),
  effectiveDate: optional(IsoDate),
  /** approve only: the approver's reason for approving over unresolved review comments (reviewGate.ts) */
  overrideComments: optional(Reason),
});
export type ActionInput = z.infer<typeof ActionBody>;

export const ListQuery = z.object({
  q: optional(z.string().trim().max(100)),
  type: optional(z.enum(DOCUMENT_TYPES)),
  state: optional(z.enum(REVISION_STATES)),
  owner: optional(Id),
  department: optional(Department),
  page: fromText(whole(1, 10_000)).default(1),
  pageSize: fromText(whole(1, 200)).default(20),
});
export const RevisionParams = z.object({ id: Id, rev: z.string().regex(/^[A-Z]{1,3}$/, 'a revision letter') });
export const SchemeParams = z.object({ type: z.enum(DOCUMENT_TYPES) });
export const SchemeBody = z.object({
  pattern: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(PATTERN_RE, 'letters, digits, . _ - and the tokens {dept}, {yyyy}, {seq:N}'),
});

const Person = z.object({ id: z.string(), name: z.string() });
const Decision = z.object({
  userId: z.string(),
  name: z.string(),
  decision: z.string(),
  at: z.string(),
  reason: z.string().optional(),
  iteration: z.number(),
  signatureId: z.string(),
});
export const DocumentSummaryView = z.object({
  id: z.string(),
  number: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  title: BilingualView,
  state: z.enum(REVISION_STATES),
  revision: z.string(),
  owner: Person,
  department: z.string(),
  effectiveDate: z.string().nullable(),
  nextReviewDue: z.string().nullable(),
});
const SignoffRow = z.object({
  id: z.string(),
  name: z.string(),
  done: z.boolean(),
  decision: z.string().nullable(),
  at: z.string().nullable(),
});
export const DocumentDetailView = z.object({
  id: z.string(),
  stream: z.string(),
  number: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  title: BilingualView,
  summary: BilingualView,
  state: z.enum(REVISION_STATES),
  owner: Person,
  department: z.string(),
  reviewers: z.array(Person),
  approvers: z.array(Person),
  trainees: z.object({ roles: z.array(z.string()), users: z.array(z.string()) }),
  reviewIntervalMonths: z.number(),
  nextReviewDue: z.string().nullable(),
  version: z.number(),
  revisions: z.array(
    z.object({
      revision: z.string(),
      iteration: z.number(),
      state: z.enum(REVISION_STATES),
      author: Person,
      file: z.object({ sha256: z.string(), name: z.string(), size: z.number(), mime: z.string() }).nullable(),
      effectiveDate: z.string().nullable(),
      reviews: z.array(Decision),
      approvals: z.array(Decision),
      obsoleteReason: z.string().nullable(),
    }),
  ),
  current: z.string(),
  effective: z.string().nullable(),
  actions: z.array(
    z.object({
      action: ActionName,
      signature: z.enum(MEANINGS).nullable(),
      needsReason: z.boolean(),
      needsDate: z.boolean(),
      needsValues: z.boolean(),
      scope: z.string().nullable(),
      blockedBy: z.object({ code: z.string(), en: z.string(), zh: z.string() }).optional(),
    }),
  ),
  /** Who has and has not reviewed / approved the working revision's current iteration yet. */
  signoff: z.object({
    revision: z.string(),
    iteration: z.number(),
    reviewers: z.array(SignoffRow),
    approvers: z.array(SignoffRow),
  }),
});
