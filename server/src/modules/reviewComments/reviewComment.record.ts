import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import { reviewCommentEvents } from './events.ts';
import { reviewCommentLifecycle } from './reviewComment.lifecycle.ts';

// A review comment: one stream `reviewComment:<id>` per comment, on one revision of one document.
// A thread is a root comment and its replies (each names its parent); only a root is resolved or
// reopened, and an unresolved root holds the revision's approval (document.lifecycle.ts).
export interface ReviewCommentState {
  id: string;
  documentId: string;
  number: string;
  revision: string;
  iteration: number;
  parentId: string | null;
  threadId: string;
  text: string;
  author: { id: string; name: string };
  revisionAuthor: { id: string; name: string };
  visibleTo: string[];
  postedAt: string;
  status: 'open' | 'resolved';
  resolvedBy: { id: string; name: string } | null;
  resolvedAt: string | null;
  note: string | null;
  history: Array<{
    action: 'resolved' | 'reopened';
    by: { id: string; name: string };
    at: string;
    note: string | null;
  }>;
}
export type ReviewCommentDoc = Projected<ReviewCommentState>;

/** The projection collection; the documents context counts open threads in it by this name. */
export const REVIEW_COMMENTS = 'reviewComments';
declareIndexes(REVIEW_COMMENTS, [{ key: { documentId: 1, revision: 1 }, name: 'document_revision' }]);

function reduce(s: ReviewCommentState | undefined, event: LedgerEvent): ReviewCommentState {
  const e = reviewCommentEvents.typed(event);
  if (e.type === 'reviewComment.posted') {
    const d = e.data;
    return {
      id: e.stream.slice('reviewComment:'.length),
      documentId: d.documentId,
      number: d.number,
      revision: d.revision,
      iteration: d.iteration,
      parentId: d.parentId,
      threadId: d.threadId,
      text: d.text,
      author: d.author,
      revisionAuthor: d.revisionAuthor,
      visibleTo: d.visibleTo,
      postedAt: e.at,
      status: 'open',
      resolvedBy: null,
      resolvedAt: null,
      note: null,
      history: [],
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before reviewComment.posted`);
  const by = { id: e.actor.id, name: e.actor.name };
  if (e.type === 'reviewComment.resolved')
    return {
      ...s,
      status: 'resolved',
      resolvedBy: by,
      resolvedAt: e.at,
      note: e.data.note,
      history: [...s.history, { action: 'resolved', by, at: e.at, note: e.data.note }],
    };
  if (e.type === 'reviewComment.reopened')
    return {
      ...s,
      status: 'open',
      resolvedBy: null,
      resolvedAt: null,
      note: e.data.note,
      history: [...s.history, { action: 'reopened', by, at: e.at, note: e.data.note }],
    };
  return s;
}

export const reviewCommentRecord = defineRecordType<ReviewCommentState>({
  type: 'reviewComment',
  collection: REVIEW_COMMENTS,
  reduce,
  content: (s) => ({ documentId: s.documentId, revision: s.revision, parentId: s.parentId, text: s.text }),
  events: reviewCommentEvents,
  lifecycle: reviewCommentLifecycle,
  // the people of the review only (ISO 13485:2016 4.2.4: review by those the procedure names)
  canRead: (user, s) => s.visibleTo.includes(user.id),
});
