import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { dmrLifecycle } from './dmr.lifecycle.ts';
import { createDmr, editDraft, getDmr, listDmrs, performDmrAction } from './service.ts';
import { presentDmrDetail, presentDmrSummary } from './presenter.ts';
import { CreateDmrBody, DmrActionBody, DmrActionParams, DmrDetailView, DmrSummaryView, DraftBody } from './schema.ts';

export function dmrRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/dmrs',
      tag: 'dmr',
      summary: 'List device master records',
      access: 'records.read',
      response: z.array(DmrSummaryView),
    },
    async () => (await listDmrs(s)).map(presentDmrSummary),
  );
  route(
    r,
    {
      method: 'post',
      path: '/dmrs',
      tag: 'dmr',
      summary: 'Create the device master record of a finished device',
      access: 'dmr.manage',
      status: 201,
      body: CreateDmrBody,
      response: DmrDetailView,
    },
    async ({ body, user }, ctx) => {
      const d = await createDmr(s, user, body.itemId);
      ctx.status = 201;
      return presentDmrDetail(d, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/dmrs/:id',
      tag: 'dmr',
      summary: 'Get a device master record',
      access: 'records.read',
      params: IdParams,
      response: DmrDetailView,
    },
    async ({ params, user }) => presentDmrDetail(await getDmr(s, params.id), user),
  );
  route(
    r,
    {
      method: 'put',
      path: '/dmrs/:id/draft',
      tag: 'dmr',
      summary: 'Replace the content of the draft DMR revision',
      access: 'dmr.manage',
      params: IdParams,
      body: DraftBody,
      response: DmrDetailView,
    },
    async ({ params, body, user }) =>
      presentDmrDetail(await editDraft(s, user, params.id, body.version, body.content), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/dmrs/:id/actions/:action',
      tag: 'dmr',
      summary: 'Perform a DMR lifecycle action (signing actions re-authenticate)',
      access: 'records.read',
      params: DmrActionParams,
      body: DmrActionBody,
      response: DmrDetailView,
    },
    async ({ params, body, user }) =>
      presentDmrDetail(await performDmrAction(s, user, params.id, params.action, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/dmr',
      tag: 'dmr',
      summary: 'The DMR lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(dmrLifecycle),
  );
  return r;
}
