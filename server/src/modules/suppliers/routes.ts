import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import {
  addEvidence,
  approveItem,
  certificateAlerts,
  changeQualification,
  createSupplier,
  evaluate,
  getSupplier,
  listSuppliers,
  removeItem,
  updateSupplier,
} from './service.ts';
import { presentSupplier, presentSupplierSummary } from './presenter.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { supplierLifecycle } from './supplier.lifecycle.ts';
import {
  AslBody,
  AslParams,
  CreateSupplierBody,
  EvaluationBody,
  EvidenceBody,
  QualificationBody,
  RemoveAslBody,
  SupplierParams,
  SupplierQuery,
  UpdateSupplierBody,
} from './schema.ts';

// Each write names one action of supplier.lifecycle.ts (the `actions` GET /suppliers/:code returns).
export function supplierRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/supplier',
      tag: 'suppliers',
      summary: 'The supplier lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(supplierLifecycle),
  );
  route(
    r,
    {
      method: 'get',
      path: '/suppliers',
      tag: 'suppliers',
      summary: 'List suppliers (filter by status or approved item)',
      access: 'records.read',
      query: SupplierQuery,
    },
    async ({ query }) => (await listSuppliers(s, query)).map(presentSupplierSummary),
  );
  route(
    r,
    {
      method: 'get',
      path: '/supplier-alerts',
      tag: 'suppliers',
      summary: 'Supplier certificates expired or expiring within 30 days',
      access: 'records.read',
    },
    async () => certificateAlerts(s),
  );
  route(
    r,
    {
      method: 'post',
      path: '/suppliers',
      tag: 'suppliers',
      summary: 'Create a supplier (status pending)',
      access: 'suppliers.manage',
      status: 201,
      body: CreateSupplierBody,
    },
    async ({ body, user }, ctx) => {
      const { code, ...rest } = body;
      ctx.status = 201;
      return presentSupplier(await createSupplier(s, user, code, rest), user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/suppliers/:code',
      tag: 'suppliers',
      summary: 'Get a supplier with its evidence, ASL and evaluations',
      access: 'records.read',
      params: SupplierParams,
    },
    async ({ params, user }) => presentSupplier(await getSupplier(s, params.code), user),
  );
  route(
    r,
    {
      method: 'patch',
      path: '/suppliers/:code',
      tag: 'suppliers',
      summary: "Change a supplier's contact data",
      access: 'suppliers.manage',
      params: SupplierParams,
      body: UpdateSupplierBody,
    },
    async ({ params, body, user }) => {
      const { reason, ...patch } = body;
      return presentSupplier(await updateSupplier(s, user, params.code, patch, reason), user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/suppliers/:code/qualification',
      tag: 'suppliers',
      summary: 'Change the qualification status (QA e-signature "approved")',
      access: 'suppliers.qualify',
      params: SupplierParams,
      body: QualificationBody,
    },
    async ({ params, body, user }) =>
      presentSupplier(await changeQualification(s, user, params.code, body.status, body.reason, body), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/suppliers/:code/evidence',
      tag: 'suppliers',
      summary: 'Add qualification evidence (questionnaire, audit, certificate)',
      access: 'suppliers.manage',
      status: 201,
      params: SupplierParams,
      body: EvidenceBody,
    },
    async ({ params, body, user }, ctx) => {
      ctx.status = 201;
      return presentSupplier(await addEvidence(s, user, params.code, body), user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/suppliers/:code/items',
      tag: 'suppliers',
      summary: 'Add an item to the approved supplier list',
      access: 'suppliers.qualify',
      status: 201,
      params: SupplierParams,
      body: AslBody,
    },
    async ({ params, body, user }, ctx) => {
      ctx.status = 201;
      return presentSupplier(await approveItem(s, user, params.code, body.itemId, body.version), user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/suppliers/:code/items/:itemId/remove',
      tag: 'suppliers',
      summary: 'Remove an item from the approved supplier list',
      access: 'suppliers.qualify',
      params: AslParams,
      body: RemoveAslBody,
    },
    async ({ params, body, user }) =>
      presentSupplier(await removeItem(s, user, params.code, params.itemId, body.reason, body.version), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/suppliers/:code/evaluations',
      tag: 'suppliers',
      summary: 'Record a periodic evaluation (quality, delivery 0–100)',
      access: 'suppliers.manage',
      status: 201,
      params: SupplierParams,
      body: EvaluationBody,
    },
    async ({ params, body, user }, ctx) => {
      ctx.status = 201;
      return presentSupplier(await evaluate(s, user, params.code, body), user);
    },
  );
  return r;
}
