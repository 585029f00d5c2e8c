import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import { streamOf } from '../../records/registry.ts';
import type { ReviewCommentDoc } from './reviewComment.record.ts';
import { reviewCommentLifecycle } from './reviewComment.lifecycle.ts';

// The only shape of a review comment that leaves the server.
export function presentComment(c: ReviewCommentDoc, user: SessionUser) {
  return {
    id: c._id,
    stream: streamOf('reviewComment', c._id),
    documentId: c.documentId,
    revision: c.revision,
    iteration: c.iteration,
    parentId: c.parentId,
    threadId: c.threadId,
    text: c.text,
    author: c.author,
    postedAt: c.postedAt,
    status: c.status,
    resolvedBy: c.resolvedBy,
    resolvedAt: c.resolvedAt,
    note: c.note,
    history: c.history,
    version: c.ledgerVersion,
    actions: availableActions(reviewCommentLifecycle, c, user),
  };
}
