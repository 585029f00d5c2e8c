import { complaintLoop } from '../qualityLoop/loop.ts';
import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { complaintLifecycle } from './complaint.lifecycle.ts';
import { codesOf, IMDRF_ANNEXES, IMDRF_SOURCE } from './imdrfCodes.ts';
import { hazardLinksOfComplaint, presentComplaint, presentComplaintRow } from './presenter.ts';
import { ACTION_BODIES, ActionBody, ActionParams, CodesQuery, ComplaintQuery, NewComplaintBody } from './schema.ts';
import { complaintAction, createComplaint, getComplaint, listComplaints } from './service.ts';

export function complaintRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/complaints',
      tag: 'complaints',
      summary: 'Record a received complaint (QMSR 820.35(a)); the UDI is looked up from the lot or serial',
      access: 'complaints.manage',
      body: NewComplaintBody,
      status: 201,
      errors: [404],
    },
    async ({ body, user }, ctx) => {
      const c = await createComplaint(s, user, body);
      ctx.status = 201;
      return presentComplaint(c, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/complaints',
      tag: 'complaints',
      summary: 'Complaints (filters: status, product, lot, overdue)',
      access: 'records.read',
      query: ComplaintQuery,
    },
    async ({ query, user }) => (await listComplaints(s, query)).map((c) => presentComplaintRow(c, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/complaints/:id',
      tag: 'complaints',
      summary: 'A complaint, with the actions this user may take now',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params, user }) => {
      const c = await getComplaint(s, params.id);
      // read side: the risk-file hazard rows the complaint is linked to (ISO 14971:2019 10)
      return {
        ...presentComplaint(c, user),
        loop: await complaintLoop(s, c),
        hazardLinks: await hazardLinksOfComplaint(s, c._id),
      };
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/complaints/:id/actions/:action',
      tag: 'complaints',
      summary: 'Perform a complaint action (signing actions re-authenticate)',
      access: 'records.read',
      params: ActionParams,
      body: ActionBody,
    },
    async ({ params, body, user }) => {
      const input = parseOrThrow(ACTION_BODIES[params.action], body, 'body');
      return presentComplaint(await complaintAction(s, user, params.id, params.action, input), user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/imdrf-codes',
      tag: 'complaints',
      summary: 'The IMDRF adverse-event codes the product ships (source and release named)',
      access: 'authenticated',
      query: CodesQuery,
    },
    async ({ query }) => ({
      source: IMDRF_SOURCE,
      codes: (query.annex ? [query.annex] : IMDRF_ANNEXES).flatMap((a) => codesOf(a)),
    }),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/complaint',
      tag: 'complaints',
      summary: 'The complaint lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(complaintLifecycle),
  );
  return r;
}
