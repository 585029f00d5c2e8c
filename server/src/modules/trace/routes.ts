import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { lotEvidence, presentLotDetail } from './lotTrace.ts';

export function traceRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/lots/:id',
      tag: 'inventory',
      summary: 'A lot with its receipt, inspection, disposition, movements, signatures and ledger check',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params, user }) => presentLotDetail(await lotEvidence(s, params.id), user),
  );
  return r;
}
