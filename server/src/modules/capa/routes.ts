import { capaLoop } from '../qualityLoop/loop.ts';
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { capaLifecycle } from './capa.lifecycle.ts';
import { presentCapa, presentCapaRow } from './presenter.ts';
import { ACTION_BODIES, CapaQuery, CreateCapaBody, type CapaAction } from './schema.ts';
import { actOnCapa, getCapa, listCapas, openCapa } from './service.ts';

const SUMMARIES: Record<CapaAction, string> = {
  decide: 'Risk-based decision: proceed, or no CAPA with its rationale (QA, signature "approved")',
  contain: 'Record the containment',
  investigate: 'Record the investigation: a named root-cause method with its structure, and the root cause',
  add_task: 'Plan an action with its owner and due date',
  complete_task: 'Complete an action (its owner only), with the evidence',
  link_change: 'Link a document or DMR revision the actions change',
  verify: 'Verify the actions do not adversely affect safety or compliance (ISO 13485 8.5.2; signature "verified")',
  close: 'Close the CAPA and schedule its effectiveness check (QA, not the owner; signature "approved")',
  record_effectiveness: 'Record the effectiveness check: pass closes, fail reopens (QA; signature "verified")',
  request_extension: 'Request a later due date, with the reason',
  approve_extension: 'Approve the pending extension (QA; signature "approved")',
};

export function capaRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/capas',
      tag: 'capa',
      summary: 'Open a CAPA from its source (NC, complaint, audit finding, trend, management review)',
      access: 'capa.manage',
      status: 201,
      body: CreateCapaBody,
    },
    async ({ body, user }, ctx) => {
      const c = await openCapa(s, user, body);
      ctx.status = 201;
      return presentCapa(c, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/capas',
      tag: 'capa',
      summary: 'The CAPA register (filters: state, owner, source, overdue)',
      access: 'records.read',
      query: CapaQuery,
    },
    async ({ query, user }) => (await listCapas(s, query)).map((c) => presentCapaRow(c, user)),
  );
  route(
    r,
    { method: 'get', path: '/capas/:id', tag: 'capa', summary: 'A CAPA', access: 'records.read', params: IdParams },
    async ({ params, user }) => {
      const c = await getCapa(s, params.id);
      return { ...presentCapa(c, user), loop: await capaLoop(s, c) };
    },
  );
  for (const [action, body] of Object.entries(ACTION_BODIES) as Array<[CapaAction, z.ZodType<object>]>) {
    route(
      r,
      {
        method: 'post',
        path: `/capas/:id/actions/${action}`,
        tag: 'capa',
        summary: SUMMARIES[action],
        access: 'records.read',
        params: IdParams,
        body,
      },
      async ({ params, body, user }) => presentCapa(await actOnCapa(s, user, params.id, action, body), user),
    );
  }
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/capa',
      tag: 'capa',
      summary: 'The CAPA lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(capaLifecycle),
  );
  return r;
}
