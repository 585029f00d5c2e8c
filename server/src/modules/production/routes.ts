import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { currentLocale } from '../../platform/context.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getWorkOrder, listWorkOrders, workOrderAction } from './service.ts';
import { createWorkOrder } from './createWorkOrder.ts';
import { materialSuggestions } from './materials.ts';
import { labelSheetPdf, sampleLabelPng } from './labels.ts';
import { buildDhrView } from './dhr.ts';
import type { WorkOrderDoc } from './workorder.model.ts';
import type { WoAction } from './service.ts';
import type { CommandInput } from '../../records/lifecycle.ts';
import { presentWorkOrderDetail, presentWorkOrderRow } from './presenter.ts';
import {
  CloseDeviationBody,
  CompleteBody,
  CreateWorkOrderBody,
  DeviationParams,
  IssueBody,
  PerformBody,
  PrintLabelsBody,
  ReconcileLabelsBody,
  ReconcileMaterialsBody,
  SchemeParams,
  SchemePatternBody,
  SignBody,
  StepParams,
  WoActionBody,
  WoActionParams,
  WorkOrderQuery,
} from './schema.ts';
import { listProductionSchemes, setSchemePattern } from './numbering.ts';

// Every change to a work order is one of its lifecycle's actions (workorder.lifecycle.ts), run by
// workOrderAction through the one command path; each route only names the action and its input.

export function productionRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  const detail = async (p: Promise<WorkOrderDoc>, user: SessionUser) => presentWorkOrderDetail(s, await p, user);
  const act = (user: SessionUser, id: string, action: WoAction, input: CommandInput) =>
    detail(workOrderAction(s, user, id, action, input), user);
  route(
    r,
    {
      method: 'get',
      path: '/workorders',
      tag: 'production',
      summary: 'List work orders (filter by state or device)',
      access: 'records.read',
      query: WorkOrderQuery,
    },
    async ({ query, user }) => (await listWorkOrders(s, query)).map((w) => presentWorkOrderRow(w, user)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders',
      tag: 'production',
      summary: 'Plan a work order from the effective DMR revision of a device',
      access: 'production.plan',
      status: 201,
      body: CreateWorkOrderBody,
    },
    async ({ body, user }, ctx) => {
      const w = await createWorkOrder(s, user, body);
      ctx.status = 201;
      return presentWorkOrderDetail(s, w, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/workorders/:id',
      tag: 'production',
      summary: 'Get a work order with its steps, materials, deviations and labels',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params, user }) => presentWorkOrderDetail(s, await getWorkOrder(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/actions/:action',
      tag: 'production',
      summary: 'Release (signature "approved"), cancel, or QA-release (signature "released") a work order',
      access: 'records.read',
      params: WoActionParams,
      body: WoActionBody,
    },
    async ({ params, body, user }) => act(user, params.id, params.action, body),
  );
  route(
    r,
    {
      method: 'get',
      path: '/workorders/:id/material-suggestions',
      tag: 'production',
      summary: 'FEFO lot suggestions for what each BOM line still needs',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params }) => materialSuggestions(s, params.id),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/materials',
      tag: 'production',
      summary: 'Issue material from a released lot to the work order',
      access: 'inventory.issue',
      params: IdParams,
      body: IssueBody,
    },
    async ({ params, body, user }) => act(user, params.id, 'issue', body),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/materials/reconcile',
      tag: 'production',
      summary: 'Reconcile issued material (consumed + scrapped = issued)',
      access: 'production.plan',
      params: IdParams,
      body: ReconcileMaterialsBody,
    },
    async ({ params, body, user }) => act(user, params.id, 'reconcile_materials', body),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/steps/:seq/perform',
      tag: 'production',
      summary: 'Perform the next operation (signature "performed")',
      access: 'production.execute',
      params: StepParams,
      body: PerformBody,
    },
    async ({ params, body, user }) => act(user, params.id, 'perform', { ...body, seq: params.seq }),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/steps/:seq/verify',
      tag: 'production',
      summary: 'Verify a performed operation as second person (signature "verified")',
      access: 'production.execute',
      params: StepParams,
      body: SignBody,
    },
    async ({ params, body, user }) => act(user, params.id, 'verify', { ...body, seq: params.seq }),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/deviations/:deviationId/close',
      tag: 'production',
      summary: 'Close a deviation with its disposition (signature "approved")',
      access: 'deviation.close',
      params: DeviationParams,
      body: CloseDeviationBody,
    },
    async ({ params, body, user }) =>
      act(user, params.id, 'close_deviation', { ...body, deviationId: params.deviationId }),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/labels/print',
      tag: 'production',
      summary: 'Record printed UDI labels',
      access: 'labels.print',
      params: IdParams,
      body: PrintLabelsBody,
    },
    async ({ params, body, user }) => act(user, params.id, 'print_labels', body),
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/labels/reconcile',
      tag: 'production',
      summary: 'Reconcile labels (printed = used + destroyed)',
      access: 'labels.print',
      params: IdParams,
      body: ReconcileLabelsBody,
    },
    async ({ params, body, user }) => act(user, params.id, 'reconcile_labels', body),
  );
  route(
    r,
    {
      method: 'get',
      path: '/workorders/:id/labels.pdf',
      tag: 'production',
      summary: 'The UDI label sheet (GS1 DataMatrix) as PDF',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params }, ctx) => {
      const pdf = await labelSheetPdf(s, params.id, currentLocale());
      ctx.set('content-type', 'application/pdf');
      ctx.set('content-disposition', 'inline; filename="labels.pdf"');
      ctx.body = pdf;
      return undefined;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/workorders/:id/labels/sample.png',
      tag: 'production',
      summary: 'One UDI label as PNG',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params }, ctx) => {
      ctx.set('content-type', 'image/png');
      ctx.body = await sampleLabelPng(s, params.id);
      return undefined;
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/workorders/:id/complete',
      tag: 'production',
      summary: 'Record the output (to quarantine) once every step is done',
      access: 'production.plan',
      params: IdParams,
      body: CompleteBody,
    },
    async ({ params, body, user }) => act(user, params.id, 'complete', body),
  );
  route(
    r,
    {
      method: 'get',
      path: '/workorders/:id/dhr',
      tag: 'production',
      summary: 'The device history record of a work order',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params }) => buildDhrView(s, params.id, currentLocale()),
  );
  route(
    r,
    {
      method: 'get',
      path: '/production/numbering-schemes',
      tag: 'production',
      summary: 'Numbering schemes of work orders and serial numbers',
      access: 'records.read',
    },
    async () => listProductionSchemes(s),
  );
  route(
    r,
    {
      method: 'put',
      path: '/production/numbering-schemes/:type',
      tag: 'production',
      summary: 'Change a production numbering scheme',
      access: 'numbering.manage',
      params: SchemeParams,
      body: SchemePatternBody,
    },
    async ({ params, body }) => {
      await setSchemePattern(s, params.type, body.pattern);
      return listProductionSchemes(s);
    },
  );
  return r;
}
