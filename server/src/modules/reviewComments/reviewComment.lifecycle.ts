import type { SessionUser } from '../../identity/sessionUser.ts';
import type { CommandContext, Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { Services } from '../../platform/services.ts';
import { documentsCollection } from '../documents/queries.ts';
import { latest } from '../../records/revisions.ts';
import { ReviewCommentErrors } from './errors.ts';
import { reviewCommentEvents } from './events.ts';
import type { ReviewCommentState } from './reviewComment.record.ts';

// A review comment's lifecycle, declared once: a thread (its root comment) is open until the
// comment's author or the revision's author resolves it; either may reopen it while the revision
// is still in review or approval. Replies are posted on the thread and have no actions of their
// own. Unsigned actions: each appends its own event (who and when are on the ledger).

/** Review states in which a revision takes comments (document.lifecycle.ts: in_review, approval). */
export const UNDER_REVIEW = ['in_review', 'approval'] as const;

/** Resolved by whoever raised it or whoever must answer it (the revision's author): our choice where the issue is silent. */
const mayResolve = (u: SessionUser, c: ReviewCommentState) => u.id === c.author.id || u.id === c.revisionAuthor.id;
const threadRoot = {
  refusal: refusal(ReviewCommentErrors.REPLY_FOLLOWS_THREAD()),
  holds: (c: ReviewCommentState) => c.parentId === null,
};

/** Whether the revision the comment is on is still the one under review (same iteration). */
export async function stillUnderReview(
  s: Services,
  c: Pick<ReviewCommentState, 'documentId' | 'revision' | 'iteration'>,
) {
  const d = await documentsCollection(s).findOne({ _id: c.documentId });
  if (!d) return false;
  const r = latest(d);
  return (
    r.revision === c.revision && r.iteration === c.iteration && (UNDER_REVIEW as readonly string[]).includes(r.state)
  );
}

const openReview = async (c: CommandContext<ReviewCommentState>) => {
  if (!(await stillUnderReview(c.s, c.state))) throw ReviewCommentErrors.REVISION_CLOSED();
  const note = typeof c.input.note === 'string' && c.input.note.trim() ? c.input.note.trim() : null;
  return { note };
};

export const reviewCommentLifecycle: Lifecycle<ReviewCommentState> = {
  record: 'reviewComment',
  initial: 'open',
  states: ['open', 'resolved'],
  final: [],
  transitions: [
    {
      name: 'resolve',
      from: ['open'],
      to: 'resolved',
      who: mayResolve,
      whoRefusal: refusal(ReviewCommentErrors.NOT_YOURS_TO_RESOLVE()),
      preconditions: [threadRoot],
      prepare: openReview,
      event: (_c, p: { note: string | null }) => reviewCommentEvents.change('reviewComment.resolved', p),
    },
    {
      name: 'reopen',
      from: ['resolved'],
      to: 'open',
      who: mayResolve,
      whoRefusal: refusal(ReviewCommentErrors.NOT_YOURS_TO_RESOLVE()),
      preconditions: [threadRoot],
      prepare: openReview,
      event: (_c, p: { note: string | null }) => reviewCommentEvents.change('reviewComment.reopened', p),
    },
  ],
  stateOf: (c) => c.status,
  author: (c) => c.author.id,
  wrongState: (t) =>
    refusal(
      t.name === 'resolve'
        ? ReviewCommentErrors.COMMENT_ALREADY_RESOLVED()
        : ReviewCommentErrors.COMMENT_NOT_RESOLVED(),
    ),
};
