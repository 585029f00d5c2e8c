import Router from '@koa/router';
import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { auditLifecycle } from './audit.lifecycle.ts';
import { programmeLifecycle } from './programme.record.ts';
import { ISO13485_CLAUSES, MAIN_CLAUSES } from './clauses.ts';
import { presentAudit, presentAuditRow, presentProgramme } from './presenter.ts';
import {
  AUDIT_ACTION_BODIES,
  AuditQuery,
  CreateAuditBody,
  CreateProgrammeBody,
  ReviseProgrammeBody,
  type AuditAction,
} from './schema.ts';
import {
  actOnAudit,
  getAudit,
  getProgramme,
  listAudits,
  listProgrammes,
  planAudit,
  planProgramme,
  reviseProgramme,
} from './service.ts';

const SUMMARIES: Record<AuditAction, string> = {
  check: 'Record the checklist result of a planned clause (an auditor of this audit)',
  add_finding: 'Record a finding (major / minor / observation); a major or minor one opens a CAPA',
  submit_report: 'Submit the audit report (the lead auditor; every planned clause checked)',
  approve_report: 'Approve the audit report (not an auditor of this audit; signature "approved")',
};

export function auditRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/audit-clauses',
      tag: 'audits',
      summary: 'The ISO 13485:2016 clauses an audit, a checklist or a programme may name',
      access: 'audits.read',
    },
    async () => ({ clauses: ISO13485_CLAUSES, main: MAIN_CLAUSES }),
  );
  route(
    r,
    {
      method: 'post',
      path: '/audits',
      tag: 'audits',
      summary: 'Plan an internal or supplier audit (scope, clauses, dates, auditors independent of the auditees)',
      access: 'audits.manage',
      status: 201,
      body: CreateAuditBody,
    },
    async ({ body, user }, ctx) => {
      const a = await planAudit(s, user, body);
      ctx.status = 201;
      return presentAudit(s, a, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/audits',
      tag: 'audits',
      summary: 'The audit register',
      access: 'audits.read',
      query: AuditQuery,
    },
    async ({ query, user }) => (await listAudits(s, query)).map((a) => presentAuditRow(a, user)),
  );
  route(
    r,
    { method: 'get', path: '/audits/:id', tag: 'audits', summary: 'An audit', access: 'audits.read', params: IdParams },
    async ({ params, user }) => presentAudit(s, await getAudit(s, params.id), user),
  );
  for (const [action, body] of Object.entries(AUDIT_ACTION_BODIES) as Array<[AuditAction, z.ZodType<object>]>) {
    route(
      r,
      {
        method: 'post',
        path: `/audits/:id/actions/${action}`,
        tag: 'audits',
        summary: SUMMARIES[action],
        access: 'audits.read',
        params: IdParams,
        body,
      },
      async ({ params, body, user }) => presentAudit(s, await actOnAudit(s, user, params.id, action, body), user),
    );
  }
  route(
    r,
    {
      method: 'post',
      path: '/audit-programmes',
      tag: 'audits',
      summary: 'Plan an audit programme: the clauses and processes of each year of a cycle',
      access: 'audits.manage',
      status: 201,
      body: CreateProgrammeBody,
    },
    async ({ body, user }, ctx) => {
      const p = await planProgramme(s, user, body);
      ctx.status = 201;
      return presentProgramme(s, p, user);
    },
  );
  route(
    r,
    { method: 'get', path: '/audit-programmes', tag: 'audits', summary: 'Audit programmes', access: 'audits.read' },
    async ({ user }) => Promise.all((await listProgrammes(s)).map((p) => presentProgramme(s, p, user))),
  );
  route(
    r,
    {
      method: 'get',
      path: '/audit-programmes/:id',
      tag: 'audits',
      summary: 'An audit programme with its coverage over the cycle',
      access: 'audits.read',
      params: IdParams,
    },
    async ({ params, user }) => presentProgramme(s, await getProgramme(s, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/audit-programmes/:id/actions/revise',
      tag: 'audits',
      summary: "Revise a programme's yearly plan (with the reason)",
      access: 'audits.read',
      params: IdParams,
      body: ReviseProgrammeBody,
    },
    async ({ params, body, user }) => presentProgramme(s, await reviseProgramme(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/audit',
      tag: 'audits',
      summary: 'The audit lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(auditLifecycle),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/auditProgramme',
      tag: 'audits',
      summary: 'The audit programme lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(programmeLifecycle),
  );
  return r;
}
