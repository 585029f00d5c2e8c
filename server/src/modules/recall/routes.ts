import Router from '@koa/router';
import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { recallLifecycle } from './recall.lifecycle.ts';
import { presentRecall, presentRecallRow } from './presenter.ts';
import { RECALL_CLOCKS } from './rules.ts';
import { ACTION_BODIES, CreateRecallBody, RecallQuery, type RecallAction } from './schema.ts';
import { actOnRecall, getRecall, listRecalls, openRecall } from './service.ts';

const SUMMARIES: Record<RecallAction, string> = {
  approve: 'Approve the recall and its scope (not its initiator; signature "approved")',
  notify: 'Record a customer notification (date, method, reference)',
  acknowledge: "Record a customer's acknowledgement",
  disposition: "Record a unit's disposition: returned, corrected, destroyed or not found",
  report: 'Record a regulatory report against its clock (21 CFR 806, EU MDR Art. 87, NMPA)',
  close: 'Close the recall (not its initiator; every customer notified; signature "approved")',
};

export function recallRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/recalls',
      tag: 'recall',
      summary: 'Open a recall / FSCA from a forward trace or named lots; its customers from the lots\u2019 shipments',
      access: 'recall.write',
      status: 201,
      body: CreateRecallBody,
    },
    async ({ body, user }, ctx) => {
      const rec = await openRecall(s, user, body);
      ctx.status = 201;
      return presentRecall(s, rec, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/recalls',
      tag: 'recall',
      summary: 'The recall register',
      access: 'recall.read',
      query: RecallQuery,
    },
    async ({ query, user }) => (await listRecalls(s, query)).map((x) => presentRecallRow(x, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/recall-clock-rules',
      tag: 'recall',
      summary: 'The recall clocks as data (21 CFR 806.10(b), EU MDR Art. 87/89, NMPA 召回管理办法 第十六条)',
      access: 'recall.read',
    },
    async () => RECALL_CLOCKS,
  );
  route(
    r,
    {
      method: 'get',
      path: '/recalls/:id',
      tag: 'recall',
      summary: 'A recall',
      access: 'recall.read',
      params: IdParams,
    },
    async ({ params, user }) => presentRecall(s, await getRecall(s, params.id), user),
  );
  for (const [action, body] of Object.entries(ACTION_BODIES) as Array<[RecallAction, z.ZodType<object>]>) {
    route(
      r,
      {
        method: 'post',
        path: `/recalls/:id/actions/${action}`,
        tag: 'recall',
        summary: SUMMARIES[action],
        access: 'recall.read',
        params: IdParams,
        body,
      },
      async ({ params, body, user }) => presentRecall(s, await actOnRecall(s, user, params.id, action, body), user),
    );
  }
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/recall',
      tag: 'recall',
      summary: 'The recall lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(recallLifecycle),
  );
  return r;
}
