import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { dispose, getInspection, listInspections, planFor, recordResults } from './service.ts';
import { presentInspection } from './presenter.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { inspectionLifecycle } from './inspection.lifecycle.ts';
import { DispositionBody, ListQuery, PlanQuery, ResultsBody } from './schema.ts';

export function inspectionRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/sampling-plan',
      tag: 'inspection',
      summary: 'ISO 2859-1 plan (level II, normal, single) for a lot size and AQL',
      access: 'records.read',
      query: PlanQuery,
    },
    async ({ query }) => planFor(query.lotSize, query.aql),
  );
  route(
    r,
    {
      method: 'get',
      path: '/inspections',
      tag: 'inspection',
      summary: 'List incoming inspections',
      access: 'records.read',
      query: ListQuery,
    },
    async ({ query, user }) => (await listInspections(s, query)).map((d) => presentInspection(d, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/inspections/:id',
      tag: 'inspection',
      summary: 'Get an incoming inspection',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params, user }) => presentInspection(await getInspection(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/inspections/:id/results',
      tag: 'inspection',
      summary: 'Enter inspection results (pass/fail is computed)',
      access: 'inspection.perform',
      params: IdParams,
      body: ResultsBody,
    },
    async ({ params, body, user }) => presentInspection(await recordResults(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/inspections/:id/disposition',
      tag: 'inspection',
      summary: 'QA disposition: release, reject (opens an NC) or conditional use, by e-signature',
      access: 'inspection.disposition',
      params: IdParams,
      body: DispositionBody,
    },
    async ({ params, body, user }) => presentInspection(await dispose(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/inspection',
      tag: 'inspection',
      summary: 'The incoming-inspection lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(inspectionLifecycle),
  );
  return r;
}
