import Router from '@koa/router';
import type { ZodType } from 'zod';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { Id } from '../../platform/schemas.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { SalesErrors as E } from './errors.ts';
import { salesOrderLifecycle } from './salesorder.lifecycle.ts';
import { presentSalesOrder } from './presenter.ts';
import { candidates } from './allocation.ts';
import { createSalesOrder, getSalesOrder, listSalesOrders, salesOrderAction } from './service.ts';
import {
  AllocateBody,
  CancelBody,
  ConfirmBody,
  DeallocateBody,
  DeliverBody,
  NewSalesOrderBody,
  SalesOrderListQuery,
  ShipBody,
} from './schema.ts';

const LineParams = z.object({ id: Id, lineId: Id }).strict();

export function salesRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/sales-orders',
      tag: 'sales',
      summary: 'List sales orders',
      access: 'sales.read',
      query: SalesOrderListQuery,
    },
    async ({ query, user }) => (await listSalesOrders(s, query)).map((o) => presentSalesOrder(o, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/sales-orders/:id',
      tag: 'sales',
      summary: 'Get a sales order with its allocations, shipments (UDIs shipped) and deliveries',
      access: 'sales.read',
      params: IdParams,
    },
    async ({ params, user }) => presentSalesOrder(await getSalesOrder(s, params.id), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/sales-orders/:id/lines/:lineId/candidates',
      tag: 'sales',
      summary: 'Released, unexpired, unreserved stock for a line, in picking order (FEFO; serials by number)',
      access: 'sales.read',
      params: LineParams,
    },
    async ({ params }) => {
      const o = await getSalesOrder(s, params.id);
      const line = o.lines.find((l) => l.lineId === params.lineId);
      if (!line) throw E.SO_LINE_UNKNOWN();
      return candidates(s, o, line.item.id);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/sales-orders',
      tag: 'sales',
      summary: 'Enter a sales order (draft)',
      access: 'sales.write',
      body: NewSalesOrderBody,
      status: 201,
    },
    async ({ body, user }, ctx) => {
      const o = presentSalesOrder(await createSalesOrder(s, user, body), user);
      ctx.status = 201;
      return o;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/salesorder',
      tag: 'sales',
      summary: 'The sales order lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(salesOrderLifecycle),
  );
  // one route per action (salesorder.lifecycle.ts): parse, run the command, present
  const actions = [
    {
      path: 'confirm',
      action: 'confirm',
      summary: 'Confirm the order (requirements reviewed)',
      access: 'sales.write',
      body: ConfirmBody,
    },
    {
      path: 'allocate',
      action: 'allocate',
      summary: 'Allocate released stock to a line: FEFO (or the first serials) unless lots/serials are picked',
      access: 'sales.write',
      body: AllocateBody,
    },
    {
      path: 'deallocate',
      action: 'deallocate',
      summary: "Release a line's allocation",
      access: 'sales.write',
      body: DeallocateBody,
    },
    {
      path: 'ship',
      action: 'ship',
      summary: 'Ship allocated quantities (each lot through its own ship): carrier, reference, UDIs recorded',
      access: 'inventory.ship',
      body: ShipBody,
    },
    {
      path: 'deliver',
      action: 'deliver',
      summary: 'Confirm a shipment delivered (date, received by)',
      access: 'sales.write',
      body: DeliverBody,
    },
    { path: 'cancel', action: 'cancel', summary: 'Cancel the order (reason)', access: 'sales.write', body: CancelBody },
  ] as const;
  for (const a of actions) {
    route(
      r,
      {
        method: 'post',
        path: `/sales-orders/:id/${a.path}`,
        tag: 'sales',
        summary: a.summary,
        access: a.access,
        params: IdParams,
        body: a.body as ZodType<Record<string, unknown>>,
      },
      async ({ params, body, user }) =>
        presentSalesOrder(await salesOrderAction(s, user, params.id, a.action, body), user),
    );
  }
  return r;
}
