import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { optional, RecordVersion } from '../../platform/fields.ts';
import { Id, Text } from '../../platform/schemas.ts';
import { msg } from '../../platform/schemas.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { reviewCommentLifecycle } from './reviewComment.lifecycle.ts';
import { commentAction, getComment, listComments, postComment } from './service.ts';
import { presentComment } from './presenter.ts';
import { compareRevisions } from './compare.ts';

const RevisionLetter = z.string().regex(/^[A-Z]{1,3}$/, msg('a revision letter', '版本字母'));
/** A comment's text: 1 to 4000 characters after trimming. */
export const CommentText = Text(4000).min(1, msg('the comment is empty', '评论不能为空'));
const PostBody = z.object({ revision: RevisionLetter, parentId: optional(Id), text: CommentText });
const ActionBody = z.object({ version: optional(RecordVersion), note: optional(Text(2000)) });
const ListQuery = z.object({ revision: optional(RevisionLetter) });
const CompareQuery = z.object({ from: RevisionLetter, to: RevisionLetter });
const ActionParams = z.object({ id: Id, action: z.enum(['resolve', 'reopen']) });

export function reviewCommentRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/documents/:id/comments',
      tag: 'documents',
      summary: "A document's review comments (the people of its review only)",
      access: 'documents.read',
      params: IdParams,
      query: ListQuery,
    },
    async ({ params, query, user }) =>
      (await listComments(s, user, params.id, query.revision)).map((c) => presentComment(c, user)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/documents/:id/comments',
      tag: 'documents',
      summary: 'Comment on (or reply in a thread on) the revision under review',
      access: 'documents.read',
      status: 201,
      params: IdParams,
      body: PostBody,
    },
    async ({ params, body, user }, ctx) => {
      const c = await postComment(s, user, params.id, body);
      ctx.status = 201;
      return presentComment(c, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/review-comments/:id',
      tag: 'documents',
      summary: 'One review comment',
      access: 'documents.read',
      params: IdParams,
    },
    async ({ params, user }) => presentComment(await getComment(s, user, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/review-comments/:id/:action',
      tag: 'documents',
      summary: 'Resolve or reopen a review thread',
      access: 'documents.read',
      params: ActionParams,
      body: ActionBody,
    },
    async ({ params, body, user }) =>
      presentComment(await commentAction(s, user, params.id, params.action, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/documents/:id/compare',
      tag: 'documents',
      summary: 'Two revisions compared as text, sentence by sentence',
      access: 'documents.read',
      params: IdParams,
      query: CompareQuery,
    },
    async ({ params, query }) => compareRevisions(s, params.id, query.from, query.to),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/reviewComment',
      tag: 'documents',
      summary: 'The review-comment lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(reviewCommentLifecycle),
  );
  return r;
}
