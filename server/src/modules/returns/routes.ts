import Router from '@koa/router';
import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { rmaLifecycle } from './rma.lifecycle.ts';
import { presentRma, presentRmaRow } from './presenter.ts';
import { ACTION_BODIES, CreateRmaBody, RmaQuery, type RmaAction } from './schema.ts';
import { actOnRma, getRma, listRmas, openRma } from './service.ts';

const SUMMARIES: Record<RmaAction, string> = {
  receive: 'Receive the returned unit or quantity into a quarantine location (the lot goes on hold)',
  inspect: 'Record the inspection of the returned unit: findings, conforming or not',
  restock: 'Decide: restock (conforming only; not the inspector; signature "approved"; the lot is released from hold)',
  rework: 'Decide: rework (not the inspector; signature "approved"; the lot is rejected for rework)',
  scrap: 'Decide: scrap (not the inspector; signature "approved"; the returned quantity is scrapped)',
  return_to_supplier:
    'Decide: return to supplier (not the inspector; signature "approved"; the lot is rejected for the supplier)',
};

export function returnsRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/returns',
      tag: 'returns',
      summary: 'Open a return (RMA) of a unit or quantity shipped to the customer',
      access: 'returns.write',
      status: 201,
      body: CreateRmaBody,
    },
    async ({ body, user }, ctx) => {
      const rec = await openRma(s, user, body);
      ctx.status = 201;
      return presentRma(rec, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/returns',
      tag: 'returns',
      summary: 'The returns register',
      access: 'returns.read',
      query: RmaQuery,
    },
    async ({ query, user }) => (await listRmas(s, query)).map((x) => presentRmaRow(x, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/returns/:id',
      tag: 'returns',
      summary: 'A return',
      access: 'returns.read',
      params: IdParams,
    },
    async ({ params, user }) => presentRma(await getRma(s, params.id), user),
  );
  for (const [action, body] of Object.entries(ACTION_BODIES) as Array<[RmaAction, z.ZodType<object>]>) {
    route(
      r,
      {
        method: 'post',
        path: `/returns/:id/actions/${action}`,
        tag: 'returns',
        summary: SUMMARIES[action],
        access: 'returns.read',
        params: IdParams,
        body,
      },
      async ({ params, body, user }) => presentRma(await actOnRma(s, user, params.id, action, body), user),
    );
  }
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/rma',
      tag: 'returns',
      summary: 'The return (RMA) lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(rmaLifecycle),
  );
  return r;
}
