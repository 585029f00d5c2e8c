import { AppError } from '../../platform/errors.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import type { CommandContext, Lifecycle, Precondition, Separation } from '../../records/lifecycle.ts';
import { revisionHeldBy } from '../../records/contributions.ts';
import { todayUtc } from '../../platform/dates.ts';
import { refusal } from '../../records/refusal.ts';
import { RevisionErrors } from '../../records/revisionErrors.ts';
import { nextLetter } from '../../records/revisionLetters.ts';
import { currentApprovals, currentReviews, latest } from '../../records/revisions.ts';
import type { DmrContent, DmrState } from './dmr.record.ts';
import { DmrErrors } from './errors.ts';
import { dmrEvents } from './events.ts';
import { resolveContent } from './content.ts';
import type { DmrContentInput } from './schema.ts';

// The DMR lifecycle, declared once: the API's `actions`, the command path (records/command.ts),
// the e-signature policy (canSign, derived) and GET /lifecycles/dmr all read this. Signatures
// complete review and approval (dmr.record.ts's afterSignature); edit, submit and new_revision
// append their own event.
const dmr = { record: 'dmr' } as const;
const NOT_DRAFT = refusal(RevisionErrors.RECORD_NOT_DRAFT());
const NOT_IN_REVIEW = refusal(RevisionErrors.RECORD_NOT_IN_REVIEW());
const NOT_IN_APPROVAL = refusal(RevisionErrors.RECORD_NOT_IN_APPROVAL());
const NOT_EFFECTIVE = refusal(RevisionErrors.RECORD_NOT_EFFECTIVE(dmr));

const hasRole = (u: SessionUser, ...roles: string[]) => u.roles.some((r) => roles.includes(r));
/** Nobody who wrote any of this revision reviews or approves it (ISO 13485 4.2.4, 21 CFR 11.10(g)). */
const notAnEditor: Separation<DmrState> = {
  rule: 'not_editor',
  refusal: refusal(new AppError('SIGNER_IS_AUTHOR')),
  violatedBy: (u, d) => latest(d).editors.includes(u.id),
};
const complete: Precondition<DmrState> = {
  refusal: refusal(DmrErrors.DMR_INCOMPLETE()),
  holds: (d) => latest(d).content.bom.length > 0 && latest(d).content.routing.length > 0,
};
const reviewer = {
  who: (u: SessionUser) => hasRole(u, 'reviewer', 'qa_engineer'),
  whoRefusal: refusal(RevisionErrors.SIGNER_ROLE_NOT_ALLOWED({ ...dmr, kind: 'reviewer' })),
  separation: [notAnEditor],
  preconditions: [
    {
      refusal: refusal(RevisionErrors.ALREADY_DECIDED({ step: 'review' })),
      holds: (d: DmrState, u: SessionUser) => !currentReviews(latest(d)).some((x) => x.userId === u.id),
    },
  ],
};
const noRevisionInWork: Precondition<DmrState> = {
  refusal: refusal(RevisionErrors.REVISION_IN_PROGRESS()),
  holds: (d) => latest(d).revision === d.effective,
};

const approvedThisIteration = (d: DmrState) => currentApprovals(latest(d)).some((x) => x.decision === 'approved');
/** Held by a change request (ISO 13485:2016 7.3.9): approved, waiting for that change to make it effective. */
const approvedAndHeld: Precondition<DmrState> = {
  refusal: refusal(RevisionErrors.REVISION_NOT_HELD()),
  holds: (d) => !!latest(d).heldBy && approvedThisIteration(d),
};
async function holder(c: CommandContext<DmrState>) {
  return revisionHeldBy(c.s, 'dmr', c.id, latest(c.state).revision);
}

export const dmrLifecycle: Lifecycle<DmrState> = {
  record: 'dmr',
  initial: 'draft',
  states: ['draft', 'in_review', 'approval', 'effective', 'superseded'],
  final: ['superseded'],
  transitions: [
    {
      // draftEditor: the content is checked against the item master and the document register before anything is written
      name: 'edit',
      from: ['draft'],
      scope: 'working',
      permission: 'dmr.manage',
      needsValues: true,
      prepare: (c) => resolveContent(c.s, c.state.itemId, c.input.content as DmrContentInput),
      event: (d, content: DmrContent) =>
        dmrEvents.change('dmr.draftUpdated', { revision: latest(d).revision, content }),
    },
    {
      name: 'submit',
      from: ['draft'],
      to: 'in_review',
      scope: 'working',
      permission: 'dmr.manage',
      preconditions: [complete],
      // submitted under an open change request: its approval waits for the change
      prepare: holder,
      event: (d, held: { id: string } | null) =>
        dmrEvents.change('dmr.submitted', { revision: latest(d).revision, ...(held ? { heldBy: held.id } : {}) }),
    },
    {
      name: 'review',
      from: ['in_review'],
      to: 'approval',
      scope: 'working',
      signature: { meaning: 'reviewed', count: 1, notAuthor: true },
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
      to: 'effective',
      scope: 'working',
      signature: { meaning: 'approved', count: 1, notAuthor: true },
      who: (u) => hasRole(u, 'qa_manager'),
      whoRefusal: refusal(RevisionErrors.SIGNER_ROLE_NOT_ALLOWED({ ...dmr, kind: 'approver' })),
      separation: [notAnEditor],
      preconditions: [
        {
          refusal: refusal(RevisionErrors.ALREADY_DECIDED({ step: 'approval' })),
          holds: (d) => !approvedThisIteration(d),
        },
      ],
    },
    {
      // an approved revision held by a change request: effective on the change's date, only through it
      name: 'release',
      from: ['approval'],
      to: 'effective',
      scope: 'working',
      permission: 'dmr.manage',
      preconditions: [approvedAndHeld],
      prepare: async (c) => {
        const held = await holder(c);
        if (held && c.input.viaChange !== held.id)
          throw RevisionErrors.REVISION_HELD_BY_CHANGE({ number: held.number });
      },
      event: (d, _p, c) =>
        dmrEvents.change('dmr.becameEffective', {
          revision: latest(d).revision,
          effectiveDate: (c.input.effectiveDate as string | undefined) ?? todayUtc(),
          supersedes: d.effective,
        }),
    },
    {
      // revision letters: one rule for every revisioned record (records/revisionLetters.ts, Z → AA)
      name: 'new_revision',
      from: ['effective'],
      to: 'draft',
      scope: 'effective',
      permission: 'dmr.manage',
      preconditions: [noRevisionInWork],
      event: (d, _p, c) =>
        dmrEvents.change('dmr.revisionStarted', {
          revision: nextLetter(latest(d).revision),
          author: { id: c.user.id, name: c.user.fullName },
        }),
    },
  ],
  stateOf: (d, t) => (t.scope === 'effective' ? (d.effective ? 'effective' : d.state) : latest(d).state),
  author: (d) => latest(d).author.id,
  wrongState: (t) => {
    if (t.name === 'review' || t.name === 'reject') return NOT_IN_REVIEW;
    if (t.name === 'approve' || t.name === 'release') return NOT_IN_APPROVAL;
    if (t.name === 'edit' || t.name === 'submit') return NOT_DRAFT;
    return NOT_EFFECTIVE;
  },
};
