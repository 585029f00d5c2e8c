import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { currentLocale } from '../../platform/context.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getWorkOrder, listWorkOrders } from './service.ts';
import { createWorkOrder } from './createWorkOrder.ts';
import { issueMaterial, materialSuggestions, reconcileMaterials } from './materials.ts';
import { performStep, verifyStep } from './steps.ts';
import { labelSheetPdf, printLabels, reconcileLabels, sampleLabelPng } from './labels.ts';
import { closeDeviation, completeWorkOrder, performAction } from './lifecycle.ts';
import { buildDhrView } from './dhr.ts';
import './dhrExport.ts'; // registers the 'dhr' export kind
import type { WorkOrderDoc } from './workorder.model.ts';
import { presentWorkOrderDetail, presentWorkOrderSummary } from './presenter.ts';
import {
  CloseDeviationBody, CompleteBody, CreateWorkOrderBody, DeviationParams, IssueBody, PerformBody, PrintLabelsBody, ReconcileLabelsBody,
  ReconcileMaterialsBody, SchemeParams, SchemePatternBody, SignBody, StepParams, WoActionBody, WoActionParams, WorkOrderQuery,
} from './schema.ts';
import { listProductionSchemes, setSchemePattern } from './numbering.ts';
import { actorOf } from '../../identity/authService.ts';

export function productionRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  const detail = async (p: Promise<WorkOrderDoc>, user: SessionUser) => presentWorkOrderDetail(await p, user);
  route(r, { method: 'get', path: '/workorders', tag: 'production', summary: 'List work orders (filter by state or device)', access: 'records.read', query: WorkOrderQuery },
    async ({ query }) => (await listWorkOrders(s, query)).map(presentWorkOrderSummary));
  route(r, { method: 'post', path: '/workorders', tag: 'production', summary: 'Plan a work order from the effective DMR revision of a device', access: 'production.plan', status: 201, body: CreateWorkOrderBody },
    async ({ body, user }, ctx) => { const w = await createWorkOrder(s, user, body); ctx.status = 201; return presentWorkOrderDetail(w, user); });
  route(r, { method: 'get', path: '/workorders/:id', tag: 'production', summary: 'Get a work order with its steps, materials, deviations and labels', access: 'records.read', params: IdParams },
    async ({ params, user }) => presentWorkOrderDetail(await getWorkOrder(s, params.id), user));
  route(r, { method: 'post', path: '/workorders/:id/actions/:action', tag: 'production', summary: 'Release (signature "approved"), cancel, or QA-release (signature "released") a work order', access: 'records.read', params: WoActionParams, body: WoActionBody },
    async ({ params, body, user }) => detail(performAction(s, user, params.id, params.action, body), user));
  route(r, { method: 'get', path: '/workorders/:id/material-suggestions', tag: 'production', summary: 'FEFO lot suggestions for what each BOM line still needs', access: 'records.read', params: IdParams },
    async ({ params }) => materialSuggestions(s, params.id));
  route(r, { method: 'post', path: '/workorders/:id/materials', tag: 'production', summary: 'Issue material from a released lot to the work order', access: 'inventory.issue', params: IdParams, body: IssueBody },
    async ({ params, body, user }) => detail(issueMaterial(s, user, params.id, body), user));
  route(r, { method: 'post', path: '/workorders/:id/materials/reconcile', tag: 'production', summary: 'Reconcile issued material (consumed + scrapped = issued)', access: 'production.plan', params: IdParams, body: ReconcileMaterialsBody },
    async ({ params, body, user }) => detail(reconcileMaterials(s, user, params.id, body), user));
  route(r, { method: 'post', path: '/workorders/:id/steps/:seq/perform', tag: 'production', summary: 'Perform the next operation (signature "performed")', access: 'production.execute', params: StepParams, body: PerformBody },
    async ({ params, body, user }) => detail(performStep(s, user, params.id, params.seq, body), user));
  route(r, { method: 'post', path: '/workorders/:id/steps/:seq/verify', tag: 'production', summary: 'Verify a performed operation as second person (signature "verified")', access: 'production.execute', params: StepParams, body: SignBody },
    async ({ params, body, user }) => detail(verifyStep(s, user, params.id, params.seq, body), user));
  route(r, { method: 'post', path: '/workorders/:id/deviations/:deviationId/close', tag: 'production', summary: 'Close a deviation with its disposition (signature "approved")', access: 'deviation.close', params: DeviationParams, body: CloseDeviationBody },
    async ({ params, body, user }) => detail(closeDeviation(s, user, params.id, params.deviationId, body), user));
  route(r, { method: 'post', path: '/workorders/:id/labels/print', tag: 'production', summary: 'Record printed UDI labels', access: 'labels.print', params: IdParams, body: PrintLabelsBody },
    async ({ params, body, user }) => detail(printLabels(s, user, params.id, body.quantity), user));
  route(r, { method: 'post', path: '/workorders/:id/labels/reconcile', tag: 'production', summary: 'Reconcile labels (printed = used + destroyed)', access: 'labels.print', params: IdParams, body: ReconcileLabelsBody },
    async ({ params, body, user }) => detail(reconcileLabels(s, user, params.id, body), user));
  route(r, { method: 'get', path: '/workorders/:id/labels.pdf', tag: 'production', summary: 'The UDI label sheet (GS1 DataMatrix) as PDF', access: 'records.read', params: IdParams },
    async ({ params }, ctx) => { const pdf = await labelSheetPdf(s, params.id, currentLocale()); ctx.set('content-type', 'application/pdf'); ctx.set('content-disposition', 'inline; filename="labels.pdf"'); ctx.body = pdf; return undefined; });
  route(r, { method: 'get', path: '/workorders/:id/labels/sample.png', tag: 'production', summary: 'One UDI label as PNG', access: 'records.read', params: IdParams },
    async ({ params }, ctx) => { ctx.set('content-type', 'image/png'); ctx.body = await sampleLabelPng(s, params.id); return undefined; });
  route(r, { method: 'post', path: '/workorders/:id/complete', tag: 'production', summary: 'Record the output (to quarantine) once every step is done', access: 'production.plan', params: IdParams, body: CompleteBody },
    async ({ params, body, user }) => detail(completeWorkOrder(s, user, params.id, body), user));
  route(r, { method: 'get', path: '/workorders/:id/dhr', tag: 'production', summary: 'The device history record of a work order', access: 'records.read', params: IdParams },
    async ({ params }) => buildDhrView(s, params.id, currentLocale()));
  route(r, { method: 'get', path: '/production/numbering-schemes', tag: 'production', summary: 'Numbering schemes of work orders and serial numbers', access: 'records.read' },
    async () => listProductionSchemes(s));
  route(r, { method: 'put', path: '/production/numbering-schemes/:type', tag: 'production', summary: 'Change a production numbering scheme', access: 'numbering.manage', params: SchemeParams, body: SchemePatternBody },
    async ({ params, body, user }) => { await setSchemePattern(s, params.type, body.pattern, actorOf(user)); return listProductionSchemes(s); });
  return r;
}
