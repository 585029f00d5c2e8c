import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { listViewLifecycle } from './listView.lifecycle.ts';
import { CreateListViewBody, ListViewQuery, RetireListViewBody, UpdateListViewBody } from './schema.ts';
import { createListView, myListViews, retireListView, updateListView } from './listViewService.ts';
import { presentListView, presentListViews } from './presenter.ts';

export function listViewRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/list-views',
      tag: 'list-views',
      summary: 'My saved views of one list (filters and columns), newest first',
      access: 'authenticated',
      query: ListViewQuery,
    },
    async ({ query, user }) => presentListViews(await myListViews(s, user, query.list), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/list-views',
      tag: 'list-views',
      summary: "Save a view of a list: filters (the list's own query keys) and columns",
      access: 'authenticated',
      body: CreateListViewBody,
    },
    async ({ body, user }, ctx) => {
      const v = await createListView(s, user, body);
      ctx.status = 201;
      return presentListView(v, user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/list-views/:id/actions/update',
      tag: 'list-views',
      summary: 'Change one of my saved views (the whole view)',
      access: 'authenticated',
      params: IdParams,
      body: UpdateListViewBody,
    },
    async ({ params, body, user }) => presentListView(await updateListView(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/list-views/:id/actions/retire',
      tag: 'list-views',
      summary: 'Remove one of my saved views (retired on the ledger, never deleted)',
      access: 'authenticated',
      params: IdParams,
      body: RetireListViewBody,
    },
    async ({ params, body, user }) => presentListView(await retireListView(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/list_view',
      tag: 'list-views',
      summary: 'The saved list view lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(listViewLifecycle),
  );
  return r;
}
