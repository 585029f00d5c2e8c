import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { approvePo, cancelRequisition, createPo, createRequisition, endPo, issuePo } from './service.ts';
import { getPo, getRequisition, listRequisitions } from './queries.ts';
import { listPos } from './poList.ts';
import { approvalThreshold, setApprovalThreshold } from './settings.ts';
import { receive } from './receiving.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { poLifecycle } from './po.lifecycle.ts';
import { requisitionLifecycle } from './requisition.lifecycle.ts';
import { presentPo, presentPoSummary, presentRequisition } from './presenter.ts';
import {
  ApproveBody,
  CreatePoBody,
  EndBody,
  IssueBody,
  PoQuery,
  ReceiptBody,
  RequisitionBody,
  ThresholdBody,
} from './schema.ts';

// Each action route names one action of po.lifecycle.ts / requisition.lifecycle.ts (the `actions` a GET returns).
export function purchasingRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/po',
      tag: 'purchasing',
      summary: 'The purchase-order lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(poLifecycle),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/requisition',
      tag: 'purchasing',
      summary: 'The requisition lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(requisitionLifecycle),
  );
  // each row carries what this user may do on it now (the list's order and cancel buttons)
  route(
    r,
    { method: 'get', path: '/requisitions', tag: 'purchasing', summary: 'List requisitions', access: 'records.read' },
    async ({ user }) => (await listRequisitions(s)).map((x) => presentRequisition(x, user)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/requisitions',
      tag: 'purchasing',
      summary: 'Create a purchase requisition',
      access: 'purchasing.request',
      status: 201,
      body: RequisitionBody,
    },
    async ({ body, user }, ctx) => {
      ctx.status = 201;
      return presentRequisition(await createRequisition(s, user, body), user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/requisitions/:id',
      tag: 'purchasing',
      summary: 'Get a requisition',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params, user }) => presentRequisition(await getRequisition(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/requisitions/:id/cancel',
      tag: 'purchasing',
      summary: 'Cancel an open requisition (action "cancel")',
      access: 'purchasing.request',
      params: IdParams,
      body: EndBody,
    },
    async ({ params, body, user }) => presentRequisition(await cancelRequisition(s, user, params.id, body), user),
  );

  route(
    r,
    {
      method: 'get',
      path: '/purchase-orders',
      tag: 'purchasing',
      summary: 'List purchase orders',
      access: 'records.read',
      query: PoQuery,
    },
    async ({ query }) => (await listPos(s, query)).map(presentPoSummary),
  );
  route(
    r,
    {
      method: 'post',
      path: '/purchase-orders',
      tag: 'purchasing',
      summary: 'Create a draft PO (supplier qualified and on the ASL for every item)',
      access: 'purchasing.manage',
      status: 201,
      body: CreatePoBody,
    },
    async ({ body, user }, ctx) => {
      ctx.status = 201;
      return presentPo(await createPo(s, user, body), user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/purchase-orders/:id',
      tag: 'purchasing',
      summary: 'Get a PO with its lines and receipts',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params, user }) => presentPo(await getPo(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/purchase-orders/:id/issue',
      tag: 'purchasing',
      summary: 'Issue a draft PO (approved at once at or under the threshold)',
      access: 'purchasing.manage',
      params: IdParams,
      body: IssueBody,
    },
    async ({ params, body, user }) => presentPo(await issuePo(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/purchase-orders/:id/approve',
      tag: 'purchasing',
      summary: 'Approve a PO above the threshold (e-signature "approved")',
      access: 'purchasing.approve',
      params: IdParams,
      body: ApproveBody,
    },
    async ({ params, body, user }) => presentPo(await approvePo(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/purchase-orders/:id/cancel',
      tag: 'purchasing',
      summary: 'Cancel a PO nothing was received on',
      access: 'purchasing.manage',
      params: IdParams,
      body: EndBody,
    },
    async ({ params, body, user }) => presentPo(await endPo(s, user, params.id, 'cancel', body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/purchase-orders/:id/close',
      tag: 'purchasing',
      summary: 'Close a PO (short-close what is still open)',
      access: 'purchasing.manage',
      params: IdParams,
      body: EndBody,
    },
    async ({ params, body, user }) => presentPo(await endPo(s, user, params.id, 'close', body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/purchase-orders/:id/receipts',
      tag: 'purchasing',
      summary: 'Receive goods: lots in quarantine and their incoming inspections',
      access: 'purchasing.receive',
      status: 201,
      params: IdParams,
      body: ReceiptBody,
    },
    async ({ params, body, user }, ctx) => {
      const out = await receive(s, user, params.id, body);
      ctx.status = 201;
      return { receiptId: out.receiptId, lots: out.lots, inspections: out.inspections, po: presentPo(out.po, user) };
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/purchasing/settings',
      tag: 'purchasing',
      summary: 'Purchasing settings (PO approval threshold in CNY)',
      access: 'records.read',
    },
    async () => ({ approvalThresholdCny: await approvalThreshold(s) }),
  );
  route(
    r,
    {
      method: 'put',
      path: '/purchasing/settings',
      tag: 'purchasing',
      summary: 'Change the PO approval threshold',
      access: 'purchasing.configure',
      body: ThresholdBody,
    },
    async ({ body, user }) => ({
      approvalThresholdCny: await setApprovalThreshold(s, user, body.approvalThresholdCny, body.reason),
    }),
  );
  return r;
}
