import { errors } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { CommandContext, Lifecycle, Refusal, Transition } from '../../records/lifecycle.ts';
import type { DocumentState, StoredFile } from './document.record.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';
import { currentApprovals, currentReviews, latest } from '../../records/revisions.ts';
import { nextLetter } from '../../records/revisionLetters.ts';
import { maySignAs, type SignerKind } from './signerRoles.ts';
import { putBlob } from './contentStore.ts';
import { assignPendingTraining } from './effectiveScheduler.ts';
import type { Upload } from './upload.ts';

// The controlled-document lifecycle, declared once: the API's `actions`, the command path
// (records/command.ts), the e-signature policy (canSign, derived) and GET /lifecycles/document
// all read this. Signatures complete review, approval and effectiveness (document.record.ts's
// afterSignature); the unsigned actions append their own event.
const R = (code: string, en: string, zh: string, status = 409): Refusal => ({ code, en, zh, status });

const NOT_IN_REVIEW = R('RECORD_NOT_IN_REVIEW', 'This revision is not in review.', '该版本不在审核中。');
const NOT_IN_APPROVAL = R('RECORD_NOT_IN_APPROVAL', 'This revision is not waiting for approval.', '该版本不在待批准状态。');
const NOT_DRAFT = R('RECORD_NOT_DRAFT', 'Only a draft revision can be changed or submitted.', '只有草稿版本可以修改或提交。');
const NOT_EFFECTIVE = R('RECORD_NOT_EFFECTIVE', 'The document has no effective revision.', '该文件没有生效版本。');

const isOwnerOrAuthor = (u: SessionUser, d: DocumentState) => u.id === d.owner.id || u.id === latest(d).author.id;
const isQaManager = (u: SessionUser) => hasPermission(u, 'documents.obsolete');
const decidedThisIteration = (u: SessionUser, d: DocumentState) => currentReviews(latest(d)).some((x) => x.userId === u.id);

const hasFile: Transition<DocumentState>['preconditions'] = [{
  refusal: R('DOCUMENT_HAS_NO_CONTENT', 'Upload the content file of this revision before submitting it.', '提交前请先上传该版本的文件。'),
  holds: (d) => latest(d).file !== null,
}];
/** Being named is not enough: the signer holds a role that may review/approve this type now (signerRoles.ts). */
const holdsSignerRole = (kind: SignerKind) => ({
  refusal: R('SIGNER_ROLE_NOT_ALLOWED', `Your roles may not ${kind === 'approver' ? 'approve' : 'review'} a document of this type.`,
    `您的角色不能${kind === 'approver' ? '批准' : '审核'}此类文件。`, 403),
  holds: (d: DocumentState, u: SessionUser) => maySignAs(kind, d.type, u),
});
const reviewer = {
  who: (u: SessionUser, d: DocumentState) => d.reviewers.some((p) => p.id === u.id),
  whoRefusal: R('NOT_A_REVIEWER', 'You are not a named reviewer of this document.', '您不是该文件指定的审核人。'),
  preconditions: [holdsSignerRole('reviewer'), { refusal: R('ALREADY_DECIDED', 'You have already reviewed this iteration.', '您已审核过本轮版本。'), holds: (d: DocumentState, u: SessionUser) => !decidedThisIteration(u, d) }],
};
const noRevisionInWork: Transition<DocumentState>['preconditions'] = [{
  refusal: R('REVISION_IN_PROGRESS', 'A newer revision is already being prepared.', '已有新版本正在编制中。'),
  holds: (d) => latest(d).revision === d.effective,
}];
const reviewDueSoon: Transition<DocumentState>['preconditions'] = [{
  // offered from 30 days before the due date: earlier it would only reset the clock
  refusal: R('PERIODIC_REVIEW_NOT_DUE', 'The periodic review is not due yet.', '定期评审尚未到期。'),
  holds: (d) => !!d.nextReviewDue && d.nextReviewDue <= addDays(todayUtc(), 30),
}];

/** Seed only: history may carry effective dates in the past. Never reachable from the API (its schema has no such field). */
const historical = (c: CommandContext<DocumentState>) => c.input.historical === true;
/** A signature may make a revision effective: the people who must train on it get their training at once. */
const assignTraining = async (c: CommandContext<DocumentState>) => { await assignPendingTraining(c.s, c.id); };

export const documentLifecycle: Lifecycle<DocumentState> = {
  record: 'document',
  initial: 'draft',
  states: ['draft', 'in_review', 'approval', 'approved', 'effective', 'superseded', 'obsolete'],
  final: ['superseded', 'obsolete'],
  transitions: [
    {
      // contentUploader: the bytes are stored (content-addressed, once) after the refusal, then recorded on the draft
      name: 'upload', from: ['draft'], scope: 'working', who: isOwnerOrAuthor,
      prepare: async (c): Promise<StoredFile> => {
        const upload = c.input.upload as Upload | undefined;
        if (!upload) throw errors.badRequest('Upload the file with POST /api/v1/documents/:id/content.', '请用 POST /api/v1/documents/:id/content 上传文件。');
        return { sha256: await putBlob(c.s, upload.bytes), name: upload.name, size: upload.bytes.length, mime: upload.mime };
      },
      event: (d, file: StoredFile) => ({ type: 'document.contentUploaded', data: { revision: latest(d).revision, file } }),
    },
    {
      name: 'submit', from: ['draft'], to: 'in_review', scope: 'working', who: isOwnerOrAuthor, needsDate: true, preconditions: hasFile,
      prepare: (c) => {
        const effectiveDate = (c.input.effectiveDate as string | null | undefined) ?? null;
        if (effectiveDate && effectiveDate < todayUtc() && !historical(c)) throw errors.validation('body.effectiveDate', 'the effective date cannot be in the past');
        return effectiveDate;
      },
      event: (d, effectiveDate: string | null, c) => ({ type: 'document.submitted', data: { revision: latest(d).revision, effectiveDate, ...(historical(c) ? { historical: true } : {}) } }),
    },
    { name: 'review', from: ['in_review'], to: 'approval', scope: 'working', signature: { meaning: 'reviewed', count: 'all', distinct: true, notAuthor: true }, after: assignTraining, ...reviewer },
    { name: 'reject', from: ['in_review'], to: 'draft', scope: 'working', signature: { meaning: 'rejected', count: 1, notAuthor: true }, needsReason: true, ...reviewer },
    {
      name: 'approve', from: ['approval'], to: 'approved', scope: 'working', signature: { meaning: 'approved', count: 'all', distinct: true, notAuthor: true }, after: assignTraining,
      who: (u, d) => d.approvers.some((p) => p.id === u.id),
      whoRefusal: R('NOT_AN_APPROVER', 'You are not a named approver of this document.', '您不是该文件指定的批准人。'),
      preconditions: [holdsSignerRole('approver'), { refusal: R('ALREADY_DECIDED', 'You have already approved this iteration.', '您已批准过本轮版本。'), holds: (d, u) => !currentApprovals(latest(d)).some((x) => x.userId === u.id) }],
    },
    {
      name: 'new_revision', from: ['effective'], to: 'draft', scope: 'effective', who: (u, d) => isOwnerOrAuthor(u, d) || isQaManager(u), preconditions: noRevisionInWork,
      event: (d, _p, c) => ({ type: 'document.revisionStarted', data: { revision: nextLetter(latest(d).revision), author: { id: c.user.id, name: c.user.fullName } } }),
    },
    { name: 'periodic_review', from: ['effective'], scope: 'effective', signature: { meaning: 'reviewed_no_change' }, who: (u, d) => u.id === d.owner.id || isQaManager(u), preconditions: [...noRevisionInWork!, ...reviewDueSoon!] },
    { name: 'obsolete', from: ['effective'], to: 'obsolete', scope: 'effective', permission: 'documents.obsolete', signature: { meaning: 'obsoleted' }, needsReason: true, after: assignTraining },
  ],
  stateOf: (d, t) => (t.scope === 'effective' ? (d.effective ? 'effective' : d.state) : latest(d).state),
  author: (d) => latest(d).author.id,
  wrongState: (t) => {
    if (t.name === 'review' || t.name === 'reject') return NOT_IN_REVIEW;
    if (t.name === 'approve') return NOT_IN_APPROVAL;
    if (t.name === 'upload' || t.name === 'submit') return NOT_DRAFT;
    return NOT_EFFECTIVE;
  },
};
