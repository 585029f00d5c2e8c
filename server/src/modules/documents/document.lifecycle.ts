import { errors } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { CommandContext, Lifecycle, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { RevisionErrors } from '../../records/revisionErrors.ts';
import { DocumentErrors } from './errors.ts';
import { documentEvents } from './events.ts';
import type { DocumentState, StoredFile } from './document.record.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { currentApprovals, currentReviews, latest } from '../../records/revisions.ts';
import { nextLetter } from '../../records/revisionLetters.ts';
import { maySignAs, type SignerKind } from './signerRoles.ts';
import { putBlob } from './contentStore.ts';
import { assignTrainingOnEffective } from './trainingAssignment.ts';
import type { Upload } from './upload.ts';
import { revisionHeldBy } from '../../records/contributions.ts';
import { openThreads, unresolvedBlocker } from './reviewGate.ts';

// The controlled-document lifecycle, declared once: the API's `actions`, the command path
// (records/command.ts), the e-signature policy (canSign, derived) and GET /lifecycles/document
// all read this. Signatures complete review, approval and effectiveness (document.record.ts's
// afterSignature); the unsigned actions append their own event.
const record = { record: 'document' } as const;
const NOT_IN_REVIEW = refusal(RevisionErrors.RECORD_NOT_IN_REVIEW());
const NOT_IN_APPROVAL = refusal(RevisionErrors.RECORD_NOT_IN_APPROVAL());
const NOT_DRAFT = refusal(RevisionErrors.RECORD_NOT_DRAFT());
const NOT_EFFECTIVE = refusal(RevisionErrors.RECORD_NOT_EFFECTIVE(record));

const isOwnerOrAuthor = (u: SessionUser, d: DocumentState) => u.id === d.owner.id || u.id === latest(d).author.id;
const isQaManager = (u: SessionUser) => hasPermission(u, 'documents.obsolete');
const decidedThisIteration = (u: SessionUser, d: DocumentState) =>
  currentReviews(latest(d)).some((x) => x.userId === u.id);

const hasFile: Transition<DocumentState>['preconditions'] = [
  {
    refusal: refusal(DocumentErrors.DOCUMENT_HAS_NO_CONTENT()),
    holds: (d) => latest(d).file !== null,
  },
];
/** Being named is not enough: the signer holds a role that may review/approve this type now (signerRoles.ts). */
const holdsSignerRole = (kind: SignerKind) => ({
  refusal: refusal(RevisionErrors.SIGNER_ROLE_NOT_ALLOWED({ record: 'document', kind })),
  holds: (d: DocumentState, u: SessionUser) => maySignAs(kind, d.type, u),
});
const reviewer = {
  who: (u: SessionUser, d: DocumentState) => d.reviewers.some((p) => p.id === u.id),
  whoRefusal: refusal(DocumentErrors.NOT_A_REVIEWER()),
  preconditions: [
    holdsSignerRole('reviewer'),
    {
      refusal: refusal(RevisionErrors.ALREADY_DECIDED({ step: 'review' })),
      holds: (d: DocumentState, u: SessionUser) => !decidedThisIteration(u, d),
    },
  ],
};
const noRevisionInWork: Transition<DocumentState>['preconditions'] = [
  {
    refusal: refusal(RevisionErrors.REVISION_IN_PROGRESS()),
    holds: (d) => latest(d).revision === d.effective,
  },
];
const reviewDueSoon: Transition<DocumentState>['preconditions'] = [
  {
    // offered from 30 days before the due date: earlier it would only reset the clock
    refusal: refusal(DocumentErrors.PERIODIC_REVIEW_NOT_DUE()),
    holds: (d) => !!d.nextReviewDue && d.nextReviewDue <= addDays(todayUtc(), 30),
  },
];

/** A revision a change request names is released only by that change's implementation (ISO 13485:2016 7.3.9). */
async function notHeldElsewhere(c: CommandContext<DocumentState>) {
  const holder = await revisionHeldBy(c.s, 'document', c.id, latest(c.state).revision);
  if (holder && c.input.viaChange !== holder.id)
    throw RevisionErrors.REVISION_HELD_BY_CHANGE({ number: holder.number });
  return holder;
}

/** Seed only: history may carry effective dates in the past. Never reachable from the API (its schema has no such field). */
const historical = (c: CommandContext<DocumentState>) => c.input.historical === true;
/** A signature may make a revision effective: the people who must train on it get their training at once. */
const assignTraining = async (c: CommandContext<DocumentState>, result: DocumentState) => {
  await assignTrainingOnEffective(c.s, result);
};

export const documentLifecycle: Lifecycle<DocumentState> = {
  record: 'document',
  initial: 'draft',
  states: ['draft', 'in_review', 'approval', 'approved', 'effective', 'superseded', 'obsolete'],
  final: ['superseded', 'obsolete'],
  transitions: [
    {
      // contentUploader: the bytes are stored (content-addressed, once) after the refusal, then recorded on the draft
      name: 'upload',
      from: ['draft'],
      scope: 'working',
      who: isOwnerOrAuthor,
      needsValues: true,
      prepare: async (c): Promise<StoredFile> => {
        const upload = c.input.upload as Upload | undefined;
        if (!upload)
          throw errors.badRequest(
            'Upload the file with POST /api/v1/documents/:id/content.',
            '请用 POST /api/v1/documents/:id/content 上传文件。',
          );
        return {
          sha256: await putBlob(c.s, upload.bytes),
          name: upload.name,
          size: upload.bytes.length,
          mime: upload.mime,
        };
      },
      event: (d, file: StoredFile) =>
        documentEvents.change('document.contentUploaded', { revision: latest(d).revision, file }),
    },
    {
      name: 'submit',
      from: ['draft'],
      to: 'in_review',
      scope: 'working',
      who: isOwnerOrAuthor,
      needsDate: true,
      preconditions: hasFile,
      prepare: async (c) => {
        // submitted under an open change: its approval waits for the change (no date of its own)
        const holder = await revisionHeldBy(c.s, 'document', c.id, latest(c.state).revision);
        if (holder) return { effectiveDate: null, heldBy: holder.id };
        const effectiveDate = (c.input.effectiveDate as string | null | undefined) ?? null;
        if (effectiveDate && effectiveDate < todayUtc() && !historical(c)) {
          throw errors.validation('body.effectiveDate', {
            en: 'the effective date cannot be in the past',
            zh: '生效日期不能早于今天',
          });
        }
        return { effectiveDate };
      },
      event: (d, p: { effectiveDate: string | null; heldBy?: string }, c) =>
        documentEvents.change('document.submitted', {
          revision: latest(d).revision,
          effectiveDate: p.effectiveDate,
          ...(p.heldBy ? { heldBy: p.heldBy } : {}),
          ...(historical(c) ? { historical: true as const } : {}),
        }),
    },
    {
      name: 'review',
      from: ['in_review'],
      to: 'approval',
      scope: 'working',
      signature: { meaning: 'reviewed', count: 'all', distinct: true, notAuthor: true },
      after: assignTraining,
      ...reviewer,
    },
    {
      name: 'reject',
      from: ['in_review'],
      to: 'draft',
      scope: 'working',
      signature: { meaning: 'rejected', count: 1, notAuthor: true },
      needsReason: true,
      ...reviewer,
    },
    {
      name: 'approve',
      from: ['approval'],
      to: 'approved',
      scope: 'working',
      signature: { meaning: 'approved', count: 'all', distinct: true, notAuthor: true },
      after: assignTraining,
      who: (u, d) => d.approvers.some((p) => p.id === u.id),
      whoRefusal: refusal(DocumentErrors.NOT_AN_APPROVER()),
      preconditions: [
        holdsSignerRole('approver'),
        {
          refusal: refusal(RevisionErrors.ALREADY_DECIDED({ step: 'approval' })),
          holds: (d, u) => !currentApprovals(latest(d)).some((x) => x.userId === u.id),
        },
      ],
      // unresolved review comments hold the approval unless the approver overrides them with a reason (reviewGate.ts)
      blockedBy: (s, d) => unresolvedBlocker(s, d),
      prepare: async (c) => {
        const open = await openThreads(c.s, c.state);
        if (!open.length) return null;
        const reason = typeof c.input.overrideComments === 'string' ? c.input.overrideComments.trim() : '';
        if (!reason) throw DocumentErrors.COMMENTS_UNRESOLVED({ count: open.length });
        return { comments: open, reason };
      },
      // the override, with its reason, is the proposal the approval signature binds
      event: (d, p: { comments: string[]; reason: string } | null) =>
        p
          ? documentEvents.change('document.commentsOverridden', {
              revision: latest(d).revision,
              iteration: latest(d).iteration,
              ...p,
            })
          : null,
    },
    {
      // an approved revision submitted under a change request: effective on the change's date, only through it
      name: 'release',
      from: ['approved'],
      to: 'effective',
      scope: 'working',
      permission: 'documents.obsolete',
      preconditions: [{ refusal: refusal(RevisionErrors.REVISION_NOT_HELD()), holds: (d) => !!latest(d).heldBy }],
      prepare: notHeldElsewhere,
      event: (d, _p, c) =>
        documentEvents.change('document.becameEffective', {
          revision: latest(d).revision,
          // the one date the change gives all its revisions (the day it is implemented)
          effectiveDate: (c.input.effectiveDate as string | undefined) ?? todayUtc(),
          supersedes: d.effective,
        }),
      after: assignTraining,
    },
    {
      name: 'new_revision',
      from: ['effective'],
      to: 'draft',
      scope: 'effective',
      who: (u, d) => isOwnerOrAuthor(u, d) || isQaManager(u),
      preconditions: noRevisionInWork,
      event: (d, _p, c) =>
        documentEvents.change('document.revisionStarted', {
          revision: nextLetter(latest(d).revision),
          author: { id: c.user.id, name: c.user.fullName },
        }),
    },
    {
      name: 'periodic_review',
      from: ['effective'],
      scope: 'effective',
      signature: { meaning: 'reviewed_no_change' },
      who: (u, d) => u.id === d.owner.id || isQaManager(u),
      preconditions: [...noRevisionInWork!, ...reviewDueSoon!],
    },
    {
      name: 'obsolete',
      from: ['effective'],
      to: 'obsolete',
      scope: 'effective',
      permission: 'documents.obsolete',
      signature: { meaning: 'obsoleted' },
      needsReason: true,
      after: assignTraining,
    },
  ],
  stateOf: (d, t) => (t.scope === 'effective' ? (d.effective ? 'effective' : d.state) : latest(d).state),
  author: (d) => latest(d).author.id,
  wrongState: (t) => {
    if (t.name === 'review' || t.name === 'reject') return NOT_IN_REVIEW;
    if (t.name === 'approve' || t.name === 'release') return NOT_IN_APPROVAL;
    if (t.name === 'upload' || t.name === 'submit') return NOT_DRAFT;
    return NOT_EFFECTIVE;
  },
};
