import Router from '@koa/router';
import type { ZodType } from 'zod';
import type { CommandInput } from '../../records/lifecycle.ts';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { parseOrThrow } from '../../platform/http/validate.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { riskPlanLifecycle } from './plan.lifecycle.ts';
import { riskFileLifecycle } from './riskfile.lifecycle.ts';
import { presentFile, presentFileRow, presentPlan } from './presenter.ts';
import { approvedPlan } from './queries.ts';
import {
  AnyBody,
  FILE_ACTION_BODIES,
  FileActionParams,
  ListQuery,
  NewFileBody,
  NewPlanBody,
  PLAN_ACTION_BODIES,
  PlanActionParams,
} from './schema.ts';
import {
  createFile,
  createPlan,
  fileAction,
  getFile,
  getPlan,
  listFiles,
  listPlans,
  planAction,
  postProduction,
} from './service.ts';

export function riskRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/risk-plans',
      tag: 'risk',
      summary: "Create a device's risk management plan (ISO 14971:2019 4.4) with its first draft",
      access: 'risk.write',
      body: NewPlanBody,
      status: 201,
    },
    async ({ body, user }, ctx) => {
      const p = await createPlan(s, user, body.itemId, body.content);
      ctx.status = 201;
      return presentPlan(p, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/risk-plans',
      tag: 'risk',
      summary: 'Risk management plans',
      access: 'risk.read',
      query: ListQuery,
    },
    async ({ query, user }) => (await listPlans(s, query.item)).map((p) => presentPlan(p, user)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/risk-plans/:id',
      tag: 'risk',
      summary: 'A risk management plan',
      access: 'risk.read',
      params: IdParams,
    },
    async ({ params, user }) => presentPlan(await getPlan(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/risk-plans/:id/actions/:action',
      tag: 'risk',
      summary: 'Edit the draft (or start the next revision) or approve it by signature',
      access: 'risk.read',
      params: PlanActionParams,
      body: AnyBody,
    },
    async ({ params, body, user }) => {
      const input = parseOrThrow(PLAN_ACTION_BODIES[params.action] as ZodType<CommandInput>, body, 'body');
      return presentPlan(await planAction(s, user, params.id, params.action, input), user);
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/risk-files',
      tag: 'risk',
      summary: "Open a device's risk management file (ISO 14971:2019 4.5)",
      access: 'risk.write',
      body: NewFileBody,
      status: 201,
    },
    async ({ body, user }, ctx) => {
      const f = await createFile(s, user, body.itemId);
      ctx.status = 201;
      return presentFile(f, user, await approvedPlan(s, f.itemId));
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/risk-files',
      tag: 'risk',
      summary: 'Risk management files',
      access: 'risk.read',
      query: ListQuery,
    },
    async ({ query, user }) =>
      Promise.all(
        (await listFiles(s, query.item)).map(async (f) => presentFileRow(f, user, await approvedPlan(s, f.itemId))),
      ),
  );
  route(
    r,
    {
      method: 'get',
      path: '/risk-files/:id',
      tag: 'risk',
      summary: "A risk management file, judged on the device's approved plan",
      access: 'risk.read',
      params: IdParams,
    },
    async ({ params, user }) => {
      const f = await getFile(s, params.id);
      return presentFile(f, user, await approvedPlan(s, f.itemId));
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/risk-files/:id/post-production',
      tag: 'risk',
      summary: 'Post-production feedback (ISO 14971:2019 10): complaint rates per IMDRF code against the estimates',
      access: 'risk.read',
      params: IdParams,
    },
    async ({ params }) => postProduction(s, await getFile(s, params.id)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/risk-files/:id/actions/:action',
      tag: 'risk',
      summary: 'Save a hazard or pFMEA row, approve (signature) or reopen the file',
      access: 'risk.read',
      params: FileActionParams,
      body: AnyBody,
    },
    async ({ params, body, user }) => {
      const input = parseOrThrow(FILE_ACTION_BODIES[params.action] as ZodType<CommandInput>, body, 'body');
      const f = await fileAction(s, user, params.id, params.action, input);
      return presentFile(f, user, await approvedPlan(s, f.itemId));
    },
  );
  for (const [name, decl] of [
    ['riskplan', riskPlanLifecycle],
    ['riskfile', riskFileLifecycle],
  ] as const)
    route(
      r,
      {
        method: 'get',
        path: `/lifecycles/${name}`,
        tag: 'risk',
        summary: `The ${name} lifecycle declaration`,
        access: 'authenticated',
      },
      async () => describeLifecycle(decl as never),
    );
  return r;
}
