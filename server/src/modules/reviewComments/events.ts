import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';

// What can happen to a review comment (stream `reviewComment:<id>`). The shapes are the ledger's:
// a change here must still read every comment ever written.
const Person = z.object({ id: z.string(), name: z.string() });

export const reviewCommentEvents = defineEvents('reviewComments', {
  /**
   * A comment on one revision of a document while it is reviewed or approved (ISO 13485:2016
   * 4.2.4 review of documents for adequacy before issue; the record of the review, 4.2.5).
   * `parentId` names the comment it answers (same revision); `visibleTo` is who may read it:
   * the document's owner, the revision's author, its named reviewers and approvers.
   */
  'reviewComment.posted': z.object({
    documentId: z.string(),
    number: z.string(),
    revision: z.string(),
    iteration: z.number(),
    parentId: z.string().nullable(),
    threadId: z.string(),
    text: z.string(),
    author: Person,
    revisionAuthor: Person,
    visibleTo: z.array(z.string()),
  }),
  'reviewComment.resolved': z.object({ note: z.string().nullable() }),
  'reviewComment.reopened': z.object({ note: z.string().nullable() }),
});
