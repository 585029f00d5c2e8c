import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { lotEvidence, presentLotDetail } from './lotTrace.ts';
import { BackwardQuery, ForwardPageQuery, forwardPageJson, traceBackward, traceForward } from './genealogy.ts';
import { warmGenealogyIndex } from './genealogyIndex.ts';

export function traceRoutes(s: Services) {
  warmGenealogyIndex(s); // the in-process genealogy graph, loaded at start and kept current by the projector's appends
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
  route(
    r,
    {
      method: 'get',
      path: '/trace/backward',
      tag: 'inventory',
      summary:
        'Genealogy backward from a finished lot or serial: consumed lots (recursively), suppliers, POs, receipts, inspections, CoAs, work orders, operators and equipment at the time',
      access: 'records.read',
      query: BackwardQuery,
      errors: [404],
    },
    async ({ query }) => traceBackward(s, query),
  );
  route(
    r,
    {
      method: 'get',
      path: '/trace/forward',
      tag: 'inventory',
      summary:
        'Genealogy forward from a supplier or component lot: every lot and serial that consumed it (recursively) and where each is now; the summary over all of them, one page of rows (offset, limit: 200 by default, 5000 at most) with the lots and work orders they name',
      access: 'records.read',
      query: ForwardPageQuery,
      errors: [404],
    },
    async ({ query }, ctx) => {
      // the page's JSON is kept with the trace, itself kept until the graph changes (genealogy.ts)
      const json = forwardPageJson(await traceForward(s, { lot: query.lot }), query);
      ctx.type = 'application/json';
      ctx.body = json;
      return undefined;
    },
  );
  return r;
}
