import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { changeLifecycle } from './change.lifecycle.ts';
import { presentChange, presentChangeRow } from './presenter.ts';
import { ChangeActionBody, ChangeActionParams, ChangeListQuery, DraftBody, NewChangeBody } from './schema.ts';
import { actOnChange, getChange, listChanges, openChange } from './service.ts';

// Change control (ECO), ISO 13485:2016 7.3.9 and 4.1.4.
export function changeRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/changes',
      tag: 'changes',
      summary: 'Open a change request: the document/DMR revisions it changes, risk rows, design elements, CAPA, impact',
      access: 'change.write',
      status: 201,
      body: NewChangeBody,
    },
    async ({ body, user }, ctx) => {
      const c = await openChange(s, user, body);
      ctx.status = 201;
      return presentChange(s, c, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/changes',
      tag: 'changes',
      summary: 'The change register (filter: state)',
      access: 'change.read',
      query: ChangeListQuery,
    },
    async ({ query }) => (await listChanges(s, query)).map(presentChangeRow),
  );
  route(
    r,
    {
      method: 'get',
      path: '/changes/:id',
      tag: 'changes',
      summary: 'A change request',
      access: 'change.read',
      params: IdParams,
    },
    async ({ params, user }) => presentChange(s, await getChange(s, params.id), user),
  );
  route(
    r,
    {
      method: 'put',
      path: '/changes/:id/draft',
      tag: 'changes',
      summary: 'Edit the draft: what it changes, the impact assessment (7.3.9 questions) and the classification',
      access: 'change.write',
      params: IdParams,
      body: DraftBody,
    },
    async ({ params, body, user }) => presentChange(s, await actOnChange(s, user, params.id, 'edit', body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/changes/:id/actions/:action',
      tag: 'changes',
      summary:
        'submit, approve / reject (change board, signature), decide_work_order, implement (signature "released": every named revision effective together), cancel',
      access: 'change.read',
      params: ChangeActionParams,
      body: ChangeActionBody,
    },
    async ({ params, body, user }) =>
      presentChange(s, await actOnChange(s, user, params.id, params.action, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/change',
      tag: 'changes',
      summary: 'The change request lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(changeLifecycle),
  );
  return r;
}
