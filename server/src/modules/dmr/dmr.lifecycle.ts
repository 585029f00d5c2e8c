import { AppError } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { refusalOf, transitionForMeaning, type Lifecycle, type Precondition, type Refusal } from '../../records/lifecycle.ts';
import type { DmrState } from './dmr.record.ts';
import { currentReviews, latest } from '../../records/revisions.ts';

// The DMR lifecycle, declared once: `actions`, the commands' checks and the e-signature policy read it.
const R = (code: string, en: string, zh: string, status = 409): Refusal => ({ code, en, zh, status });

export const NOT_DRAFT = R('RECORD_NOT_DRAFT', 'Only a draft revision can be changed or submitted.', '只有草稿版本可以修改或提交。');
const NOT_IN_REVIEW = R('RECORD_NOT_IN_REVIEW', 'This revision is not in review.', '该版本不在审核中。');
const NOT_IN_APPROVAL = R('RECORD_NOT_IN_APPROVAL', 'This revision is not waiting for approval.', '该版本不在待批准状态。');
const NOT_EFFECTIVE = R('RECORD_NOT_EFFECTIVE', 'The DMR has no effective revision.', '该 DMR 没有生效版本。');

const hasRole = (u: SessionUser, ...roles: string[]) => u.roles.some((r) => roles.includes(r));
/** Nobody who wrote any of this revision reviews or approves it (segregation of duties). */
const notAnEditor: Precondition<DmrState> = {
  refusal: R('SIGNER_IS_AUTHOR', 'You edited this revision; someone else must review and approve it.', '您编辑过该版本,须由他人审核和批准。'),
  holds: (d, u) => !latest(d).editors.includes(u.id),
};
const complete: Precondition<DmrState> = {
  refusal: R('DMR_INCOMPLETE', 'A DMR revision needs at least one BOM line and one routing operation before it is submitted.', 'DMR 版本提交前至少需要一行物料清单和一道工序。'),
  holds: (d) => latest(d).content.bom.length > 0 && latest(d).content.routing.length > 0,
};
const reviewer = {
  who: (u: SessionUser) => hasRole(u, 'reviewer', 'qa_engineer'),
  whoRefusal: R('NOT_A_REVIEWER', 'Only reviewers and QA engineers review a DMR.', '只有审核人或质量工程师可以审核 DMR。', 403),
};
const noRevisionInWork: Precondition<DmrState> = {
  refusal: R('REVISION_IN_PROGRESS', 'A newer revision is already being prepared.', '已有新版本正在编制中。'),
  holds: (d) => latest(d).revision === d.effective,
};
const notDecided: Precondition<DmrState> = {
  refusal: R('ALREADY_DECIDED', 'You have already reviewed this iteration.', '您已审核过本轮版本。'),
  holds: (d, u) => !currentReviews(latest(d)).some((x) => x.userId === u.id),
};

export const dmrLifecycle: Lifecycle<DmrState> = {
  record: 'dmr',
  initial: 'draft',
  states: ['draft', 'in_review', 'approval', 'effective', 'superseded'],
  final: ['superseded'],
  transitions: [
    { name: 'edit', from: ['draft'], scope: 'working', permission: 'dmr.manage' },
    { name: 'submit', from: ['draft'], to: 'in_review', scope: 'working', permission: 'dmr.manage', preconditions: [complete] },
    { name: 'review', from: ['in_review'], to: 'approval', scope: 'working', signature: { meaning: 'reviewed', count: 1, notAuthor: true }, ...reviewer, preconditions: [notAnEditor, notDecided] },
    { name: 'reject', from: ['in_review'], to: 'draft', scope: 'working', signature: { meaning: 'rejected', count: 1, notAuthor: true }, needsReason: true, ...reviewer, preconditions: [notAnEditor, notDecided] },
    {
      name: 'approve', from: ['approval'], to: 'effective', scope: 'working', signature: { meaning: 'approved', count: 1, notAuthor: true },
      who: (u) => hasRole(u, 'qa_manager'),
      whoRefusal: R('NOT_AN_APPROVER', 'Only a QA manager approves a DMR.', '只有质量经理可以批准 DMR。', 403),
      preconditions: [notAnEditor],
    },
    { name: 'new_revision', from: ['effective'], to: 'draft', scope: 'effective', permission: 'dmr.manage', preconditions: [noRevisionInWork] },
  ],
  stateOf: (d, t) => (t.scope === 'effective' ? (d.effective ? 'effective' : d.state) : latest(d).state),
  author: (d) => latest(d).author.id,
  wrongState: (t) => {
    if (t.name === 'review' || t.name === 'reject') return NOT_IN_REVIEW;
    if (t.name === 'approve') return NOT_IN_APPROVAL;
    if (t.name === 'edit' || t.name === 'submit') return NOT_DRAFT;
    return NOT_EFFECTIVE;
  },
};

/** The e-signature policy: a meaning is allowed exactly when its transition is. */
export function dmrCanSign(user: SessionUser, meaning: string, d: DmrState): AppError | null {
  const t = transitionForMeaning(dmrLifecycle, meaning);
  if (!t) return new AppError('SIGNATURE_NOT_ALLOWED', { meaning });
  return refusalOf(dmrLifecycle, t.name, d, user);
}
