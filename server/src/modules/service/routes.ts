import Router from '@koa/router';
import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { serviceLifecycle } from './servicerecord.lifecycle.ts';
import { presentService, presentServiceRow } from './presenter.ts';
import { ACTION_BODIES, CreateServiceBody, ServiceQuery, type ServiceAction } from './schema.ts';
import { actOnService, createServiceRecord, getServiceRecord, listServiceRecords } from './service.ts';

const SUMMARIES: Record<ServiceAction, string> = {
  issue_part: 'Issue a part from stock to the service (the lot\u2019s own issue command)',
  exchange: 'Warranty exchange: record the replacement serial; it ships to the customer by the lot\u2019s ship command',
  screen: 'Screen as a possible complaint (21 CFR 820.198): yes opens a linked complaint, no records the reason',
  complete: 'Complete the service record (not whoever recorded it; signature "approved")',
};

export function serviceRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/service-records',
      tag: 'service',
      summary: 'Record a service of a shipped device (QMSR 820.35(b)); warranty from ship date + item warranty months',
      access: 'service.write',
      status: 201,
      body: CreateServiceBody,
    },
    async ({ body, user }, ctx) => {
      const rec = await createServiceRecord(s, user, body);
      ctx.status = 201;
      return presentService(rec, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/service-records',
      tag: 'service',
      summary: 'The service records',
      access: 'service.read',
      query: ServiceQuery,
    },
    async ({ query, user }) => (await listServiceRecords(s, query)).map((x) => presentServiceRow(x, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/service-records/:id',
      tag: 'service',
      summary: 'A service record',
      access: 'service.read',
      params: IdParams,
    },
    async ({ params, user }) => presentService(await getServiceRecord(s, params.id), user),
  );
  for (const [action, body] of Object.entries(ACTION_BODIES) as Array<[ServiceAction, z.ZodType<object>]>) {
    route(
      r,
      {
        method: 'post',
        path: `/service-records/:id/actions/${action}`,
        tag: 'service',
        summary: SUMMARIES[action],
        access: 'service.read',
        params: IdParams,
        body,
      },
      async ({ params, body, user }) => presentService(await actOnService(s, user, params.id, action, body), user),
    );
  }
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/service',
      tag: 'service',
      summary: 'The service record lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(serviceLifecycle),
  );
  return r;
}
