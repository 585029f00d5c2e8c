import Router from '@koa/router';
import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { reviewLifecycle } from './review.lifecycle.ts';
import { presentReview, presentReviewRow } from './presenter.ts';
import { CreateReviewBody, REVIEW_ACTION_BODIES, ReviewQuery, type ReviewAction } from './schema.ts';
import { actOnReview, getReview, listReviews, planReview } from './service.ts';

const SUMMARIES: Record<ReviewAction, string> = {
  record_meeting:
    'Record the meeting: attendees, decisions and actions (ISO 13485:2016 5.6.3); freezes the inputs of 5.6.2',
  approve: 'Approve the review (not whoever recorded the meeting; signature "approved")',
  complete_action: 'Complete a review action (its owner, with the evidence)',
};

export function managementReviewRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/management-reviews',
      tag: 'managementReview',
      summary: 'Plan a management review for a period (ISO 13485:2016 5.6.1)',
      access: 'review.manage',
      status: 201,
      body: CreateReviewBody,
    },
    async ({ body, user }, ctx) => {
      const rev = await planReview(s, user, body);
      ctx.status = 201;
      return presentReview(s, rev, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/management-reviews',
      tag: 'managementReview',
      summary: 'Management reviews',
      access: 'review.read',
      query: ReviewQuery,
    },
    async ({ query, user }) => (await listReviews(s, query)).map((x) => presentReviewRow(x, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/management-reviews/:id',
      tag: 'managementReview',
      summary: 'A management review with its inputs (live while planned, frozen once the meeting is recorded)',
      access: 'review.read',
      params: IdParams,
    },
    async ({ params, user }) => presentReview(s, await getReview(s, params.id), user),
  );
  for (const [action, body] of Object.entries(REVIEW_ACTION_BODIES) as Array<[ReviewAction, z.ZodType<object>]>) {
    route(
      r,
      {
        method: 'post',
        path: `/management-reviews/:id/actions/${action}`,
        tag: 'managementReview',
        summary: SUMMARIES[action],
        access: 'review.read',
        params: IdParams,
        body,
      },
      async ({ params, body, user }) => presentReview(s, await actOnReview(s, user, params.id, action, body), user),
    );
  }
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/managementReview',
      tag: 'managementReview',
      summary: 'The management review lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(reviewLifecycle),
  );
  return r;
}
