import Router from '@koa/router';
import type { ZodType } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { lotAction } from './service.ts';
import { fefo, inventoryAlerts, listLots } from './queries.ts';
import { presentLot } from './presenter.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { lotLifecycle } from './lot.lifecycle.ts';
import { startExpirySweep } from './expirySweep.ts';
import {
  AdjustBody,
  CountBody,
  FefoQuery,
  HoldBody,
  InventoryQuery,
  IssueBody,
  MoveBody,
  ReleaseHoldBody,
  ScrapBody,
  ShipBody,
} from './schema.ts';

// The lot's page itself (GET /lots/:id, with its receipt, inspection and NC) is its trace view: trace/routes.ts.
export function inventoryRoutes(s: Services) {
  startExpirySweep(s);
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/inventory',
      tag: 'inventory',
      summary: 'List lots and serials (filter by status, item, location, text)',
      access: 'records.read',
      query: InventoryQuery,
    },
    async ({ query, user }) => (await listLots(s, query)).map((l) => presentLot(l, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/inventory/fefo',
      tag: 'inventory',
      summary: 'FEFO picking suggestion: released, unexpired lots in expiry order',
      access: 'records.read',
      query: FefoQuery,
    },
    async ({ query }) => fefo(s, query.item, query.qty),
  );
  route(
    r,
    {
      method: 'get',
      path: '/inventory/alerts',
      tag: 'inventory',
      summary: 'Expiry, safety stock and reorder alerts',
      access: 'records.read',
    },
    async () => inventoryAlerts(s),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/lot',
      tag: 'inventory',
      summary: 'The lot lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(lotLifecycle),
  );

  // one route per lot action (lot.lifecycle.ts): parse, run the command, present
  const actions = [
    {
      path: 'move',
      action: 'move',
      summary: 'Move a quantity between locations',
      access: 'inventory.manage',
      body: MoveBody,
    },
    {
      path: 'adjust',
      action: 'adjust',
      summary: 'Adjust the quantity at a location (with a reason)',
      access: 'inventory.manage',
      body: AdjustBody,
    },
    {
      path: 'count',
      action: 'count',
      summary: 'Record a stock count (the difference becomes an adjustment)',
      access: 'inventory.manage',
      body: CountBody,
    },
    {
      path: 'issue',
      action: 'issue',
      summary: 'Issue (consume) a quantity for a work order',
      access: 'inventory.issue',
      body: IssueBody,
    },
    { path: 'hold', action: 'hold', summary: 'Put a lot on hold', access: 'inventory.hold', body: HoldBody },
    {
      path: 'release-hold',
      action: 'release_hold',
      summary: 'Release a lot from hold (QA e-signature "released")',
      access: 'inventory.release',
      body: ReleaseHoldBody,
    },
    {
      path: 'scrap',
      action: 'scrap',
      summary: 'Scrap a quantity (disposition e-signature "approved")',
      access: 'inventory.release',
      body: ScrapBody,
    },
    {
      path: 'ship',
      action: 'ship',
      summary: 'Ship a serialized unit to a customer (warranty from the ship date)',
      access: 'inventory.ship',
      body: ShipBody,
    },
  ] as const;
  for (const a of actions) {
    route(
      r,
      {
        method: 'post',
        path: `/lots/:id/${a.path}`,
        tag: 'inventory',
        summary: a.summary,
        access: a.access,
        params: IdParams,
        body: a.body as ZodType<Record<string, unknown>>,
      },
      async ({ params, body, user }) => presentLot(await lotAction(s, user, params.id, a.action, body), user),
    );
  }
  return r;
}
