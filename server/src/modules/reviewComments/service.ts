import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { latest } from '../../records/revisions.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getDocument } from '../documents/queries.ts';
import type { DocumentState } from '../documents/document.record.ts';
import { ReviewCommentErrors } from './errors.ts';
import { reviewCommentEvents } from './events.ts';
import { REVIEW_COMMENTS, reviewCommentRecord, type ReviewCommentDoc } from './reviewComment.record.ts';
import { UNDER_REVIEW } from './reviewComment.lifecycle.ts';

const comments = (s: Services) => s.db.collection<ReviewCommentDoc>(REVIEW_COMMENTS);

/** The people of a document's review: its owner, the working revision's author, its named reviewers and approvers. */
export function participantsOf(d: DocumentState): string[] {
  return [
    ...new Set([d.owner.id, latest(d).author.id, ...d.reviewers.map((p) => p.id), ...d.approvers.map((p) => p.id)]),
  ];
}

function assertParticipant(d: DocumentState, user: SessionUser) {
  if (!participantsOf(d).includes(user.id)) throw ReviewCommentErrors.NOT_A_REVIEW_PARTICIPANT();
}

export interface PostInput {
  revision: string;
  parentId?: string | undefined;
  text: string;
}

/** Posts a comment (or a reply) on the revision under review; everything is judged before the one append. */
export async function postComment(s: Services, user: SessionUser, documentId: string, input: PostInput) {
  const d = await getDocument(s, documentId);
  assertParticipant(d, user);
  const r = latest(d);
  if (input.revision !== r.revision || !(UNDER_REVIEW as readonly string[]).includes(r.state))
    throw ReviewCommentErrors.REVISION_NOT_UNDER_REVIEW();
  let threadId: string | null = null;
  if (input.parentId) {
    const parent = await comments(s).findOne({ _id: input.parentId });
    if (!parent || !reviewCommentRecord.canRead!(user, parent)) throw errors.notFound('comment');
    if (parent.documentId !== d.id || parent.revision !== r.revision || parent.iteration !== r.iteration)
      throw ReviewCommentErrors.PARENT_NOT_ON_REVISION();
    threadId = parent.threadId;
  }
  const id = randomUUID();
  await asUser(user, async () => {
    const posted = reviewCommentEvents.change('reviewComment.posted', {
      documentId: d.id,
      number: d.number,
      revision: r.revision,
      iteration: r.iteration,
      parentId: input.parentId ?? null,
      threadId: threadId ?? id,
      text: input.text,
      author: { id: user.id, name: user.fullName },
      revisionAuthor: r.author,
      visibleTo: participantsOf(d),
    });
    await s.ledger.append(streamOf('reviewComment', id), posted.type, posted.data, { expectedVersion: 0 });
  });
  return getComment(s, user, id);
}

/** One comment, for the people of its review only (anyone else: 404, its existence is not told). */
export async function getComment(s: Services, user: SessionUser, id: string): Promise<ReviewCommentDoc> {
  const c = await comments(s).findOne({ _id: id });
  if (!c || !reviewCommentRecord.canRead!(user, c)) throw errors.notFound('comment');
  return c;
}

/** A document's comments (optionally one revision's), oldest first; only the people of its review may list them. */
export async function listComments(s: Services, user: SessionUser, documentId: string, revision?: string) {
  const d = await getDocument(s, documentId);
  assertParticipant(d, user);
  const rows = await comments(s)
    .find({ documentId: d.id, ...(revision ? { revision } : {}) })
    .toArray();
  return rows
    .filter((c) => reviewCommentRecord.canRead!(user, c))
    .sort((a, b) => a.postedAt.localeCompare(b.postedAt) || a._id.localeCompare(b._id));
}

/** resolve | reopen, through the one command path (reviewComment.lifecycle.ts). */
export async function commentAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: 'resolve' | 'reopen',
  input: { version?: number | undefined; note?: string | undefined },
) {
  await getComment(s, user, id);
  await runCommand(s, user, streamOf('reviewComment', id), action, { ...input });
  return getComment(s, user, id);
}
